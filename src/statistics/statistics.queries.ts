/**
 * Statistics queries. Everything is aggregated in SQL (GROUP BY with COUNT/SUM and CASE), so
 * no request ever loads bookings into memory: the result has one row per group (at most one per
 * day of the period). Written in SQL that runs on SQLite and PostgreSQL alike.
 */
import type { Knex } from 'knex';
import type { CurrentUser } from '../lib/permissions';
import { bookingScopeOf, type BookingScope } from '../lib/scope.queries';
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

/**
 * The report reads the per-day summary (migration 040: one row per date basis x day x
 * institution x channel x partner x service x doctor, kept exact by triggers on bookings), never
 * the bookings themselves: a year over a million bookings is ~150k summary rows. Every filter and
 * the user's scope are columns of it; partner_key is the partner id or 0 for the clinic's own
 * channels.
 */
function filteredDays(db: Knex, f: StatisticsFilters, scope: StatisticsScope): Knex.QueryBuilder {
  return db('booking_day_stats as s')
    .where('s.basis', f.basis)
    .whereBetween('s.day', [f.from, f.to])
    .modify((q) => {
      // The same visibility rule as applyBookingScope (lib/scope.queries.ts), on the summary's columns.
      if (scope.partnerId !== null) q.where('s.partner_key', scope.partnerId);
      if (scope.institutionIds) q.whereIn('s.institution_id', [...scope.institutionIds]);
      if (f.institutionId !== null) q.where('s.institution_id', f.institutionId);
      if (f.channelId !== null) q.where('s.channel_id', f.channelId);
      if (f.partnerId !== null) q.where('s.partner_key', f.partnerId);
      if (f.serviceId !== null) q.where('s.service_id', f.serviceId);
      if (f.doctorId !== null) q.where('s.doctor_id', f.doctorId);
      if (f.partnerOnly) q.where('s.partner_key', '<>', 0);
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
  institution: { table: 'institutions', column: 's.institution_id' },
  channel: { table: 'traffic_channels', column: 's.channel_id' },
  partner: { table: 'partners', column: 's.partner_key' },
  service: { table: 'services', column: 's.service_id' },
  doctor: { table: 'doctors', column: 's.doctor_id' },
};

export const noPartnerLabel = 'Clinic channels (no partner)';

/**
 * One row per group. Weeks are not grouped here: the caller asks for days and folds them into
 * ISO weeks in code, because ISO week numbering has no portable SQL spelling (SQLite's strftime
 * lacks %V before 3.46, PostgreSQL wants to_char 'IYYY-"W"IW'); that keeps at most 366 rows a year.
 * A group whose bookings all moved away is a summary row of zeros: HAVING leaves it out, as a
 * live aggregate over bookings would.
 */
export async function groupedCounts(
  db: Knex,
  f: StatisticsFilters,
  scope: StatisticsScope,
  group: Exclude<Grouping, 'week'>,
): Promise<GroupRow[]> {
  const q = filteredDays(db, f, scope)
    .select(
      db.raw('sum(s.bookings) as bookings'),
      db.raw('sum(s.cancellations) as cancellations'),
      db.raw('sum(case when s.partner_key <> 0 then s.bookings - s.cancellations else 0 end) as partner_net'),
      db.raw('sum(s.revenue_minor) as revenue_minor'),
      // The summary already leaves out what earns no commission: cancelled (late or not) and no-shows.
      db.raw('sum(s.commission_minor) as commission_minor'),
      db.raw('sum(s.no_shows) as no_shows'),
      db.raw('sum(s.late_cancellations) as late_cancellations'),
    )
    .havingRaw('sum(s.bookings) > 0');
  const dim = dimensions[group];
  let rows: Record<string, string | number | null>[];
  if (dim) {
    // Aggregate by id first, then look up the few group names (one join per group, not per row).
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
      .select(db.raw('substr(s.day, 1, 7) as group_id'))
      .groupBy(db.raw('substr(s.day, 1, 7)'))
      .orderBy('group_id');
  } else {
    rows = await q.select({ group_id: 's.day' }).groupBy('s.day').orderBy('s.day');
  }
  // PostgreSQL returns COUNT/SUM as strings (bigint); SQLite as numbers.
  return rows.map((r) => {
    // partner_key 0 is "no partner": no partners row matches it, so its label is null.
    const none = r.group_id === null || (group === 'partner' && Number(r.group_id) === 0);
    return {
      key: none ? '' : String(r.group_id),
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
    };
  });
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
    // The bookings that earn a commission: standing (booked) and not a no-show.
    filteredDays(db, f, scope)
      .where('s.partner_key', '<>', 0)
      .select(
        { partner_id: 's.partner_key' },
        db.raw('sum(s.bookings - s.cancellations - s.no_shows) as bookings'),
        db.raw('sum(s.revenue_minor - s.no_show_revenue_minor) as revenue_minor'),
        db.raw('sum(s.commission_minor) as commission_minor'),
      )
      .groupBy('s.partner_key'),
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
