import type { Knex } from 'knex';

/**
 * Issue 11: `delete from holds where session_id = ?` (every Start the reservation) scanned the
 * whole holds table; this index makes it a search. Then ANALYZE (SQLite; PostgreSQL analyses
 * on its own), so the planner has statistics for the name, slot and booking indexes instead of
 * guessing; the server should also run `PRAGMA optimize` on close / periodically to keep them fresh.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('holds', (t) => {
    t.index(['session_id'], 'holds_session_id_index');
  });
  if (/sqlite/.test(String(db.client.config.client))) await db.raw('analyze');
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('holds', (t) => {
    t.dropIndex([], 'holds_session_id_index');
  });
}
