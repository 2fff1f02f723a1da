/** The schedules feature's reads: schedules with their plans, choices for the form, a day's slots. */
import type { Knex } from 'knex';
import { allOf } from '../lib/db.queries';
import { liveHoldSlots } from '../booking/holds.queries';
import { insertId } from '../lib/db';

export type ScheduleListRow = {
  id: number;
  doctor_id: number;
  doctor_name: string;
  institution_id: number;
  institution_name: string;
  time_zone: string;
  slot_minutes: number;
  valid_from: string;
  valid_to: string | null;
  active: boolean;
  days: string;
};
type ScheduleRow = Omit<ScheduleListRow, 'days'>;
type Interval = { weekday: number; start_time: string; end_time: string };

function scheduleRows(db: Knex) {
  return db('schedules')
    .join('doctors', 'doctors.id', 'schedules.doctor_id')
    .join('institutions', 'institutions.id', 'schedules.institution_id')
    .select(
      'schedules.id',
      'schedules.doctor_id',
      'doctors.name as doctor_name',
      'schedules.institution_id',
      'institutions.name as institution_name',
      'institutions.time_zone',
      'schedules.slot_minutes',
      'schedules.valid_from',
      'schedules.valid_to',
      'schedules.active',
    );
}

export async function listScheduleRows(db: Knex, filter: { doctorId?: number }): Promise<ScheduleRow[]> {
  const q = scheduleRows(db).orderBy([
    { column: 'schedules.active', order: 'desc' },
    'doctors.name',
    'institutions.name',
    'schedules.valid_from',
  ]);
  if (filter.doctorId) q.where('schedules.doctor_id', filter.doctorId);
  const rows: ScheduleRow[] = await q;
  return rows.map((r) => ({ ...r, active: Boolean(r.active) }));
}

/** The weekly hours of the schedules, by weekday. */
export async function weeklyHoursOf(
  db: Knex,
  scheduleIds: number[],
): Promise<(Interval & { schedule_id: number })[]> {
  if (!scheduleIds.length) return [];
  return db('schedule_hours')
    .select('schedule_id', 'weekday', 'start_time', 'end_time')
    .whereIn('schedule_id', scheduleIds)
    .orderBy('weekday');
}

export async function findScheduleRow(db: Knex, id: number): Promise<ScheduleRow | undefined> {
  const row: ScheduleRow | undefined = await scheduleRows(db).where('schedules.id', id).first();
  return row && { ...row, active: Boolean(row.active) };
}

/** A schedule's hours, breaks and date exceptions. */
export async function planOf(db: Knex, id: number) {
  const [hours, breaks, exceptions] = await allOf(db, [
    db('schedule_hours')
      .select('weekday', 'start_time', 'end_time')
      .where({ schedule_id: id })
      .orderBy(['weekday', 'start_time']),
    db('schedule_breaks')
      .select('weekday', 'start_time', 'end_time')
      .where({ schedule_id: id })
      .orderBy(['weekday', 'start_time']),
    db('schedule_exceptions')
      .select('id', 'date', 'kind', 'start_time', 'end_time', 'note')
      .where({ schedule_id: id })
      .orderBy('date'),
  ]);
  return {
    hours: hours as Interval[],
    breaks: breaks as Interval[],
    exceptions: exceptions as {
      id: number;
      date: string;
      kind: string;
      start_time: string | null;
      end_time: string | null;
      note: string | null;
    }[],
  };
}

/** Doctors and institutions to choose from for a new schedule (active ones, with who works where). */
export async function scheduleChoices(db: Knex) {
  const [doctors, institutions, links] = await Promise.all([
    db('doctors').select('id', 'name').where({ active: true }).orderBy('name'),
    db('institutions').select('id', 'name', 'time_zone').where({ active: true }).orderBy('name'),
    db('doctor_institutions').select('doctor_id', 'institution_id'),
  ]);
  return { doctors, institutions, links };
}

/** The slots of one doctor at one institution on a local date, with booking and live hold. */
export async function slotsOfDayRows(
  db: Knex,
  schedule: { doctor_id: number; institution_id: number },
  date: string,
  now: string,
) {
  const rows = await db('slots')
    .leftJoin('slot_occupancies', 'slot_occupancies.slot_id', 'slots.id')
    .leftJoin(liveHoldSlots(db, now).as('live'), 'live.slot_id', 'slots.id')
    .select(
      'slots.id',
      'slots.starts_at',
      'slots.ends_at',
      'slots.status',
      'slots.blocked_reason',
      'slots.schedule_id',
      'slot_occupancies.booking_id',
      'live.hold_id',
    )
    .where({
      'slots.doctor_id': schedule.doctor_id,
      'slots.institution_id': schedule.institution_id,
      'slots.local_date': date,
    })
    .orderBy('slots.starts_at');
  return rows;
}

export type SlotPlace = { id: number; doctor_id: number; institution_id: number; local_date: string };

export async function findSlotPlace(db: Knex, slotId: number): Promise<SlotPlace | undefined> {
  return (await db('slots')
    .select('id', 'doctor_id', 'institution_id', 'local_date')
    .where({ id: slotId })
    .first()) as SlotPlace | undefined;
}

/** The schedule page to go back to after blocking a slot. */
export async function scheduleOfSlot(
  db: Knex,
  slot: { doctor_id: number; institution_id: number },
): Promise<number | null> {
  const row = await db('schedules')
    .select('id')
    .where({ doctor_id: slot.doctor_id, institution_id: slot.institution_id })
    .orderBy([
      { column: 'active', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .first();
  return row?.id ?? null;
}

type PlanRow = { schedule_id: number; weekday: number; start_time: string; end_time: string };

/** Replaces a schedule's weekly hours and breaks. */
export async function replacePlan(db: Knex, scheduleId: number, hours: PlanRow[], breaks: PlanRow[]) {
  await db('schedule_hours').where({ schedule_id: scheduleId }).del();
  await db('schedule_breaks').where({ schedule_id: scheduleId }).del();
  if (hours.length) await db('schedule_hours').insert(hours);
  if (breaks.length) await db('schedule_breaks').insert(breaks);
}

export async function scheduleState(
  db: Knex,
  id: number,
): Promise<{ id: number; active: boolean } | undefined> {
  const row = (await db('schedules').select('id', 'active').where({ id }).first()) as
    { id: number; active: unknown } | undefined;
  return row && { id: row.id, active: Boolean(row.active) };
}

export async function setScheduleActive(db: Knex, id: number, active: boolean): Promise<void> {
  await db('schedules').where({ id }).update({ active });
}

export async function hasExceptionOn(db: Knex, scheduleId: number, date: string): Promise<boolean> {
  return Boolean(await db('schedule_exceptions').where({ schedule_id: scheduleId, date }).first('id'));
}

/** The zone of the schedule's institution; undefined when there is no such schedule. */
export async function scheduleTimeZone(db: Knex, scheduleId: number): Promise<string | undefined> {
  const row = (await db('schedules')
    .join('institutions', 'institutions.id', 'schedules.institution_id')
    .select('institutions.time_zone')
    .where('schedules.id', scheduleId)
    .first()) as { time_zone: string } | undefined;
  return row?.time_zone;
}

/** The furthest local date the schedule has slots on, from `from` on; null when none. */
export async function lastSlotDate(db: Knex, scheduleId: number, from: string): Promise<string | null> {
  const row = (await db('slots')
    .where({ schedule_id: scheduleId })
    .andWhere('local_date', '>=', from)
    .max({ date: 'local_date' })
    .first()) as { date: string | null } | undefined;
  return row?.date ?? null;
}

export async function recordState(
  db: Knex,
  table: 'doctors' | 'institutions',
  id: number,
): Promise<{ id: number; active: boolean } | undefined> {
  const row = (await db(table).select('id', 'active').where({ id }).first()) as
    { id: number; active: unknown } | undefined;
  return row && { id: row.id, active: Boolean(row.active) };
}

export async function worksAt(db: Knex, doctorId: number, institutionId: number): Promise<boolean> {
  return Boolean(
    await db('doctor_institutions')
      .select('doctor_id')
      .where({ doctor_id: doctorId, institution_id: institutionId })
      .first(),
  );
}

type ScheduleTerms = { slot_minutes: number; valid_from: string; valid_to: string | null };

export function insertSchedule(
  db: Knex,
  row: ScheduleTerms & {
    doctor_id: number | null;
    institution_id: number | null;
    active: boolean;
    created_at: string;
  },
): Promise<number> {
  return insertId(db, 'schedules', row);
}

export async function updateScheduleTerms(db: Knex, id: number, terms: ScheduleTerms): Promise<void> {
  await db('schedules').where({ id }).update(terms);
}

export async function insertException(
  db: Knex,
  row: {
    schedule_id: number;
    date: string;
    kind: string;
    start_time: string | null;
    end_time: string | null;
    note: string | null;
  },
): Promise<void> {
  await db('schedule_exceptions').insert(row);
}

export function findException(db: Knex, scheduleId: number, exceptionId: number) {
  return db('schedule_exceptions')
    .select('id', 'date', 'kind', 'start_time', 'end_time', 'note')
    .where({ id: exceptionId, schedule_id: scheduleId })
    .first() as Promise<
    | {
        id: number;
        date: string;
        kind: string;
        start_time: string | null;
        end_time: string | null;
        note: string | null;
      }
    | undefined
  >;
}

export async function deleteException(db: Knex, exceptionId: number): Promise<void> {
  await db('schedule_exceptions').where({ id: exceptionId }).del();
}

export type SlotRecord = SlotPlace & { status: string; starts_at: string; blocked_reason: string | null };

export function findSlot(db: Knex, slotId: number): Promise<SlotRecord | undefined> {
  return db('slots')
    .select('id', 'doctor_id', 'institution_id', 'local_date', 'status', 'starts_at', 'blocked_reason')
    .where({ id: slotId })
    .first() as Promise<SlotRecord | undefined>;
}

export async function isBooked(db: Knex, slotId: number): Promise<boolean> {
  return Boolean(await db('slot_occupancies').where({ slot_id: slotId }).first('slot_id'));
}

export async function isHeld(db: Knex, slotId: number, now: string): Promise<boolean> {
  return Boolean(await liveHoldSlots(db, now).where('hold_slots.slot_id', slotId).first());
}

export async function setSlotStatus(
  db: Knex,
  slotId: number,
  status: 'open' | 'blocked',
  blockedReason: string | null,
): Promise<void> {
  await db('slots').where({ id: slotId }).update({ status, blocked_reason: blockedReason });
}
