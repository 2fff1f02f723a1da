import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('institutions', (t) => {
    t.increments('id');
    t.string('name', 200).notNullable().unique();
    t.string('address', 500).notNullable().defaultTo('');
    t.string('time_zone', 64).notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.string('created_at', 30).notNullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('institutions');
}
