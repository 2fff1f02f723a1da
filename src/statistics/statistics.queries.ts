/**
 * Statistics queries. Everything is aggregated in SQL (GROUP BY with COUNT/SUM and CASE), so
 * no request ever loads bookings into memory: the result has one row per group (at most one per
 * day of the period). Written in SQL that runs on SQLite and PostgreSQL alike.
 */
import type { Knex } from 'knex';
import type { CurrentUser } from '../lib/permissions';
import { applyBookingScope, bookingScopeOf, type BookingScope } from '../lib/scope.queries';
import type { FilterOptions, Grouping, Option, StatisticsFilters } from './statistics.types';

export type { FilterOptions, Option } from './statistics.types';

/** Who is asking: the bookings visibility rule shared with the bookings list (bookingScopeOf in src/lib/permissions.ts). */
export type StatisticsScope = BookingScope;

export function scopeOf(user: CurrentUser): StatisticsScope {
  return bookingScopeOf(user);
}

const asOptions = (rows: { id: number; name: string; active: unknown }[]): Option[] =>
  rows.map((r) => ({ id: r.id, name: r.name, active: Boolean(r.active) }));

/** The lists the filter form offers, already limited to what this user may see (inactive ones too: history stays reportable). */
export async function filterOptions(db: Knex, scope: StatisticsScope): Promise<FilterOptions> {
  const [institutions, channels, partners, services, doctors] = await Promise.all([
    db('institutions')
      .select('id', 'name', 'active')
      .modify((q) => {
        if (scope.institutionIds) q.whereIn('id', scope.institutionIds);
      })
      .orderBy('name'),
    db('traffic_channels')
      .select('id', 'name', 'active')
      .modify((q) => {
        if (scope.partnerId !== null) q.where('partner_id', scope.partnerId);
      })
      .orderBy([{ column: 'kind' }, { column: 'sort_order' }, { column: 'name' }]),
    db('partners')
      .select('id', 'name', 'active')
      .modify((q) => {
        if (scope.partnerId !== null) q.where('id', scope.partnerId);
      })
      .orderBy('name'),
    db('services').select('id', 'name', 'active').orderBy('name'),
    db('doctors').select('id', 'name', 'active').orderBy('name'),
  ]);
  return {
    institutions: asOptions(institutions),
    channels: asOptions(channels),
    partners: asOptions(partners),
    services: asOptions(services),
    doctors: asOptions(doctors),
  };
}

/** The appointment's local date, or the local date the booking was made. */
function dateColumn(f: StatisticsFilters): string {
  return f.basis === 'booking' ? 'b.created_local_date' : 'b.local_date';
}

/** bookings filtered by period, filters and scope; every condition sits in the WHERE. */
function filteredBookings(db: Knex, f: StatisticsFilters, scope: StatisticsScope): Knex.QueryBuilder {
  return applyBookingScope(db('bookings as b'), scope, 'b')
    .whereBetween(dateColumn(f), [f.from, f.to])
    .modify((q) => {
      if (f.institutionId !== null) q.where('b.institution_id', f.institutionId);
      if (f.channelId !== null) q.where('b.channel_id', f.channelId);
      if (f.partnerId !== null) q.where('b.partner_id', f.partnerId);
      if (f.serviceId !== null) q.where('b.service_id', f.serviceId);
      if (f.doctorId !== null) q.where('b.doctor_id', f.doctorId);
      if (f.partnerOnly) q.whereNotNull('b.partner_id');
    });
}

export type GroupRow = {
  key: string;
  label: string;
  bookings: number;
  cancellations: number;
  partnerNet: number;
  revenueMinor: number;
  commissionMinor: number;
  noShows: number;
  lateCancellations: number;
};

/** The named dimension each grouping joins, or null for the date groupings. */
const dimensions: Partial<Record<Grouping, { table: string; column: string }>> = {
  institution: { table: 'institutions', column: 'b.institution_id' },
  channel: { table: 'traffic_channels', column: 'b.channel_id' },
  partner: { table: 'partners', column: 'b.partner_id' },
  service: { table: 'services', column: 'b.service_id' },
  doctor: { table: 'doctors', column: 'b.doctor_id' },
};

export const noPartnerLabel = 'Clinic channels (no partner)';

/** A booking earns its commission snapshot while it stands and the patient was not a no-show (issues 16, 17). */
const earnsCommission = "b.status = 'booked' and (b.attendance is null or b.attendance <> 'no_show')";

/**
 * One row per group. Weeks are not grouped here: the caller asks for days and folds them into
 * ISO weeks in code, because ISO week numbering has no portable SQL spelling (SQLite's strftime
 * lacks %V before 3.46, PostgreSQL wants to_char 'IYYY-"W"IW'); that keeps at most 366 rows a year.
 */
export async function groupedCounts(
  db: Knex,
  f: StatisticsFilters,
  scope: StatisticsScope,
  group: Exclude<Grouping, 'week'>,
): Promise<GroupRow[]> {
  const date = dateColumn(f);
  const q = filteredBookings(db, f, scope).select(
    db.raw('count(*) as bookings'),
    db.raw("sum(case when b.status = 'cancelled' then 1 else 0 end) as cancellations"),
    db.raw(
      "sum(case when b.status = 'booked' and b.partner_id is not null then 1 else 0 end) as partner_net",
    ),
    db.raw("sum(case when b.status = 'booked' then b.price_minor else 0 end) as revenue_minor"),
    // The snapshot taken at booking time; a cancelled booking (late or not) and a no-show earn no commission.
    db.raw(`sum(case when ${earnsCommission} then b.commission_minor else 0 end) as commission_minor`),
    db.raw("sum(case when b.status = 'booked' and b.attendance = 'no_show' then 1 else 0 end) as no_shows"),
    db.raw(
      "sum(case when b.status = 'cancelled' and b.late_cancellation = ? then 1 else 0 end) as late_cancellations",
      [true],
    ),
  );
  const dim = dimensions[group];
  let rows: Record<string, string | number | null>[];
  if (dim) {
    // Aggregate by id first, then look up the few group names (one join per group, not per booking).
    q.select({ group_id: dim.column }).groupBy(dim.column);
    // By name, with "no partner" last on SQLite and PostgreSQL alike (they sort NULL differently).
    rows = await db
      .select('s.*', { label: 'g.name' })
      .from(q.as('s'))
      .leftJoin(`${dim.table} as g`, 'g.id', 's.group_id')
      .orderByRaw('case when g.name is null then 1 else 0 end')
      .orderBy([{ column: 'g.name' }, { column: 's.group_id' }]);
  } else if (group === 'month') {
    rows = await q
      .select(db.raw('substr(??, 1, 7) as group_id', [date]))
      .groupBy(db.raw('substr(??, 1, 7)', [date]))
      .orderBy('group_id');
  } else {
    rows = await q.select({ group_id: date }).groupBy(date).orderBy(date);
  }
  // PostgreSQL returns COUNT/SUM as strings (bigint); SQLite as numbers.
  return rows.map((r) => ({
    key: r.group_id === null ? '' : String(r.group_id),
    label: dim
      ? r.label === null || r.label === undefined
        ? noPartnerLabel
        : String(r.label)
      : String(r.group_id),
    bookings: Number(r.bookings),
    cancellations: Number(r.cancellations),
    partnerNet: Number(r.partner_net),
    revenueMinor: Number(r.revenue_minor),
    commissionMinor: Number(r.commission_minor),
    noShows: Number(r.no_shows),
    lateCancellations: Number(r.late_cancellations),
  }));
}

export type PartnerCommissionRow = {
  partnerId: number;
  name: string;
  active: boolean;
  commissionType: 'percent' | 'fixed';
  commissionValue: number;
  bookings: number;
  revenueMinor: number;
  commissionMinor: number;
};

/**
 * Each partner's commission for the selection: the commission recorded on its bookings that earn
 * one (standing, not a no-show). Partners in scope with no bookings are listed with zero (active ones only, so a
 * long-gone partner does not clutter the list unless it earned something).
 */
export async function partnerCommissions(
  db: Knex,
  f: StatisticsFilters,
  scope: StatisticsScope,
): Promise<PartnerCommissionRow[]> {
  const [partners, sums] = await Promise.all([
    db('partners')
      .select('id', 'name', 'active', 'commission_type', 'commission_value')
      .modify((q) => {
        if (scope.partnerId !== null) q.where('id', scope.partnerId);
        if (f.partnerId !== null) q.where('id', f.partnerId);
      })
      .orderBy('name'),
    filteredBookings(db, f, scope)
      .whereRaw(earnsCommission)
      .whereNotNull('b.partner_id')
      .select(
        'b.partner_id',
        db.raw('count(*) as bookings'),
        db.raw('sum(b.price_minor) as revenue_minor'),
        db.raw('sum(b.commission_minor) as commission_minor'),
      )
      .groupBy('b.partner_id'),
  ]);
  const byPartner = new Map<number, Record<string, unknown>>(
    sums.map((s: Record<string, unknown>) => [Number(s.partner_id), s]),
  );
  return partners
    .map((p: Record<string, unknown>) => {
      const s = byPartner.get(Number(p.id));
      return {
        partnerId: Number(p.id),
        name: String(p.name),
        active: Boolean(p.active),
        commissionType: p.commission_type as 'percent' | 'fixed',
        commissionValue: Number(p.commission_value),
        bookings: Number(s?.bookings ?? 0),
        revenueMinor: Number(s?.revenue_minor ?? 0),
        commissionMinor: Number(s?.commission_minor ?? 0),
      };
    })
    .filter((p: PartnerCommissionRow) => p.active || p.bookings > 0);
}
