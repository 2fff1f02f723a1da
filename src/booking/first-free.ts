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
 */
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { formatLocalTime } from '../lib/time';
import { runFrom } from './calendar';
import { freeSlotsAfter, type FreeSlotRow } from './first-free.queries';

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
  },
): Promise<{ slots: FirstFreeSlot[]; rowsRead: number }> {
  const limit = a.limit ?? firstFreeLimit;
  const doctorIds = a.filter.doctorId ? a.doctorIds.filter((id) => id === a.filter.doctorId) : a.doctorIds;
  const nowMs = Date.parse(a.nowIso);
  const horizonMs = nowMs + horizonDays * 86_400_000;
  const durationMs = a.durationMinutes * 60_000;
  // Starts before the horizon; the slots continuing a run may start up to a duration later.
  const before = new Date(horizonMs + durationMs).toISOString();
  const localDates = a.filter.weekday ? datesOnWeekday(a.today, horizonDays + 1, a.filter.weekday) : null;
  const byDoctor = new Map<number, FreeSlotRow[]>();
  const pending: { row: FreeSlotRow; index: number }[] = [];
  const found: FirstFreeSlot[] = [];
  // Strictly after now: a slot starting now has begun (Past).
  let after = { startsAt: a.nowIso, id: 2_147_483_647 };
  let batch = a.batchSize ?? Math.max(30, limit * 3);
  let rowsRead = 0;
  let exhausted = doctorIds.length === 0 || (localDates !== null && localDates.length === 0);

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
      for (const row of rows) {
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
