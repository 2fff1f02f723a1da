import type { Knex } from 'knex';

/**
 * Covering indexes for traffic statistics. A report reads every booking in its period; with
 * these the read is an index-only range scan (no table lookups scattered over years of rows),
 * one for each date the period can filter on: the appointment date and the booking date.
 * The single-column date indexes from 011 stay: other features use them.
 */
const columns = [
  'status',
  'institution_id',
  'channel_id',
  'partner_id',
  'service_id',
  'doctor_id',
  'price_minor',
  'commission_minor',
];

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('bookings', (t) => {
    t.index(['local_date', ...columns], 'bookings_statistics_local_date_index');
    t.index(['created_local_date', ...columns], 'bookings_statistics_created_date_index');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('bookings', (t) => {
    t.dropIndex([], 'bookings_statistics_local_date_index');
    t.dropIndex([], 'bookings_statistics_created_date_index');
  });
}
