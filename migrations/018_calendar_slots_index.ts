import type { Knex } from 'knex';

/**
 * Issue 11: the calendar reads one week of slots of the doctors offering the chosen service at
 * one institution (`doctor_id IN (...) AND institution_id = ? AND local_date BETWEEN ? AND ?
 * ORDER BY doctor_id, local_date, starts_at`). With this index each doctor is one range seek in
 * the order the calendar wants: no slot of another institution or week is read, and no sort.
 * ANALYZE slots afterwards (SQLite) so the planner prefers it.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('slots', (t) => {
    t.index(['doctor_id', 'institution_id', 'local_date', 'starts_at'], 'slots_calendar_index');
  });
  if (/sqlite/.test(String(db.client.config.client))) await db.raw('analyze slots');
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('slots', (t) => {
    t.dropIndex([], 'slots_calendar_index');
  });
}
