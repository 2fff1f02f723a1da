/**
 * Doctor schedules: the weekly plan (hours and breaks per weekday), validity, slot length and
 * date exceptions; slot generation from the page; blocking and unblocking single slots.
 * All times are local wall-clock times (HH:MM) in the institution's zone.
 */
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { audit } from '../lib/audit';
import { isUniqueViolation, writeTransaction } from '../lib/db';
import type { Clock } from '../lib/clock';
import { Conflict, NotFound, Validation } from '../lib/errors';
import type { CurrentUser } from '../lib/permissions';
import { addDays, daysBetween, formatLocalTime, todayIn } from '../lib/time';
import { describeReport, generateSlots, type GenerationReport } from './slots.service';
import * as q from './schedules.queries';
import { messages, weekdayNames, weekdays, type ExceptionInput, type ScheduleInput } from './schedules.forms';
import type { ScheduleListRow } from './schedules.queries';
import { applyClosures, singleState, slotStateText, type SingleSlotState } from '../lib/slot-state';
import { closuresAround } from '../closures/closures.service';

export {
  messages,
  weekdayNames,
  weekdays,
  scheduleSchema,
  exceptionSchema,
  rangeSchema,
  parseBreaks,
  type ScheduleInput,
  type ExceptionInput,
} from './schedules.forms';

type Ctx = { actor: CurrentUser; ip?: string | null; clock: Clock };
type Interval = { weekday: number; start: string; end: string };

export { scheduleChoices, type ScheduleListRow } from './schedules.queries';

export async function listSchedules(
  db: Knex,
  filter: { doctorId?: number } = {},
  /** A weekday's short name (1 = Monday) in the reader's language; English by default. */
  shortDay: (weekday: number) => string = (d) => weekdayNames[d - 1].slice(0, 3),
): Promise<ScheduleListRow[]> {
  const rows = await q.listScheduleRows(db, filter);
  const hours = await q.weeklyHoursOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    ...r,
    days: hours
      .filter((h) => h.schedule_id === r.id)
      .map((h) => `${shortDay(h.weekday)} ${h.start_time}-${h.end_time}`)
      .join(', '),
  }));
}

/** One schedule with its plan and exceptions; NotFound if there is none with this id. */
export async function getSchedule(db: Knex, id: number) {
  const row = await q.findScheduleRow(db, id);
  if (!row) throw new NotFound(messages.notFound);
  return { ...row, ...(await q.planOf(db, id)) };
}

export function scheduleFormValues(s: Awaited<ReturnType<typeof getSchedule>>): Record<string, string> {
  const values: Record<string, string> = {
    doctor_id: String(s.doctor_id),
    institution_id: String(s.institution_id),
    slot_minutes: String(s.slot_minutes),
    valid_from: s.valid_from,
    valid_to: s.valid_to ?? '',
  };
  for (const weekday of weekdays) {
    const h = s.hours.find((x) => x.weekday === weekday);
    values[`start_${weekday}`] = h?.start_time ?? '';
    values[`end_${weekday}`] = h?.end_time ?? '';
    values[`breaks_${weekday}`] = s.breaks
      .filter((b) => b.weekday === weekday)
      .map((b) => `${b.start_time}-${b.end_time}`)
      .join(', ');
  }
  return values;
}

async function writePlan(trx: Knex, scheduleId: number, input: ScheduleInput) {
  const rows = (list: Interval[]) =>
    list.map((i) => ({ schedule_id: scheduleId, weekday: i.weekday, start_time: i.start, end_time: i.end }));
  await q.replacePlan(trx, scheduleId, rows(input.hours), rows(input.breaks));
}

const planDetails = (input: ScheduleInput) => ({
  slotMinutes: input.slotMinutes,
  validFrom: input.validFrom,
  validTo: input.validTo,
  hours: input.hours,
  breaks: input.breaks,
});

export function createSchedule(db: Knex, ctx: Ctx, input: ScheduleInput): Promise<number> {
  return writeTransaction(db, async (trx) => {
    const errors: Record<string, string> = {};
    const doctor = input.doctorId ? await q.recordState(trx, 'doctors', input.doctorId) : null;
    const institution = input.institutionId
      ? await q.recordState(trx, 'institutions', input.institutionId)
      : null;
    if (!input.doctorId) errors.doctor_id = messages.doctor;
    else if (!doctor?.active) errors.doctor_id = messages.doctorUnknown;
    if (!input.institutionId) errors.institution_id = messages.institution;
    else if (!institution?.active) errors.institution_id = messages.institution;
    else if (doctor?.active && input.doctorId && !(await q.worksAt(trx, input.doctorId, input.institutionId)))
      errors.institution_id = messages.notWorkingThere;
    if (Object.keys(errors).length) throw new Validation(Object.values(errors)[0], errors);
    const id = await q.insertSchedule(trx, {
      doctor_id: input.doctorId,
      institution_id: input.institutionId,
      slot_minutes: input.slotMinutes,
      valid_from: input.validFrom,
      valid_to: input.validTo,
      active: true,
      created_at: ctx.clock.nowIso(),
    });
    await writePlan(trx, id, input);
    await audit(trx, ctx.clock, {
      actor: ctx.actor,
      action: 'settings.schedule.created',
      entityType: 'schedule',
      entityId: id,
      details: { doctorId: input.doctorId, institutionId: input.institutionId, ...planDetails(input) },
      ip: ctx.ip,
    });
    return id;
  });
}

/** Changes the plan; the doctor and institution of a schedule stay fixed (its slots belong to them). */
export function updateSchedule(db: Knex, ctx: Ctx, id: number, input: ScheduleInput): Promise<void> {
  return writeTransaction(db, async (trx) => {
    const before = await getSchedule(trx, id);
    await q.updateScheduleTerms(trx, id, {
      slot_minutes: input.slotMinutes,
      valid_from: input.validFrom,
      valid_to: input.validTo,
    });
    await writePlan(trx, id, input);
    await audit(trx, ctx.clock, {
      actor: ctx.actor,
      action: 'settings.schedule.updated',
      entityType: 'schedule',
      entityId: id,
      details: {
        before: {
          slotMinutes: before.slot_minutes,
          validFrom: before.valid_from,
          validTo: before.valid_to,
          hours: before.hours,
          breaks: before.breaks,
        },
        after: planDetails(input),
      },
      ip: ctx.ip,
    });
  });
}

export function setScheduleActive(db: Knex, ctx: Ctx, id: number, active: boolean): Promise<void> {
  return writeTransaction(db, async (trx) => {
    const row = await q.scheduleState(trx, id);
    if (!row) throw new NotFound(messages.notFound);
    if (row.active === active) return;
    await q.setScheduleActive(trx, id, active);
    await audit(trx, ctx.clock, {
      actor: ctx.actor,
      action: `settings.schedule.${active ? 'reactivated' : 'deactivated'}`,
      entityType: 'schedule',
      entityId: id,
      ip: ctx.ip,
    });
  });
}

export async function addException(
  db: Knex,
  ctx: Ctx,
  scheduleId: number,
  input: ExceptionInput,
): Promise<void> {
  try {
    await writeTransaction(db, async (trx) => {
      if (!(await q.scheduleState(trx, scheduleId))) throw new NotFound(messages.notFound);
      if (await q.hasExceptionOn(trx, scheduleId, input.date))
        throw new Validation(messages.exceptionTaken, { date: messages.exceptionTaken });
      await q.insertException(trx, {
        schedule_id: scheduleId,
        date: input.date,
        kind: input.kind,
        start_time: input.start,
        end_time: input.end,
        note: input.note,
      });
      await audit(trx, ctx.clock, {
        actor: ctx.actor,
        action: 'settings.schedule.exception_added',
        entityType: 'schedule',
        entityId: scheduleId,
        details: input,
        ip: ctx.ip,
      });
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new Validation(messages.exceptionTaken, { date: messages.exceptionTaken });
    throw err;
  }
}

export function deleteException(db: Knex, ctx: Ctx, scheduleId: number, exceptionId: number): Promise<void> {
  return writeTransaction(db, async (trx) => {
    const row = await q.findException(trx, scheduleId, exceptionId);
    if (!row) throw new NotFound(messages.notFound);
    await q.deleteException(trx, exceptionId);
    await audit(trx, ctx.clock, {
      actor: ctx.actor,
      action: 'settings.schedule.exception_deleted',
      entityType: 'schedule',
      entityId: scheduleId,
      details: row,
      ip: ctx.ip,
    });
  });
}

/** Default generation range: four weeks from today in the zone. */
export function defaultRange(zone: string, now: DateTime): { from: string; to: string } {
  const from = todayIn(zone, now);
  return { from, to: DateTime.fromISO(from).plus({ days: 28 }).toISODate()! };
}

export async function generateFromPage(
  db: Knex,
  ctx: Ctx,
  range: { from: string; to: string; scheduleId?: number },
): Promise<GenerationReport> {
  if (range.scheduleId && !(await q.scheduleState(db, range.scheduleId)))
    throw new NotFound(messages.notFound);
  const report = await generateSlots(db, ctx.clock, range);
  await audit(db, ctx.clock, {
    actor: ctx.actor,
    action: 'settings.schedule.slots_generated',
    entityType: 'schedule',
    entityId: range.scheduleId ?? null,
    details: { ...range, ...report, summary: describeReport(report) },
    ip: ctx.ip,
  });
  return report;
}

/** How far ahead a schedule change re-applies itself to existing slots. */
export const refreshDays = 366;

/**
 * After a change of a schedule (plan, validity, active, exceptions): brings its existing slots in
 * line from today (institution zone) to the furthest day it already has slots for, at most
 * refreshDays ahead. Null when it has no slots from today on (nothing to bring in line).
 */
export async function refreshScheduleSlots(
  db: Knex,
  ctx: Ctx,
  scheduleId: number,
): Promise<GenerationReport | null> {
  const zone = await q.scheduleTimeZone(db, scheduleId);
  if (!zone) throw new NotFound(messages.notFound);
  const from = todayIn(zone, ctx.clock.now());
  const furthest = await q.lastSlotDate(db, scheduleId, from);
  if (!furthest) return null;
  const limit = addDays(from, refreshDays);
  const to = daysBetween(furthest, limit) < 0 ? limit : furthest;
  return generateFromPage(db, ctx, { from, to, scheduleId });
}

/** The states and words of the booking calendar (src/booking/calendar.ts). */
export type DaySlot = {
  id: number;
  time: string;
  endTime: string;
  status: SingleSlotState;
  statusText: string;
  reason: string | null;
  scheduleId: number | null;
};

export async function slotsOfDay(
  db: Knex,
  schedule: { doctor_id: number; institution_id: number; time_zone: string },
  date: string,
  now: string,
): Promise<DaySlot[]> {
  const day = await q.slotsOfDayRows(db, schedule, date, now);
  const rows = applyClosures(day, await closuresAround(db, schedule.institution_id, day));
  return rows.map((r) => {
    const status = singleState(r, now);
    return {
      id: r.id,
      time: formatLocalTime(r.starts_at, schedule.time_zone),
      endTime: formatLocalTime(r.ends_at, schedule.time_zone),
      status,
      statusText: slotStateText[status],
      reason: r.closure_reason ?? r.blocked_reason,
      scheduleId: r.schedule_id,
    };
  });
}

/** Blocks a slot (the doctor is ill...). A booked slot cannot be blocked; the check and the write share the write lock. */
export function blockSlot(db: Knex, ctx: Ctx, slotId: number, reason: string) {
  return writeTransaction(db, async (trx) => {
    const slot = await q.findSlot(trx, slotId);
    if (!slot) throw new NotFound(messages.slotNotFound);
    if (await q.isBooked(trx, slotId)) throw new Conflict(messages.slotBooked);
    const held = await q.isHeld(trx, slotId, ctx.clock.nowIso());
    if (held) throw new Conflict(messages.slotHeld);
    await q.setSlotStatus(trx, slotId, 'blocked', reason);
    await audit(trx, ctx.clock, {
      actor: ctx.actor,
      action: 'slot.blocked',
      entityType: 'slot',
      entityId: slotId,
      details: {
        reason,
        doctorId: slot.doctor_id,
        institutionId: slot.institution_id,
        startsAt: slot.starts_at,
        wasBlocked: slot.status === 'blocked',
      },
      ip: ctx.ip,
    });
    return slot;
  });
}

export function unblockSlot(db: Knex, ctx: Ctx, slotId: number) {
  return writeTransaction(db, async (trx) => {
    const slot = await q.findSlot(trx, slotId);
    if (!slot) throw new NotFound(messages.slotNotFound);
    if (slot.status === 'blocked') {
      await q.setSlotStatus(trx, slotId, 'open', null);
      await audit(trx, ctx.clock, {
        actor: ctx.actor,
        action: 'slot.unblocked',
        entityType: 'slot',
        entityId: slotId,
        details: {
          previousReason: slot.blocked_reason,
          doctorId: slot.doctor_id,
          institutionId: slot.institution_id,
          startsAt: slot.starts_at,
        },
        ip: ctx.ip,
      });
    }
    return slot;
  });
}

export async function getSlot(db: Knex, slotId: number): Promise<q.SlotPlace> {
  const slot = await q.findSlotPlace(db, slotId);
  if (!slot) throw new NotFound(messages.slotNotFound);
  return slot;
}

export { scheduleOfSlot } from './schedules.queries';
