/**
 * The per-day statistics summary (migration 040) against the live aggregate over bookings: the
 * summary is kept by database triggers, and this is the check that it equals what a full read of
 * bookings gives (tests after random operations; an operator can run it too). Rows of zeros in
 * the summary (groups whose bookings all moved away) count as absent.
 */
import type { Knex } from 'knex';

export type DayStatsRow = {
  basis: string;
  day: string;
  institution_id: number;
  channel_id: number;
  partner_key: number;
  service_id: number;
  doctor_id: number;
  bookings: number;
  cancellations: number;
  late_cancellations: number;
  no_shows: number;
  revenue_minor: number;
  commission_minor: number;
  no_show_revenue_minor: number;
};

const keyColumns = [
  'basis',
  'day',
  'institution_id',
  'channel_id',
  'partner_key',
  'service_id',
  'doctor_id',
] as const;
const figureColumns = [
  'bookings',
  'cancellations',
  'late_cancellations',
  'no_shows',
  'revenue_minor',
  'commission_minor',
  'no_show_revenue_minor',
] as const;

function normalise(rows: Record<string, unknown>[]): DayStatsRow[] {
  return rows
    .map((r) => {
      const out: Record<string, string | number> = { basis: String(r.basis), day: String(r.day) };
      for (const c of keyColumns.slice(2)) out[c] = Number(r[c]);
      for (const c of figureColumns) out[c] = Number(r[c]);
      return out as unknown as DayStatsRow;
    })
    .filter((r) => figureColumns.some((c) => r[c] !== 0))
    .sort((a, b) => {
      for (const c of keyColumns) {
        const x = a[c];
        const y = b[c];
        if (x !== y) return x < y ? -1 : 1;
      }
      return 0;
    });
}

/** What the triggers have summed. */
export async function summaryDayStats(db: Knex): Promise<DayStatsRow[]> {
  return normalise(await db('booking_day_stats').select('*'));
}

/** The same rows computed from bookings now (a full read: for checks, not for reports). */
export async function liveDayStats(db: Knex): Promise<DayStatsRow[]> {
  const booked = "b.status = 'booked'";
  const noShow = `${booked} and b.attendance = 'no_show'`;
  const sums = [
    'count(*) as bookings',
    "sum(case when b.status = 'cancelled' then 1 else 0 end) as cancellations",
    "sum(case when b.status = 'cancelled' and b.late_cancellation = ? then 1 else 0 end) as late_cancellations",
    `sum(case when ${noShow} then 1 else 0 end) as no_shows`,
    `sum(case when ${booked} then b.price_minor else 0 end) as revenue_minor`,
    `sum(case when ${booked} and (b.attendance is null or b.attendance <> 'no_show') then b.commission_minor else 0 end) as commission_minor`,
    `sum(case when ${noShow} then b.price_minor else 0 end) as no_show_revenue_minor`,
  ].join(', ');
  const rows: Record<string, unknown>[] = [];
  for (const [basis, column] of [
    ['appointment', 'local_date'],
    ['booking', 'created_local_date'],
  ]) {
    rows.push(
      ...(await db('bookings as b')
        .select(
          db.raw('? as basis', [basis]),
          { day: `b.${column}` },
          'b.institution_id',
          'b.channel_id',
          db.raw('coalesce(b.partner_id, 0) as partner_key'),
          'b.service_id',
          'b.doctor_id',
          db.raw(sums, [true]),
        )
        .groupBy(
          `b.${column}`,
          'b.institution_id',
          'b.channel_id',
          db.raw('coalesce(b.partner_id, 0)'),
          'b.service_id',
          'b.doctor_id',
        )),
    );
  }
  return normalise(rows);
}
