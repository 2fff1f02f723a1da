/**
 * Generating slots from schedules. Idempotent: running it twice changes nothing. It never
 * removes a slot that is booked, held, or has booking history; it reports those instead.
 */
import type { Knex } from 'knex';
import { nowIso, writeTransaction } from '../lib/db';
import { slotTimes, type SchedulePlan } from './slot-times';

export type GenerationReport = { created: number; kept: number; removed: number; unchangeable: number; conflicts: number };

type ScheduleRow = { id: number; doctor_id: number; institution_id: number; slot_minutes: number; valid_from: string; valid_to: string | null; active: number | boolean; time_zone: string };

export async function loadPlan(db: Knex, schedule: ScheduleRow): Promise<SchedulePlan> {
  const [hours, breaks, exceptions] = await Promise.all([
    db('schedule_hours').select('weekday', 'start_time', 'end_time').where({ schedule_id: schedule.id }),
    db('schedule_breaks').select('weekday', 'start_time', 'end_time').where({ schedule_id: schedule.id }),
    db('schedule_exceptions').select('date', 'kind', 'start_time', 'end_time').where({ schedule_id: schedule.id }),
  ]);
  return {
    zone: schedule.time_zone,
    slotMinutes: schedule.slot_minutes,
    validFrom: schedule.valid_from,
    validTo: schedule.valid_to,
    hours: hours.map((h) => ({ weekday: h.weekday, start: h.start_time, end: h.end_time })),
    breaks: breaks.map((b) => ({ weekday: b.weekday, start: b.start_time, end: b.end_time })),
    exceptions: exceptions.map((e) => ({ date: e.date, kind: e.kind, start: e.start_time, end: e.end_time })),
  };
}

export async function schedulesFor(db: Knex, filter: { scheduleId?: number } = {}): Promise<ScheduleRow[]> {
  const q = db('schedules')
    .join('institutions', 'institutions.id', 'schedules.institution_id')
    .select('schedules.id', 'schedules.doctor_id', 'schedules.institution_id', 'schedules.slot_minutes', 'schedules.valid_from', 'schedules.valid_to', 'schedules.active', 'institutions.time_zone')
    .orderBy('schedules.id');
  if (filter.scheduleId) q.where('schedules.id', filter.scheduleId);
  return q;
}

/** Brings one schedule's slots in from..to (local dates) in line with its plan, in one transaction. */
export async function generateForSchedule(db: Knex, schedule: ScheduleRow, from: string, to: string): Promise<GenerationReport> {
  const plan = await loadPlan(db, schedule);
  const wanted = schedule.active ? slotTimes(plan, from, to) : [];
  return writeTransaction(db, async (trx) => {
    const report: GenerationReport = { created: 0, kept: 0, removed: 0, unchangeable: 0, conflicts: 0 };
    const existing: { id: number; starts_at: string; ends_at: string; schedule_id: number | null; institution_id: number }[] = await trx('slots')
      .select('id', 'starts_at', 'ends_at', 'schedule_id', 'institution_id')
      .where('doctor_id', schedule.doctor_id)
      .whereBetween('local_date', [addDaysIso(from, -1), addDaysIso(to, 1)]);
    const byStart = new Map(existing.map((s) => [s.starts_at, s]));
    const wantedStarts = new Set<string>();
    const now = nowIso();
    const inserts = [];
    for (const slot of wanted) {
      wantedStarts.add(slot.startsAt);
      const found = byStart.get(slot.startsAt);
      if (!found) {
        inserts.push({ doctor_id: schedule.doctor_id, institution_id: schedule.institution_id, schedule_id: schedule.id, starts_at: slot.startsAt, ends_at: slot.endsAt, local_date: slot.localDate, status: 'open', created_at: now });
      } else if (found.schedule_id === schedule.id && found.ends_at === slot.endsAt) {
        report.kept++;
      } else {
        // The doctor already has a slot at this time from another schedule or institution.
        report.conflicts++;
      }
    }
    for (let i = 0; i < inserts.length; i += 200) {
      const chunk = inserts.slice(i, i + 200);
      await trx('slots').insert(chunk).onConflict(['doctor_id', 'starts_at']).ignore();
      report.created += chunk.length;
    }
    // Slots of this schedule in the range that the plan no longer wants.
    const stale = existing.filter((s) => s.schedule_id === schedule.id && !wantedStarts.has(s.starts_at));
    const inRange = stale.filter((s) => withinLocalRange(s, from, to, plan.zone));
    if (inRange.length) {
      const ids = inRange.map((s) => s.id);
      const inUse = new Set<number>();
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        const [booked, held] = await Promise.all([
          trx('booking_slots').distinct('slot_id').whereIn('slot_id', chunk),
          trx('hold_slots').select('slot_id').whereIn('slot_id', chunk),
        ]);
        for (const r of [...booked, ...held]) inUse.add(r.slot_id);
      }
      const removable = ids.filter((id) => !inUse.has(id));
      for (let i = 0; i < removable.length; i += 500) await trx('slots').whereIn('id', removable.slice(i, i + 500)).del();
      report.removed += removable.length;
      report.unchangeable += inUse.size;
    }
    return report;
  });
}

function addDaysIso(date: string, days: number): string {
  const d = new Date(date + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

// Existing rows were fetched with a day of margin; only touch those whose local date is in range.
function withinLocalRange(slot: { starts_at: string }, from: string, to: string, zone: string): boolean {
  const local = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(slot.starts_at));
  return local >= from && local <= to;
}

/** Generates for every schedule (or one), calling onProgress after each schedule. */
export async function generateSlots(
  db: Knex,
  range: { from: string; to: string; scheduleId?: number },
  onProgress?: (done: number, total: number) => void,
): Promise<GenerationReport> {
  const total: GenerationReport = { created: 0, kept: 0, removed: 0, unchangeable: 0, conflicts: 0 };
  const schedules = await schedulesFor(db, { scheduleId: range.scheduleId });
  let done = 0;
  for (const schedule of schedules) {
    const r = await generateForSchedule(db, schedule, range.from, range.to);
    for (const k of Object.keys(total) as (keyof GenerationReport)[]) total[k] += r[k];
    onProgress?.(++done, schedules.length);
  }
  return total;
}
