import type { Knex } from 'knex';

/** Small key/value table: demo-seed marker, and the target of writeTransaction's lock-taking no-op. */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('app_meta', (t) => {
    t.string('key', 64).primary();
    t.text('value').notNullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('app_meta');
}
