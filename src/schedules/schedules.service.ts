/**
 * Doctor schedules: the weekly plan (hours and breaks per weekday), validity, slot length and
 * date exceptions; slot generation from the page; blocking and unblocking single slots.
 * All times are local wall-clock times (HH:MM) in the institution's zone.
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import { DateTime } from 'luxon';
import { audit } from '../lib/audit';
import { isUniqueViolation, writeTransaction } from '../lib/db';
import type { Clock } from '../lib/clock';
import { Conflict, NotFound, Validation } from '../lib/errors';
import type { CurrentUser } from '../lib/permissions';
import { addDays, daysBetween, formatLocalTime, todayIn } from '../lib/time';
import { dateError, fieldText, idParam, text } from '../lib/validate';
import { isClockTime, minutesOf } from './slot-times';
import { describeReport, generateSlots, type GenerationReport } from './slots.service';
import * as q from './schedules.queries';
import type { ScheduleListRow } from './schedules.queries';
import { singleState, slotStateText, type SingleSlotState } from '../lib/slot-state';

export const messages = {
  doctor: 'Choose a doctor.',
  institution: 'Choose an institution.',
  doctorUnknown: 'This doctor does not exist or is not active.',
  notWorkingThere: 'The doctor does not work at this institution. Tick it on the doctor\u2019s page first.',
  slotMinutes: 'Enter a slot length between 5 and 240 minutes.',
  validFrom: 'Enter the first day as YYYY-MM-DD.',
  validTo: 'Enter the last day as YYYY-MM-DD, or leave it empty for no end.',
  validToBefore: 'The last day must not be before the first day.',
  time: 'Enter a time as HH:MM, like 08:00.',
  bothTimes: 'Enter both start and end, or neither.',
  endAfterStart: 'The end must be after the start.',
  breaksFormat: 'Write breaks as 12:00-12:40, separated by commas.',
  breakOutside: 'Every break must be inside the working hours.',
  breaksOverlap: 'Breaks must not overlap each other.',
  breaksWithoutHours: 'Enter working hours for a day that has breaks.',
  noHours: 'Enter working hours for at least one weekday.',
  exceptionDate: 'Enter the date as YYYY-MM-DD.',
  exceptionKind: 'Choose day off or changed hours.',
  exceptionTaken: 'There is already an exception on this date. Delete it first.',
  range: 'Enter the first and last day as YYYY-MM-DD; the last not before the first, at most 366 days.',
  notFound: 'This schedule does not exist.',
  slotNotFound: 'This slot does not exist.',
  slotBooked: 'This slot is booked and cannot be blocked. Cancel the booking first.',
  slotHeld: 'Someone is booking this slot right now. Try again in a few minutes.',
};

export const weekdayNames = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
export const weekdays = [1, 2, 3, 4, 5, 6, 7];

type Ctx = { actor: CurrentUser; ip?: string | null; clock: Clock };
type Interval = { weekday: number; start: string; end: string };
const str = (v: unknown) => fieldText(v).trim();
const idOf = (v: unknown) => idParam(str(v));

export type ScheduleInput = {
  doctorId: number | null;
  institutionId: number | null;
  slotMinutes: number;
  validFrom: string;
  validTo: string | null;
  hours: Interval[];
  breaks: Interval[];
};

/**
 * The schedule form: slot_minutes, valid_from, valid_to, and per weekday start_N, end_N and
 * breaks_N ("12:00-12:40, 15:00-15:15"). Messages land on the field they are about.
 */
export const scheduleSchema = z.unknown().transform((raw, ctx): ScheduleInput => {
  const body = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  const doctorId = idOf(body.doctor_id);
  const institutionId = idOf(body.institution_id);
  const slotMinutes = Number(str(body.slot_minutes));
  if (!/^\d{1,3}$/.test(str(body.slot_minutes)) || slotMinutes < 5 || slotMinutes > 240)
    issue('slot_minutes', messages.slotMinutes);
  const validFrom = str(body.valid_from);
  const validTo = str(body.valid_to) || null;
  const fromError = dateError(validFrom, messages.validFrom);
  const toError = validTo === null ? null : dateError(validTo, messages.validTo);
  if (fromError) issue('valid_from', fromError);
  if (toError) issue('valid_to', toError);
  else if (validTo !== null && !fromError && daysBetween(validFrom, validTo) < 0)
    issue('valid_to', messages.validToBefore);
  const hours: Interval[] = [];
  const breaks: Interval[] = [];
  for (const weekday of weekdays) {
    const start = str(body[`start_${weekday}`]);
    const end = str(body[`end_${weekday}`]);
    const breakText = str(body[`breaks_${weekday}`]);
    let dayOk = false;
    if (start || end) {
      if (!start || !end) issue(`end_${weekday}`, messages.bothTimes);
      else if (!isClockTime(start)) issue(`start_${weekday}`, messages.time);
      else if (!isClockTime(end, { allowMidnightEnd: true })) issue(`end_${weekday}`, messages.time);
      else if (minutesOf(end) <= minutesOf(start)) issue(`end_${weekday}`, messages.endAfterStart);
      else {
        hours.push({ weekday, start, end });
        dayOk = true;
      }
    }
    if (!breakText) continue;
    const parsed = parseBreaks(breakText);
    if (!parsed) issue(`breaks_${weekday}`, messages.breaksFormat);
    else if (!start && !end) issue(`breaks_${weekday}`, messages.breaksWithoutHours);
    else if (dayOk) {
      const sorted = parsed.sort((a, b) => minutesOf(a.start) - minutesOf(b.start));
      if (sorted.some((b) => minutesOf(b.end) <= minutesOf(b.start)))
        issue(`breaks_${weekday}`, messages.endAfterStart);
      else if (sorted.some((b) => minutesOf(b.start) < minutesOf(start) || minutesOf(b.end) > minutesOf(end)))
        issue(`breaks_${weekday}`, messages.breakOutside);
      else if (sorted.some((b, i) => i > 0 && minutesOf(b.start) < minutesOf(sorted[i - 1].end)))
        issue(`breaks_${weekday}`, messages.breaksOverlap);
      else breaks.push(...sorted.map((b) => ({ weekday, ...b })));
    }
  }
  if (hours.length === 0 && !ctx.issues.some((i) => String(i.path?.[0] ?? '').match(/^(start|end)_/)))
    issue('start_1', messages.noHours);
  return { doctorId, institutionId, slotMinutes, validFrom, validTo, hours, breaks };
});

/** "12:00-12:40, 15:00-15:15" -> intervals; null if any part is not a pair of clock times. */
export function parseBreaks(input: string): { start: string; end: string }[] | null {
  const parts = input
    .split(/[,;]/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length > 10) return null;
  const out: { start: string; end: string }[] = [];
  for (const part of parts) {
    const m = /^(\d{2}:\d{2})\s*[-–]\s*(\d{2}:\d{2})$/.exec(part);
    if (!m || !isClockTime(m[1]) || !isClockTime(m[2], { allowMidnightEnd: true })) return null;
    out.push({ start: m[1], end: m[2] });
  }
  return out;
}

export const exceptionSchema = z.unknown().transform((raw, ctx) => {
  const body = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  const date = str(body.date);
  const kind = str(body.kind);
  const start = str(body.start) || null;
  const end = str(body.end) || null;
  const dateProblem = dateError(date, messages.exceptionDate);
  if (dateProblem) issue('date', dateProblem);
  if (kind !== 'off' && kind !== 'hours') issue('kind', messages.exceptionKind);
  if (kind === 'hours') {
    if (!start || !end) issue('end', messages.bothTimes);
    else if (!isClockTime(start)) issue('start', messages.time);
    else if (!isClockTime(end, { allowMidnightEnd: true })) issue('end', messages.time);
    else if (minutesOf(end) <= minutesOf(start)) issue('end', messages.endAfterStart);
  }
  const note = text(500).safeParse(body.note);
  if (!note.success) issue('note', note.error.issues[0].message);
  return {
    date,
    kind: kind as 'off' | 'hours',
    start: kind === 'hours' ? start : null,
    end: kind === 'hours' ? end : null,
    note: note.success ? note.data : '',
  };
});
export type ExceptionInput = z.infer<typeof exceptionSchema>;

export { scheduleChoices, type ScheduleListRow } from './schedules.queries';

export async function listSchedules(
  db: Knex,
  filter: { doctorId?: number } = {},
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
      .map((h) => `${weekdayNames[h.weekday - 1].slice(0, 3)} ${h.start_time}-${h.end_time}`)
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
    await audit(trx, {
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
    await audit(trx, {
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
    await audit(trx, {
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
      await audit(trx, {
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
    await audit(trx, {
      actor: ctx.actor,
      action: 'settings.schedule.exception_deleted',
      entityType: 'schedule',
      entityId: scheduleId,
      details: row,
      ip: ctx.ip,
    });
  });
}

/** A local date range from a form: both dates, to >= from, at most 366 days. Messages land on from/to. */
export const rangeSchema = z.unknown().transform((raw, ctx): { from: string; to: string } => {
  const body = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const from = str(body.from);
  const to = str(body.to);
  const fromError = dateError(from, messages.range);
  const toError = dateError(to, messages.range);
  if (fromError) ctx.addIssue({ code: 'custom', path: ['from'], message: fromError });
  if (toError) ctx.addIssue({ code: 'custom', path: ['to'], message: toError });
  else if (!fromError) {
    const days = daysBetween(from, to);
    if (days < 0 || days > 366) ctx.addIssue({ code: 'custom', path: ['to'], message: messages.range });
  }
  return { from, to };
});

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
  await audit(db, {
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
  const rows = await q.slotsOfDayRows(db, schedule, date, now);
  return rows.map((r) => {
    const status = singleState(r, now);
    return {
      id: r.id,
      time: formatLocalTime(r.starts_at, schedule.time_zone),
      endTime: formatLocalTime(r.ends_at, schedule.time_zone),
      status,
      statusText: slotStateText[status],
      reason: r.blocked_reason,
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
    await audit(trx, {
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
      await audit(trx, {
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
