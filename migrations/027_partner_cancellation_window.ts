import type { Knex } from 'knex';

/**
 * Issue 17: per partner, "partner users may cancel (and move) until H hours before the
 * appointment". Null: no window (partner users may cancel and move any standing booking).
 */
export async function up(db: Knex): Promise<void> {
  await db.raw(
    'alter table partners add column cancel_window_hours integer null check (cancel_window_hours is null or (cancel_window_hours >= 0 and cancel_window_hours <= 8760))',
  );
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('partners', (t) => {
    t.dropColumn('cancel_window_hours');
  });
}
