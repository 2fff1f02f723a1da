/**
 * A booking as an iCalendar object (RFC 5545), written by hand because it is small: one VEVENT
 * with its start and end in the institution's zone (DTSTART;TZID=...), the VTIMEZONE that defines
 * that zone, CRLF line endings, lines folded at 75 octets and TEXT values escaped.
 *
 * The VTIMEZONE lists the zone's real transitions (from the IANA data luxon reads) for the years
 * around the event, one STANDARD/DAYLIGHT block each with no RRULE, so it is exact for every
 * zone and every year, not only for zones whose rule is "last Sunday of March/October".
 *
 * A local time that occurs twice (the hour repeated when summer time ends, e.g. 02:30 in Budapest
 * on the last Sunday of October) means its first occurrence in RFC 5545, but readers differ
 * (node-ical takes the second): a booking in that hour is written in UTC ("...Z") instead, so
 * the instant is always the booking's own.
 *
 * UID is stable per booking, SEQUENCE counts the booking's moves (a calendar replaces the older
 * copy), METHOD is REQUEST, or CANCEL with STATUS:CANCELLED once the booking is cancelled.
 */
import { DateTime } from 'luxon';

export type CalendarEvent = {
  uid: string;
  sequence: number;
  cancelled: boolean;
  /** UTC ISO instants. */
  startsAt: string;
  endsAt: string;
  /** The institution's IANA zone. */
  timeZone: string;
  /** When this copy was made (DTSTAMP), UTC ISO: the app clock's now. */
  stampAt: string;
  summary: string;
  location: string;
  description: string;
  organizer: { name: string; email: string };
  attendee?: { name: string; email: string } | null;
};

const CRLF = '\r\n';

/** TEXT escaping (RFC 5545 3.3.11): backslash, semicolon, comma, newline. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** A parameter value (CN=...): quoted, without the characters a quoted value may not hold. */
function paramValue(value: string): string {
  return `"${value.replace(/["\r\n\\]/g, ' ')}"`;
}

/**
 * Folds a content line at 75 octets (RFC 5545 3.1): continuation lines start with one space,
 * which counts towards their 75. Never splits a UTF-8 sequence.
 */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > 75) {
      out.push(current);
      current = ' ';
      octets = 1;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join(CRLF);
}

const basic = "yyyyMMdd'T'HHmmss";

function utcStamp(iso: string): string {
  return DateTime.fromISO(iso, { zone: 'utc' }).toFormat(basic) + 'Z';
}

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

/** The instants a wall-clock time stands for in a zone: none (skipped), one, or two (repeated hour). */
function instantsOfWallTime(wall: string, zone: string, nearMs: number): number[] {
  const asUtc = DateTime.fromFormat(wall, basic, { zone: 'utc' }).toMillis();
  const offsets = new Set(
    [-12, 0, 12].map((h) => DateTime.fromMillis(nearMs + h * 3_600_000, { zone }).offset),
  );
  return [...offsets]
    .map((off) => asUtc - off * 60_000)
    .filter((ms) => DateTime.fromMillis(ms, { zone }).toFormat(basic) === wall);
}

/**
 * A DTSTART/DTEND property: local time with TZID, or UTC where the wall time is ambiguous (the
 * repeated hour: RFC 5545 reads its first occurrence, some readers the second, so neither is safe).
 */
function dateTimeProperty(name: string, iso: string, zone: string): string {
  const local = DateTime.fromISO(iso, { zone });
  const wall = local.toFormat(basic);
  const instants = instantsOfWallTime(wall, zone, local.toMillis());
  if (instants.length !== 1 || instants[0] !== local.toMillis()) return `${name}:${utcStamp(iso)}`;
  return `${name};TZID=${zone}:${wall}`;
}

type Transition = { atMs: number; from: number; to: number; dst: boolean };

/** The zone's offset changes between two instants, each found to the minute. */
export function zoneTransitions(zone: string, fromMs: number, toMs: number): Transition[] {
  const offsetAt = (ms: number) => DateTime.fromMillis(ms, { zone }).offset;
  const hour = 3_600_000;
  const found: Transition[] = [];
  let prevMs = fromMs;
  let prev = offsetAt(prevMs);
  // Offsets change at most a few times a year and never twice within 6 hours.
  for (let ms = fromMs + 6 * hour; ms <= toMs; ms += 6 * hour) {
    const off = offsetAt(ms);
    if (off !== prev) {
      let lo = prevMs;
      let hi = ms;
      while (hi - lo > 60_000) {
        const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
        if (offsetAt(mid) === prev) lo = mid;
        else hi = mid;
      }
      found.push({ atMs: hi, from: prev, to: off, dst: DateTime.fromMillis(hi, { zone }).isInDST });
      prev = off;
    }
    prevMs = ms;
  }
  return found;
}

/** VTIMEZONE for `zone`, exact for the year before the event to the year after. */
export function vtimezone(zone: string, aroundIso: string): string[] {
  const around = DateTime.fromISO(aroundIso, { zone: 'utc' });
  const from = around.minus({ years: 1 }).startOf('year');
  const to = around.plus({ years: 1 }).endOf('year');
  const transitions = zoneTransitions(zone, from.toMillis(), to.toMillis());
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`];
  if (transitions.length === 0) {
    // A zone without changes in these years: one STANDARD observance from before them.
    const off = DateTime.fromMillis(from.toMillis(), { zone }).offset;
    lines.push(
      'BEGIN:STANDARD',
      `DTSTART:${from.setZone(zone).toFormat(basic)}`,
      `TZOFFSETFROM:${offsetText(off)}`,
      `TZOFFSETTO:${offsetText(off)}`,
      'END:STANDARD',
    );
  }
  for (const tr of transitions) {
    const kind = tr.dst ? 'DAYLIGHT' : 'STANDARD';
    // DTSTART of an observance is the onset in the local time before it (the old offset).
    const onset = DateTime.fromMillis(tr.atMs + tr.from * 60_000, { zone: 'utc' }).toFormat(basic);
    lines.push(
      `BEGIN:${kind}`,
      `DTSTART:${onset}`,
      `TZOFFSETFROM:${offsetText(tr.from)}`,
      `TZOFFSETTO:${offsetText(tr.to)}`,
      `END:${kind}`,
    );
  }
  lines.push('END:VTIMEZONE');
  return lines;
}

/** The whole .ics text: CRLF after every line, folded. */
export function bookingIcs(e: CalendarEvent): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Clinic booking//Appointments//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${e.cancelled ? 'CANCEL' : 'REQUEST'}`,
    ...vtimezone(e.timeZone, e.startsAt),
    'BEGIN:VEVENT',
    `UID:${e.uid}`,
    `DTSTAMP:${utcStamp(e.stampAt)}`,
    `SEQUENCE:${e.sequence}`,
    dateTimeProperty('DTSTART', e.startsAt, e.timeZone),
    dateTimeProperty('DTEND', e.endsAt, e.timeZone),
    `SUMMARY:${escapeText(e.summary)}`,
    `LOCATION:${escapeText(e.location)}`,
    `DESCRIPTION:${escapeText(e.description)}`,
    `ORGANIZER;CN=${paramValue(e.organizer.name)}:mailto:${e.organizer.email}`,
    ...(e.attendee
      ? [`ATTENDEE;CN=${paramValue(e.attendee.name)};ROLE=REQ-PARTICIPANT:mailto:${e.attendee.email}`]
      : []),
    `STATUS:${e.cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join(CRLF) + CRLF;
}

/** The UID of a booking's event: the same for every copy (download, e-mails, after moves). */
export function bookingUid(bookingId: number, domain: string): string {
  return `booking-${bookingId}@${domain}`;
}
