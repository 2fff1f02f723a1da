/**
 * The traffic statistics report: grouped rows (with empty days/weeks/months filled in so the
 * chart does not hide quiet periods), totals, each partner's commission, and the column list
 * the HTML table and the CSV export share, so the two can never disagree.
 */
import { describeCommission } from '../lib/money';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { groupingLabels, type Grouping, type StatisticsFilters } from './statistics.filters';
import {
  groupedCounts,
  partnerCommissions,
  type GroupRow,
  type PartnerCommissionRow,
  type StatisticsScope,
} from './statistics.queries';

export type ReportRow = GroupRow & { net: number };

export type Report = {
  filters: StatisticsFilters;
  groupHeader: string;
  rows: ReportRow[];
  totals: ReportRow;
  commissions: PartnerCommissionRow[];
  commissionTotal: { bookings: number; revenueMinor: number; commissionMinor: number };
};

export type Column = {
  key:
    | 'bookings'
    | 'cancellations'
    | 'net'
    | 'partnerNet'
    | 'revenueMinor'
    | 'commissionMinor'
    | 'noShows'
    | 'lateCancellations';
  header: string;
  money: boolean;
};

/** The table's figure columns, in order (the first column is the group label). */
export const reportColumns: readonly Column[] = [
  { key: 'bookings', header: 'Bookings', money: false },
  { key: 'cancellations', header: 'Cancellations', money: false },
  { key: 'net', header: 'Net bookings', money: false },
  { key: 'partnerNet', header: 'Partner bookings (net)', money: false },
  { key: 'revenueMinor', header: 'Revenue', money: true },
  { key: 'commissionMinor', header: 'Partner commission', money: true },
  { key: 'noShows', header: 'No-shows', money: false },
  { key: 'lateCancellations', header: 'Late cancellations', money: false },
];

const timeGroupings: readonly Grouping[] = ['day', 'week', 'month'];

/** "2026-W48": the ISO week-numbering year and week of a local date. */
export function isoWeekLabel(localDate: string): string {
  return DateTime.fromISO(localDate).toFormat("kkkk-'W'WW");
}

/** Every day, ISO week or month key in the period, in order. */
export function periodKeys(from: string, to: string, group: 'day' | 'week' | 'month'): string[] {
  const keys: string[] = [];
  const end = DateTime.fromISO(to);
  let d = DateTime.fromISO(from);
  if (group === 'day') {
    for (; d <= end; d = d.plus({ days: 1 })) keys.push(d.toISODate()!);
  } else if (group === 'week') {
    for (d = d.startOf('week'); d <= end; d = d.plus({ weeks: 1 })) keys.push(isoWeekLabel(d.toISODate()!));
  } else {
    for (d = d.startOf('month'); d <= end; d = d.plus({ months: 1 })) keys.push(d.toFormat('yyyy-MM'));
  }
  return keys;
}

function emptyRow(key: string, label = key): ReportRow {
  return {
    key,
    label,
    bookings: 0,
    cancellations: 0,
    net: 0,
    partnerNet: 0,
    revenueMinor: 0,
    commissionMinor: 0,
    noShows: 0,
    lateCancellations: 0,
  };
}

function addInto(target: ReportRow, row: GroupRow): void {
  target.bookings += row.bookings;
  target.cancellations += row.cancellations;
  target.partnerNet += row.partnerNet;
  target.revenueMinor += row.revenueMinor;
  target.commissionMinor += row.commissionMinor;
  target.noShows += row.noShows;
  target.lateCancellations += row.lateCancellations;
  target.net = target.bookings - target.cancellations;
}

export async function buildReport(
  db: Knex,
  filters: StatisticsFilters,
  scope: StatisticsScope,
): Promise<Report> {
  const group = filters.group;
  const [grouped, commissions] = await Promise.all([
    groupedCounts(db, filters, scope, group === 'week' ? 'day' : group),
    partnerCommissions(db, filters, scope),
  ]);

  let rows: ReportRow[];
  if (timeGroupings.includes(group)) {
    const buckets = new Map(
      periodKeys(filters.from, filters.to, group as 'day' | 'week' | 'month').map((k) => [k, emptyRow(k)]),
    );
    for (const row of grouped) {
      const key = group === 'week' ? isoWeekLabel(row.key) : row.key;
      const bucket = buckets.get(key);
      if (bucket) addInto(bucket, row);
    }
    rows = [...buckets.values()];
  } else {
    rows = grouped.map((r) => ({ ...r, net: r.bookings - r.cancellations }));
  }

  const totals = emptyRow('total', 'Total');
  for (const row of rows) addInto(totals, row);
  const commissionTotal = { bookings: 0, revenueMinor: 0, commissionMinor: 0 };
  for (const c of commissions) {
    commissionTotal.bookings += c.bookings;
    commissionTotal.revenueMinor += c.revenueMinor;
    commissionTotal.commissionMinor += c.commissionMinor;
  }
  return { filters, groupHeader: groupingLabels[group], rows, totals, commissions, commissionTotal };
}

/** A partner's commission snapshot in the app's one wording (lib/money.ts describeCommission). */
export function commissionRule(
  p: Pick<PartnerCommissionRow, 'commissionType' | 'commissionValue'>,
  money: (minor: number) => string,
): string {
  return describeCommission({ type: p.commissionType, value: p.commissionValue }, money);
}
