import type { Knex } from 'knex';

/** The sessions table (read and written by src/auth/session-store.ts; created here, never at boot). */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('sessions', (t) => {
    t.string('sid', 255).primary();
    t.json('sess').notNullable();
    t.timestamp('expired').notNullable().index();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('sessions');
}
