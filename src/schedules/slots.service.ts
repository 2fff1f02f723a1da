/**
 * Generating slots from schedules. Idempotent: running it twice changes nothing. It never
 * removes or moves a slot that is booked or held; it reports those instead ("could not change").
 * A slot with only cancelled bookings cannot be deleted (history) and is blocked instead. A wanted slot that would overlap a slot the doctor already has
 * (from another schedule or institution, or a kept booked slot) is not created: a conflict.
 */
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { writeTransaction } from '../lib/db';
import type { Clock } from '../lib/clock';
import { addDays, calendarDay } from '../lib/time';
import * as q from './slots.queries';
import { loadPlan, schedulesFor, type ExistingSlot, type ScheduleRow } from './slots.queries';
import { slotTimes, type SlotTime } from './slot-times';
import { translatorFor, type Translate } from '../i18n';

export type GenerationReport = {
  created: number;
  kept: number;
  removed: number;
  unchangeable: number;
  conflicts: number;
};

export const emptyReport = (): GenerationReport => ({
  created: 0,
  kept: 0,
  removed: 0,
  unchangeable: 0,
  conflicts: 0,
});

export { loadPlan, schedulesFor, type ScheduleRow } from './slots.queries';

/**
 * The reason on a slot the plan no longer wants but that cannot be deleted: it has only
 * cancelled bookings, and booking_slots keeps that history. Blocked, it is no longer offered.
 */
export const removedReason = 'Removed from the schedule';

const isRetired = (s: ExistingSlot) => s.status === 'blocked' && s.blocked_reason === removedReason;

/** Brings one schedule's slots in from..to (local dates) in line with its plan, in one transaction. */
export async function generateForSchedule(
  db: Knex,
  schedule: ScheduleRow,
  from: string,
  to: string,
  clock: Clock,
): Promise<GenerationReport> {
  const plan = await loadPlan(db, schedule);
  const active = Boolean(schedule.effective_active ?? schedule.active);
  const wanted = active ? slotTimes(plan, from, to) : [];
  return writeTransaction(db, async (trx) => {
    const report = emptyReport();
    const now = clock.nowIso();
    // A day of margin on each side: a neighbouring day's slot may overlap in UTC.
    const existing = await q.doctorSlotsBetween(trx, schedule.doctor_id, addDays(from, -1), addDays(to, 1));
    const wantedKey = new Set(wanted.map((w) => `${w.startsAt}|${w.endsAt}`));

    // 1. This schedule's slots in range that the plan no longer wants (or wants with another length).
    //    A slot with no booking history is deleted. One with history cannot be (booking_slots keeps
    //    it), and one booked or held right now must keep its booking: both are blocked instead, so
    //    once that booking is cancelled or the hold lapses the slot is not offered again (a day off
    //    stays off). Booked/held ones are reported as "could not change": their bookings need moving.
    const stale = existing.filter(
      (s) =>
        s.schedule_id === schedule.id &&
        s.local_date >= from &&
        s.local_date <= to &&
        !wantedKey.has(`${s.starts_at}|${s.ends_at}`),
    );
    const use = await q.slotUse(
      trx,
      stale.map((s) => s.id),
      now,
    );
    const removable = stale.filter((s) => !use.active.has(s.id) && !use.history.has(s.id)).map((s) => s.id);
    const retire = stale
      .filter((s) => s.status === 'open' && (use.active.has(s.id) || use.history.has(s.id)))
      .map((s) => s.id);
    await q.deleteSlots(trx, removable);
    await q.setSlotsStatus(trx, retire, 'blocked', removedReason);
    report.removed = removable.length + retire.filter((id) => !use.active.has(id)).length;
    report.unchangeable = stale.filter((s) => use.active.has(s.id)).length;

    // 2. What the doctor keeps: everything not just deleted (a blocked slot still takes its time).
    const removed = new Set(removable);
    const remaining = existing.filter((s) => !removed.has(s.id));
    const sameSlot = new Map(
      remaining.filter((s) => s.schedule_id === schedule.id).map((s) => [`${s.starts_at}|${s.ends_at}`, s]),
    );

    // 3. Create what is wanted and missing, unless it overlaps something the doctor already has.
    //    A slot this generation once blocked as removed is opened again when the plan wants it back.
    const inserts: q.NewSlot[] = [];
    const reopen: number[] = [];
    for (const slot of wanted) {
      const same = sameSlot.get(`${slot.startsAt}|${slot.endsAt}`);
      if (same && isRetired(same)) {
        reopen.push(same.id);
      } else if (same) {
        report.kept++;
      } else if (overlapsAny(slot, remaining)) {
        report.conflicts++;
      } else {
        inserts.push({
          doctor_id: schedule.doctor_id,
          institution_id: schedule.institution_id,
          schedule_id: schedule.id,
          starts_at: slot.startsAt,
          ends_at: slot.endsAt,
          local_date: slot.localDate,
          status: 'open',
          created_at: now,
        });
      }
    }
    await q.setSlotsStatus(trx, reopen, 'open', null);
    // We hold the write lock and checked overlaps, so the unique (doctor, start) cannot fire.
    await q.insertSlots(trx, inserts);
    report.created = inserts.length + reopen.length;
    return report;
  });
}

function overlapsAny(slot: SlotTime, existing: ExistingSlot[]): boolean {
  // ISO UTC strings of one format compare correctly as text.
  return existing.some((s) => s.starts_at < slot.endsAt && s.ends_at > slot.startsAt);
}

/** Splits a long range into month-sized pieces so progress can be shown and transactions stay short. */
export function rangeChunks(from: string, to: string, days = 31): { from: string; to: string }[] {
  const out: { from: string; to: string }[] = [];
  const last = calendarDay(to);
  // Compared as DateTimes: past year 9999 luxon's ISO text ("+010000-01-01") no longer sorts as a date.
  for (
    let start = calendarDay(from);
    start.isValid && last.isValid && start <= last;
    start = start.plus({ days })
  ) {
    out.push({
      from: start.toISODate()!,
      to: DateTime.min(start.plus({ days: days - 1 }), last).toISODate()!,
    });
  }
  return out;
}

/** Generates for every schedule (or one), calling onProgress after each schedule and month. */
export async function generateSlots(
  db: Knex,
  clock: Clock,
  range: { from: string; to: string; scheduleId?: number },
  onProgress?: (done: number, total: number) => void,
): Promise<GenerationReport> {
  const total = emptyReport();
  const schedules = await schedulesFor(db, { scheduleId: range.scheduleId });
  const chunks = rangeChunks(range.from, range.to);
  const steps = schedules.length * chunks.length;
  let done = 0;
  for (const schedule of schedules) {
    for (const chunk of chunks) {
      const r = await generateForSchedule(db, schedule, chunk.from, chunk.to, clock);
      for (const k of Object.keys(total) as (keyof GenerationReport)[]) total[k] += r[k];
      onProgress?.(++done, steps);
    }
  }
  return total;
}

/** One line a person can read: "Created 12, kept 30, removed 0, could not change 1, conflicts 0." */
export function describeReport(r: GenerationReport, t: Translate = translatorFor('en')): string {
  const line = t('schedules.report', {
    created: r.created,
    kept: r.kept,
    removed: r.removed,
    unchangeable: r.unchangeable,
    conflicts: r.conflicts,
  });
  return r.unchangeable > 0 ? `${line} ${t('schedules.reportBlocked')}` : line;
}
