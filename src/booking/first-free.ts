/**
 * First free slots: the next free starts of one service at one institution, across the doctors
 * offering it there (or one of them), soonest first, within the next 90 days. The rules are the
 * calendar's own: a start is offered only when the run of consecutive free slots the service needs
 * begins there (runFrom), and free means not booked, not held, not blocked, not closed and not past
 * (the query filters those; lib/slot-state names them).
 *
 * The free slots come in time order in batches (first-free.queries); a start is decided once every
 * slot its run could use has been read (the stream has passed start + duration), so the answer is
 * exact without reading more than the first few hundred rows when the clinic has room.
 *
 * The partner contracts (src/contracts) apply to each batch as it is read, with the calendar's own
 * marker (contractMarker): a slot outside the channel cell's validity, reserved for another
 * partner's block before its release (from the app clock), or in an allotment period that is used
 * up is not free here, so a run cannot use it either. The read starts and ends inside the
 * validity, and jumps over a used-up period instead of reading it.
 */
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { formatLocalTime } from '../lib/time';
import { runFrom } from './calendar';
import { freeSlotsAfter, type FreeSlotRow } from './first-free.queries';
import { contractMarker, type ContractLabels, type ContractScope } from '../contracts/contracts.service';
import type { ContractMarks } from '../contracts/contracts.service';

/** First free slots drops what a contract marks, so the words are never shown. */
const unshownLabels: ContractLabels = { unavailable: '', full: '', reserved: () => '' };

/** The instant a local date starts at the institution (UTC ISO, the slots' format). */
function startOfLocalDate(date: string, zone: string): string {
  return DateTime.fromISO(date, { zone }).startOf('day').toUTC().toISO()!;
}

export const horizonDays = 90;
export const firstFreeLimit = 10;

export type FirstFreeFilter = {
  doctorId: number | null;
  /** Start time of day window, local HH:MM: from <= start < to. */
  from: string | null;
  to: string | null;
  /** ISO weekday, 1 = Monday. */
  weekday: number | null;
};

export type FirstFreeSlot = {
  slotId: number;
  doctorId: number;
  startsAt: string;
  endsAt: string;
  localDate: string;
};

/** Local dates from `today` for `days` days that fall on an ISO weekday. */
export function datesOnWeekday(today: string, days: number, weekday: number): string[] {
  const out: string[] = [];
  const first = DateTime.fromISO(today, { zone: 'utc' });
  for (let i = 0; i <= days; i++) {
    const d = first.plus({ days: i });
    if (d.weekday === weekday) out.push(d.toISODate()!);
  }
  return out;
}

export async function firstFreeSlots(
  db: Knex,
  a: {
    institutionId: number;
    zone: string;
    doctorIds: number[];
    durationMinutes: number;
    nowIso: string;
    today: string;
    filter: FirstFreeFilter;
    limit?: number;
    /** Rows per read (the first; later reads double, up to 2,000). Tests make it small. */
    batchSize?: number;
    /** The channel (and partner) the list is for: its contracts take slots away. */
    contracts?: Omit<ContractScope, 'institutionId' | 'zone'> & { serviceId: number };
  },
): Promise<{ slots: FirstFreeSlot[]; rowsRead: number }> {
  const limit = a.limit ?? firstFreeLimit;
  const doctorIds = a.filter.doctorId ? a.doctorIds.filter((id) => id === a.filter.doctorId) : a.doctorIds;
  const nowMs = Date.parse(a.nowIso);
  const horizonMs = nowMs + horizonDays * 86_400_000;
  const durationMs = a.durationMinutes * 60_000;
  // Starts before the horizon; the slots continuing a run may start up to a duration later.
  let before = new Date(horizonMs + durationMs).toISOString();
  const localDates = a.filter.weekday ? datesOnWeekday(a.today, horizonDays + 1, a.filter.weekday) : null;
  const byDoctor = new Map<number, FreeSlotRow[]>();
  const pending: { row: FreeSlotRow; index: number }[] = [];
  const found: FirstFreeSlot[] = [];
  // Strictly after now: a slot starting now has begun (Past).
  let after = { startsAt: a.nowIso, id: 2_147_483_647 };
  let batch = a.batchSize ?? Math.max(30, limit * 3);
  let rowsRead = 0;
  let exhausted = doctorIds.length === 0 || (localDates !== null && localDates.length === 0);
  const marker = a.contracts
    ? contractMarker(db, { ...a.contracts, institutionId: a.institutionId, zone: a.zone })
    : null;
  // Inside the cell's validity only (appointment dates, institution-local): start and stop there.
  const validity = marker ? await marker.validity() : undefined;
  if (validity?.valid_from) {
    const start = startOfLocalDate(validity.valid_from, a.zone);
    if (start > after.startsAt) after = { startsAt: start, id: 0 };
  }
  if (validity?.valid_to) {
    const end = startOfLocalDate(DateTime.fromISO(validity.valid_to).plus({ days: 1 }).toISODate()!, a.zone);
    if (end < before) before = end;
  }
  if (after.startsAt >= before) exhausted = true;

  const wanted = (row: FreeSlotRow) => {
    const start = Date.parse(row.starts_at);
    if (start <= nowMs || start >= horizonMs) return false;
    if (a.filter.from || a.filter.to) {
      const time = formatLocalTime(row.starts_at, a.zone);
      if (a.filter.from && time < a.filter.from) return false;
      if (a.filter.to && time >= a.filter.to) return false;
    }
    return true;
  };

  while (found.length < limit) {
    if (!exhausted) {
      const rows = await freeSlotsAfter(db, {
        institutionId: a.institutionId,
        doctorIds,
        after,
        before,
        nowIso: a.nowIso,
        localDates,
        limit: batch,
      });
      rowsRead += rows.length;
      const marked = rows as (FreeSlotRow & ContractMarks)[];
      if (marker && rows.length)
        await marker.mark(marked, rows[0].local_date, rows[rows.length - 1].local_date, unshownLabels);
      for (const row of marked) {
        if (row.contract) continue; // not free for this channel: no start, and no run through it
        const list = byDoctor.get(row.doctor_id) ?? [];
        list.push(row);
        byDoctor.set(row.doctor_id, list);
        pending.push({ row, index: list.length - 1 });
      }
      if (rows.length < batch) exhausted = true;
      else {
        const last = rows[rows.length - 1];
        after = { startsAt: last.starts_at, id: last.id };
        batch = Math.min(batch * 2, Math.max(batch, 2000));
        // A used-up allotment period offers nothing: continue after it rather than read it.
        const fullThrough = marker ? await marker.fullThrough(last.local_date) : null;
        if (fullThrough) {
          const next = startOfLocalDate(DateTime.fromISO(fullThrough).plus({ days: 1 }).toISODate()!, a.zone);
          if (next > after.startsAt) after = { startsAt: next, id: 0 };
          if (after.startsAt >= before) exhausted = true;
        }
      }
    }
    // Every slot starting before this instant has been read.
    const completeBefore = exhausted ? Infinity : Date.parse(after.startsAt);
    while (pending.length && found.length < limit) {
      const { row, index } = pending[0];
      if (!wanted(row)) {
        pending.shift();
        continue;
      }
      const slots = byDoctor.get(row.doctor_id)!;
      const run = runFrom(slots, index, a.durationMinutes);
      if (run) {
        const last = slots[run[run.length - 1]];
        found.push({
          slotId: row.id,
          doctorId: row.doctor_id,
          startsAt: row.starts_at,
          endsAt: last.ends_at,
          localDate: row.local_date,
        });
        pending.shift();
      } else if (Date.parse(row.starts_at) + durationMs <= completeBefore) {
        pending.shift(); // not enough consecutive free time from here, and nothing more can come
      } else break; // the rest of its run may be in the next batch
    }
    if (exhausted && pending.length === 0) break;
    if (exhausted && found.length >= limit) break;
  }
  return { slots: found, rowsRead };
}
