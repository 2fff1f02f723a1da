/**
 * The pure rules of partner contracts (no database): allotment periods, whether a date is inside
 * a cell's validity, whether a reserved block covers a slot and until when it holds it.
 */
import { DateTime } from 'luxon';
import type { BlockRow, Period, Validity } from './contracts.queries';

/** The period a local appointment date falls in: 2027-01-18 (day), 2027-W03 (ISO week), 2027-01 (month). */
export function periodKey(period: Period, localDate: string): string {
  if (period === 'day') return localDate;
  if (period === 'month') return localDate.slice(0, 7);
  return DateTime.fromISO(localDate, { zone: 'utc' }).toFormat("kkkk-'W'WW");
}

/** The first and last local date of the period containing `localDate`. */
export function periodRange(period: Period, localDate: string): { from: string; to: string } {
  if (period === 'day') return { from: localDate, to: localDate };
  const d = DateTime.fromISO(localDate, { zone: 'utc' });
  const unit = period === 'week' ? 'week' : 'month';
  return { from: d.startOf(unit).toISODate()!, to: d.endOf(unit).toISODate()! };
}

/** Is this appointment date inside the cell's validity (either end open)? */
export function withinValidity(v: Validity | undefined, localDate: string): boolean {
  if (!v) return true;
  if (v.valid_from && localDate < v.valid_from) return false;
  if (v.valid_to && localDate > v.valid_to) return false;
  return true;
}

/** ISO weekday bits: Monday = 1, Tuesday = 2, Wednesday = 4, ... Sunday = 64. */
export const weekdayBit = (isoWeekday: number) => 1 << (isoWeekday - 1);
export const weekdayNumbers = [1, 2, 3, 4, 5, 6, 7] as const;

export function weekdaysOf(mask: number): number[] {
  return weekdayNumbers.filter((d) => (mask & weekdayBit(d)) !== 0);
}

type SlotTimes = { starts_at: string; ends_at: string; local_date: string };

/** Does the block span this slot: its doctor and institution (the caller's), date range, weekday and hours? */
export function blockCovers(b: BlockRow, slot: SlotTimes, zone: string): boolean {
  if (slot.local_date < b.date_from || slot.local_date > b.date_to) return false;
  const start = DateTime.fromISO(slot.starts_at, { zone: 'utc' }).setZone(zone);
  if ((b.weekdays & weekdayBit(start.weekday)) === 0) return false;
  const end = DateTime.fromISO(slot.ends_at, { zone: 'utc' }).setZone(zone);
  const from = start.toFormat('HH:mm');
  // A slot ending at midnight ends at "24:00" of its day.
  const to = end.toISODate() !== start.toISODate() ? '24:00' : end.toFormat('HH:mm');
  return from >= b.from_time && to <= b.to_time;
}

/** When the block lets go of this slot: D days (same local time, DST-correct) or H hours before it starts. */
export function releaseAt(b: BlockRow, startsAt: string, zone: string): DateTime {
  const start = DateTime.fromISO(startsAt, { zone: 'utc' }).setZone(zone);
  return b.release_unit === 'days'
    ? start.minus({ days: b.release_value })
    : start.minus({ hours: b.release_value });
}

/**
 * The block that holds this slot away from `partnerId` now (null: the slot is open to that
 * channel). A partner's own block never holds a slot away from it; a clinic channel (null
 * partner) is held away from every block.
 */
export function heldAwayBy<B extends BlockRow>(
  blocks: B[],
  slot: SlotTimes & { doctor_id: number },
  zone: string,
  partnerId: number | null,
  nowMs: number,
): B | null {
  for (const b of blocks) {
    if (b.doctor_id !== slot.doctor_id || b.partner_id === partnerId) continue;
    if (!blockCovers(b, slot, zone)) continue;
    if (nowMs < releaseAt(b, slot.starts_at, zone).toMillis()) return b;
  }
  return null;
}
