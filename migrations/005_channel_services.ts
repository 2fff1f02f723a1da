import type { Knex } from 'knex';

/** The traffic channel settings matrix: a row exists exactly where a cell is ticked. */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('channel_services', (t) => {
    t.integer('institution_id').notNullable().references('id').inTable('institutions');
    t.integer('channel_id').notNullable().references('id').inTable('traffic_channels');
    t.integer('service_id').notNullable().references('id').inTable('services');
    t.primary(['institution_id', 'channel_id', 'service_id']);
    t.index(['channel_id', 'institution_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('channel_services');
}
