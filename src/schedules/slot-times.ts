/**
 * Pure slot generation: from a weekly plan in an institution's zone to concrete UTC slots.
 * Times advance in absolute minutes from each interval's local start, so a day keeps its real
 * length across daylight-saving changes and no slot is created twice or skipped.
 */
import { DateTime } from 'luxon';

export type WeeklyInterval = { weekday: number; start: string; end: string };
export type ScheduleException = {
  date: string;
  kind: 'off' | 'hours';
  start?: string | null;
  end?: string | null;
};

export type SchedulePlan = {
  zone: string;
  slotMinutes: number;
  validFrom: string;
  validTo: string | null;
  hours: WeeklyInterval[];
  breaks: WeeklyInterval[];
  exceptions: ScheduleException[];
};

export type SlotTime = { startsAt: string; endsAt: string; localDate: string };

/**
 * The instant of a local wall-clock time on a local date. "24:00" is the next midnight (luxon
 * reads it so), which lets a plan run to the end of the day. A time inside the spring-forward
 * gap (02:30 on the change day) moves forward to the first real instant after it.
 */
const at = (date: string, time: string, zone: string) => DateTime.fromISO(`${date}T${time}`, { zone });

export function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return h * 60 + m;
}

/** "HH:MM" from 00:00 to 23:59 (and 24:00 where an end of day is meant). */
export function isClockTime(value: string, opts: { allowMidnightEnd?: boolean } = {}): boolean {
  if (opts.allowMidnightEnd && value === '24:00') return true;
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(value);
}

/** Slots for the local dates from..to (inclusive), clipped to the plan's validity; sorted, no duplicates. */
export function slotTimes(plan: SchedulePlan, from: string, to: string): SlotTime[] {
  // Dates compared as DateTimes, never as text: past year 9999 luxon writes "+010000-01-01".
  const day0 = (date: string) => DateTime.fromISO(date, { zone: 'utc' });
  const bounds = [day0(from), day0(to), day0(plan.validFrom), day0(plan.validTo ?? to)];
  if (bounds.some((d) => !d.isValid)) return [];
  const first = DateTime.max(bounds[0], bounds[2]);
  const last = DateTime.min(bounds[1], bounds[3]);
  const step = plan.slotMinutes * 60_000;
  if (!(step > 0)) return [];
  const byStart = new Map<number, SlotTime>();
  const exceptions = new Map(plan.exceptions.map((e) => [e.date, e]));
  // Calendar arithmetic on dates only (UTC midnight): the zone matters only for clock times.
  for (let day = first; day.isValid && day <= last; day = day.plus({ days: 1 })) {
    const date = day.toISODate();
    const exception = exceptions.get(date);
    if (exception?.kind === 'off') continue;
    const weekday = day.weekday;
    const intervals =
      exception?.kind === 'hours' && exception.start && exception.end
        ? [{ start: exception.start, end: exception.end }]
        : plan.hours.filter((h) => h.weekday === weekday);
    const breaks = plan.breaks
      .filter((b) => b.weekday === weekday)
      .map((b) => ({
        start: at(date, b.start, plan.zone).toMillis(),
        end: at(date, b.end, plan.zone).toMillis(),
      }));
    for (const interval of intervals) {
      const end = at(date, interval.end, plan.zone).toMillis();
      for (let t = at(date, interval.start, plan.zone).toMillis(); t + step <= end; t += step) {
        const slotEnd = t + step;
        if (breaks.some((b) => t < b.end && slotEnd > b.start)) continue;
        if (!byStart.has(t))
          byStart.set(t, {
            startsAt: new Date(t).toISOString(),
            endsAt: new Date(slotEnd).toISOString(),
            localDate: date,
          });
      }
    }
  }
  return [...byStart.entries()].sort((a, b) => a[0] - b[0]).map(([, slot]) => slot);
}
