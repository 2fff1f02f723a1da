import { DateTime, IANAZone } from 'luxon';

/** Instants are UTC ISO strings; these format them in an institution's zone for display. */
export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

export function toLocal(iso: string, zone: string): DateTime {
  return DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone);
}

export function formatLocalDateTime(iso: string, zone: string): string {
  return toLocal(iso, zone).toFormat('yyyy-MM-dd HH:mm');
}

export function formatLocalTime(iso: string, zone: string): string {
  return toLocal(iso, zone).toFormat('HH:mm');
}

export function formatLocalDate(iso: string, zone: string): string {
  return toLocal(iso, zone).toFormat('yyyy-MM-dd');
}

/** Today's date (YYYY-MM-DD) in a zone. */
export function todayIn(zone: string, now: DateTime = DateTime.utc()): string {
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

/** Sorted list of IANA zone names the runtime knows, for the institution form. */
export function timeZoneNames(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  const zones = intl.supportedValuesOf ? intl.supportedValuesOf('timeZone') : ['Europe/Budapest', 'Europe/Vienna', 'UTC'];
  return zones.includes('UTC') ? zones : [...zones, 'UTC'];
}
