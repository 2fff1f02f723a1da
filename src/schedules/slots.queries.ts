/** Every SQL statement of slot generation: schedules and plans to generate from, a doctor's slots, their use. */
import type { Knex } from 'knex';
import { allOf } from '../lib/db.queries';
import { liveHold } from '../booking/holds.queries';
import type { SchedulePlan } from './slot-times';

export type ScheduleRow = {
  id: number;
  doctor_id: number;
  institution_id: number;
  slot_minutes: number;
  valid_from: string;
  valid_to: string | null;
  active: number | boolean;
  time_zone: string;
  /** Schedule, doctor and institution all active and the doctor still works there. */
  effective_active?: number | boolean;
};

export async function loadPlan(db: Knex, schedule: ScheduleRow): Promise<SchedulePlan> {
  const [hours, breaks, exceptions] = await allOf(db, [
    db('schedule_hours').select('weekday', 'start_time', 'end_time').where({ schedule_id: schedule.id }),
    db('schedule_breaks').select('weekday', 'start_time', 'end_time').where({ schedule_id: schedule.id }),
    db('schedule_exceptions')
      .select('date', 'kind', 'start_time', 'end_time')
      .where({ schedule_id: schedule.id }),
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
    .join('doctors', 'doctors.id', 'schedules.doctor_id')
    .leftJoin('doctor_institutions', function () {
      this.on('doctor_institutions.doctor_id', '=', 'schedules.doctor_id').andOn(
        'doctor_institutions.institution_id',
        '=',
        'schedules.institution_id',
      );
    })
    .select(
      'schedules.id',
      'schedules.doctor_id',
      'schedules.institution_id',
      'schedules.slot_minutes',
      'schedules.valid_from',
      'schedules.valid_to',
      'schedules.active',
      'institutions.time_zone',
      db.raw(
        'case when schedules.active = ? and doctors.active = ? and institutions.active = ? and doctor_institutions.doctor_id is not null then 1 else 0 end as effective_active',
        [true, true, true],
      ),
    )
    .orderBy('schedules.id');
  if (filter.scheduleId) q.where('schedules.id', filter.scheduleId);
  return q;
}

export type ExistingSlot = {
  id: number;
  starts_at: string;
  ends_at: string;
  schedule_id: number | null;
  local_date: string;
  status: string;
  blocked_reason: string | null;
};

/** A doctor's slots on local dates from..to, by start. */
export function doctorSlotsBetween(
  db: Knex,
  doctorId: number,
  from: string,
  to: string,
): Promise<ExistingSlot[]> {
  return db('slots')
    .select('id', 'starts_at', 'ends_at', 'schedule_id', 'local_date', 'status', 'blocked_reason')
    .where('doctor_id', doctorId)
    .whereBetween('local_date', [from, to])
    .orderBy('starts_at');
}

export async function deleteSlots(db: Knex, ids: number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500)
    await db('slots')
      .whereIn('id', ids.slice(i, i + 500))
      .del();
}

export async function setSlotsStatus(
  db: Knex,
  ids: number[],
  status: 'open' | 'blocked',
  blockedReason: string | null,
): Promise<void> {
  for (let i = 0; i < ids.length; i += 500)
    await db('slots')
      .whereIn('id', ids.slice(i, i + 500))
      .update({ status, blocked_reason: blockedReason });
}

export type NewSlot = {
  doctor_id: number;
  institution_id: number;
  schedule_id: number;
  starts_at: string;
  ends_at: string;
  local_date: string;
  status: 'open';
  created_at: string;
};

export async function insertSlots(db: Knex, rows: NewSlot[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) await db('slots').insert(rows.slice(i, i + 200));
}

/**
 * Which of the slots are in use: `active` = an active booking (slot_occupancies) or a live hold;
 * `history` = any booking ever (booking_slots, cancelled ones too). Expired holds' claims are released here.
 */
export async function slotUse(
  trx: Knex,
  ids: number[],
  now: string,
): Promise<{ active: Set<number>; history: Set<number> }> {
  const active = new Set<number>();
  const history = new Set<number>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    await trx('hold_slots')
      .whereIn('slot_id', chunk)
      .whereIn('hold_id', trx('holds').select('id').whereNot(liveHold(now)))
      .del();
    const [occupied, held, booked] = await allOf(trx, [
      trx('slot_occupancies').select('slot_id').whereIn('slot_id', chunk),
      trx('hold_slots').select('slot_id').whereIn('slot_id', chunk),
      trx('booking_slots').distinct('slot_id').whereIn('slot_id', chunk),
    ]);
    for (const r of [...occupied, ...held]) active.add(r.slot_id);
    for (const r of booked) history.add(r.slot_id);
  }
  return { active, history };
}
