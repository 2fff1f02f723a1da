import type { Knex } from 'knex';

/** Append-only: the application only ever inserts here. */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('audit_log', (t) => {
    t.increments('id');
    t.string('at', 30).notNullable().index();
    t.integer('actor_user_id').nullable().references('id').inTable('users');
    t.string('actor_username', 64).nullable();
    t.integer('actor_partner_id').nullable().references('id').inTable('partners');
    t.string('action', 60).notNullable().index();
    t.string('entity_type', 40).nullable();
    t.integer('entity_id').nullable();
    t.text('details').notNullable().defaultTo('{}');
    t.string('ip', 64).nullable();
    t.index(['entity_type', 'entity_id']);
    t.index(['actor_partner_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('audit_log');
}
