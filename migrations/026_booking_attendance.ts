import type { Knex } from 'knex';

/**
 * Issue 16/17: what happened to a booking besides booked/cancelled. `status` keeps meaning
 * standing or cancelled (the occupancy, statistics and lists rely on it); `attendance` says
 * whether the patient came (null: not marked yet), with who marked it and when (an undo is
 * allowed the same institution-local day). `late_cancellation` marks a partner booking cancelled
 * by the clinic after the partner's cancellation window closed: it earns no commission.
 */
export async function up(db: Knex): Promise<void> {
  await db.raw(
    "alter table bookings add column attendance varchar(10) null check (attendance is null or attendance in ('arrived', 'completed', 'no_show'))",
  );
  await db.raw('alter table bookings add column attendance_marked_at varchar(30) null');
  await db.raw(
    'alter table bookings add column attendance_marked_by_user_id integer null references users(id)',
  );
  await db.raw('alter table bookings add column late_cancellation boolean not null default false');
  // The bookings list filters by attendance within a date range.
  await db.schema.alterTable('bookings', (t) => {
    t.index(['attendance', 'local_date']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('bookings', (t) => {
    t.dropIndex(['attendance', 'local_date']);
  });
  await db.schema.alterTable('bookings', (t) => {
    t.dropColumn('late_cancellation');
    t.dropColumn('attendance_marked_by_user_id');
    t.dropColumn('attendance_marked_at');
    t.dropColumn('attendance');
  });
}
