/**
 * Pure slot generation: from a weekly plan in an institution's zone to concrete UTC slots.
 * Times advance in absolute minutes from each interval's local start, so a day keeps its real
 * length across daylight-saving changes and no slot is created twice or skipped.
 */
import { DateTime } from 'luxon';

export type WeeklyInterval = { weekday: number; start: string; end: string };
export type ScheduleException = { date: string; kind: 'off' | 'hours'; start?: string | null; end?: string | null };

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

const at = (date: string, time: string, zone: string) => DateTime.fromISO(`${date}T${time}`, { zone });

export function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return h * 60 + m;
}

/** Slots for the local dates from..to (inclusive), clipped to the plan's validity. */
export function slotTimes(plan: SchedulePlan, from: string, to: string): SlotTime[] {
  const first = from > plan.validFrom ? from : plan.validFrom;
  const last = plan.validTo && plan.validTo < to ? plan.validTo : to;
  const out: SlotTime[] = [];
  const exceptions = new Map(plan.exceptions.map((e) => [e.date, e]));
  for (let day = DateTime.fromISO(first); day.toISODate()! <= last; day = day.plus({ days: 1 })) {
    const date = day.toISODate()!;
    const exception = exceptions.get(date);
    if (exception?.kind === 'off') continue;
    const weekday = day.weekday;
    const intervals =
      exception?.kind === 'hours' && exception.start && exception.end
        ? [{ start: exception.start, end: exception.end }]
        : plan.hours.filter((h) => h.weekday === weekday);
    const breaks = plan.breaks
      .filter((b) => b.weekday === weekday)
      .map((b) => ({ start: at(date, b.start, plan.zone).toMillis(), end: at(date, b.end, plan.zone).toMillis() }));
    for (const interval of intervals) {
      const end = at(date, interval.end, plan.zone).toMillis();
      for (let t = at(date, interval.start, plan.zone).toMillis(); t + plan.slotMinutes * 60_000 <= end; t += plan.slotMinutes * 60_000) {
        const slotEnd = t + plan.slotMinutes * 60_000;
        if (breaks.some((b) => t < b.end && slotEnd > b.start)) continue;
        out.push({ startsAt: new Date(t).toISOString(), endsAt: new Date(slotEnd).toISOString(), localDate: date });
      }
    }
  }
  return out;
}
