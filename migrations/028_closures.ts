import type { Knex } from 'knex';

/**
 * Issue 16: institution-wide closures (public holidays, the clinic's own closed days and hours),
 * entered once and applied to every schedule there. `date` and the optional `from_time`/`to_time`
 * are the institution-local values the clinic typed; `starts_at`/`ends_at` are the same interval
 * in UTC (computed with the institution's zone when saved), so the calendar, First free slots and
 * Save compare it with slots' UTC instants: a slot is closed when it overlaps [starts_at, ends_at).
 * One closure per institution, date and start (a whole day: no start), enforced by the database.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('closures', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('id').inTable('institutions');
    t.string('date', 10).notNullable();
    t.string('from_time', 5).nullable();
    t.string('to_time', 5).nullable();
    t.string('reason', 200).notNullable();
    t.string('source', 10).notNullable().defaultTo('manual').checkIn(['manual', 'holiday']);
    t.string('starts_at', 30).notNullable();
    t.string('ends_at', 30).notNullable();
    t.integer('created_by_user_id').nullable().references('id').inTable('users');
    t.string('created_at', 30).notNullable();
    t.index(['institution_id', 'starts_at'], 'closures_institution_starts_index');
    t.check(
      '(?? is null and ?? is null) or (?? is not null and ?? is not null and ?? < ??)',
      ['from_time', 'to_time', 'from_time', 'to_time', 'from_time', 'to_time'],
      'closures_times_check',
    );
    t.check('?? > ?? and length(??) > 0', ['ends_at', 'starts_at', 'reason'], 'closures_interval_check');
  });
  await db.raw(
    "create unique index closures_institution_date_start_unique on closures (institution_id, date, coalesce(from_time, ''))",
  );
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('closures');
}
