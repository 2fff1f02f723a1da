/**
 * The schedule forms: the weekly plan, a date exception and a generation range, parsed from the
 * posted body with messages on the field they are about (422 beside the field).
 */
import { z } from 'zod';
import { daysBetween } from '../lib/time';
import { dateError, fieldText, idParam, text } from '../lib/validate';
import { isClockTime, minutesOf } from './slot-times';

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
