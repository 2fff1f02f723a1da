import { DateTime, IANAZone } from 'luxon';

/** Instants are UTC ISO strings; these format them in an institution's zone for display. */
export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

export function toLocal(iso: string, zone: string): DateTime {
  return DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone);
}

/**
 * One Intl.DateTimeFormat per zone, built on first use: luxon's toFormat per calendar cell was most
 * of the calendar's CPU (issue 11). The output is the same as luxon's for the ISO instants the app
 * stores; anything else (another text shape, a year outside 1000-9999, an unknown zone) goes
 * through luxon as before.
 */
const formatters = new Map<string, Intl.DateTimeFormat | null>();
const fastIso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/;

function formatterFor(zone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
      });
    } catch {
      f = null;
    }
    formatters.set(zone, f);
  }
  return f;
}

/**
 * Results by zone and instant: a calendar shows the same few thousand instants on every request,
 * and formatToParts is still the dearest step. Bounded: cleared when it reaches the cap.
 */
const partsCache = new Map<string, [string, string]>();
const partsCacheCap = 50_000;

/** [yyyy-MM-dd, HH:mm] of an instant in a zone, or null when luxon must handle it. */
function localParts(iso: string, zone: string): [string, string] | null {
  const key = zone + '|' + iso;
  const hit = partsCache.get(key);
  if (hit) return hit;
  const parts = computeParts(iso, zone);
  if (parts) {
    if (partsCache.size >= partsCacheCap) partsCache.clear();
    partsCache.set(key, parts);
  }
  return parts;
}

function computeParts(iso: string, zone: string): [string, string] | null {
  const m = fastIso.exec(iso);
  if (!m) return null;
  const f = formatterFor(zone);
  if (!f) return null;
  const ms = Date.parse(m[1] ? iso : iso + 'Z');
  if (Number.isNaN(ms)) return null;
  let year = '';
  let month = '';
  let day = '';
  let hour = '';
  let minute = '';
  for (const p of f.formatToParts(ms)) {
    if (p.type === 'year') year = p.value;
    else if (p.type === 'month') month = p.value;
    else if (p.type === 'day') day = p.value;
    else if (p.type === 'hour') hour = p.value;
    else if (p.type === 'minute') minute = p.value;
  }
  if (year.length !== 4 || !/^\d+$/.test(year)) return null;
  return [`${year}-${month}-${day}`, `${hour}:${minute}`];
}

export function formatLocalDateTime(iso: string, zone: string): string {
  const p = localParts(iso, zone);
  return p ? `${p[0]} ${p[1]}` : toLocal(iso, zone).toFormat('yyyy-MM-dd HH:mm');
}

export function formatLocalTime(iso: string, zone: string): string {
  const p = localParts(iso, zone);
  return p ? p[1] : toLocal(iso, zone).toFormat('HH:mm');
}

export function formatLocalDate(iso: string, zone: string): string {
  const p = localParts(iso, zone);
  return p ? p[0] : toLocal(iso, zone).toFormat('yyyy-MM-dd');
}

/**
 * Today's date (YYYY-MM-DD) in a zone: the one "today" rule. Callers pass the app clock's now
 * (`todayIn(zone, clock.now())`); the clinic's zone where no institution is chosen is
 * clinicTimeZone(db) in src/settings/institutions.queries.ts. The default is only for callers
 * not yet given a clock.
 */
export function todayIn(zone: string, now: DateTime): string {
  return now.setZone(zone).toISODate()!;
}

/** Monday (YYYY-MM-DD) of the ISO week containing a local date. */
export function mondayOf(localDate: string): string {
  return DateTime.fromISO(localDate).startOf('week').toISODate()!;
}

export function addDays(localDate: string, days: number): string {
  return DateTime.fromISO(localDate).plus({ days }).toISODate()!;
}

export function isIsoDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value).isValid;
}

/** The years a date typed into a form may have. Outside them luxon's ISO text changes shape. */
export const dateYears = { min: 1900, max: 2100 } as const;

/** What is wrong with a typed date: not a real YYYY-MM-DD date, a year outside dateYears, or nothing. */
export function dateProblem(value: string): 'format' | 'range' | null {
  if (!isIsoDate(value)) return 'format';
  const year = Number(value.slice(0, 4));
  return year < dateYears.min || year > dateYears.max ? 'range' : null;
}

/** A calendar date (YYYY-MM-DD) as a DateTime at UTC midnight, for date arithmetic and comparison. */
export function calendarDay(date: string): DateTime {
  return DateTime.fromISO(date, { zone: 'utc' });
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round(calendarDay(to).diff(calendarDay(from), 'days').days);
}

/** Sorted list of IANA zone names the runtime knows (plus UTC), built once at load. */
export const timeZoneList: readonly string[] = (() => {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const zones = intl.supportedValuesOf
    ? intl.supportedValuesOf('timeZone')
    : ['Europe/Budapest', 'Europe/Vienna', 'UTC'];
  return Object.freeze(zones.includes('UTC') ? zones : [...zones, 'UTC']);
})();

/** The same names for membership checks. */
export const timeZoneSet: ReadonlySet<string> = new Set(timeZoneList);

/** The zone list for the institution form (the one array built at load). */
export function timeZoneNames(): readonly string[] {
  return timeZoneList;
}
