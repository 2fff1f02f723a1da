import type { Knex } from 'knex';

/**
 * Issue 16, First free slots: the next free starts of a service across every doctor offering it at
 * one institution, soonest first (`institution_id = ? AND starts_at >= ? ... ORDER BY starts_at, id
 * LIMIT n`). This index gives that order directly (no sort of 90 days of slots), and carries
 * doctor_id and status so slots of other doctors and blocked ones are skipped in the index without
 * reading the table row. ANALYZE slots afterwards (SQLite) so the planner knows it.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('slots', (t) => {
    t.index(['institution_id', 'starts_at', 'doctor_id', 'status'], 'slots_first_free_index');
  });
  if (/sqlite/.test(String(db.client.config.client))) await db.raw('analyze slots');
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('slots', (t) => {
    t.dropIndex([], 'slots_first_free_index');
  });
}
