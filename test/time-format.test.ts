import { DateTime } from 'luxon';
import { formatLocalDate, formatLocalDateTime, formatLocalTime } from '../src/lib/time';

/** What the functions returned before the Intl cache: luxon's toFormat in the zone. */
const luxon = (iso: string, zone: string, fmt: string) =>
  DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toFormat(fmt);

const zones = ['Europe/Budapest', 'Europe/Vienna', 'America/New_York', 'UTC'];

/** Every 7 minutes across the 2026 spring and autumn DST changes, plus year ends and midnights. */
function instants(): string[] {
  const out: string[] = [];
  for (const [from, to] of [
    ['2026-03-28T20:00:00.000Z', '2026-03-30T04:00:00.000Z'],
    ['2026-10-24T20:00:00.000Z', '2026-10-26T04:00:00.000Z'],
    ['2025-12-31T20:00:00.000Z', '2026-01-01T04:00:00.000Z'],
  ]) {
    for (let t = Date.parse(from); t <= Date.parse(to); t += 7 * 60_000) out.push(new Date(t).toISOString());
  }
  // A spread over a year at odd minutes and seconds.
  for (let t = Date.parse('2026-01-01T00:00:00Z'); t < Date.parse('2027-01-01T00:00:00Z'); t += 86_413_000)
    out.push(new Date(t).toISOString());
  return out;
}

describe('formatLocal* with cached Intl formatters', () => {
  it.each(zones)('matches luxon for many instants across DST in %s', (zone) => {
    const list = instants();
    expect(list.length).toBeGreaterThan(900);
    for (const iso of list) {
      expect([iso, formatLocalTime(iso, zone)]).toEqual([iso, luxon(iso, zone, 'HH:mm')]);
      expect([iso, formatLocalDate(iso, zone)]).toEqual([iso, luxon(iso, zone, 'yyyy-MM-dd')]);
      expect([iso, formatLocalDateTime(iso, zone)]).toEqual([iso, luxon(iso, zone, 'yyyy-MM-dd HH:mm')]);
    }
  });

  it('shows the DST changes in Budapest as local wall time', () => {
    expect(formatLocalDateTime('2026-03-29T00:59:00.000Z', 'Europe/Budapest')).toBe('2026-03-29 01:59');
    expect(formatLocalDateTime('2026-03-29T01:00:00.000Z', 'Europe/Budapest')).toBe('2026-03-29 03:00');
    expect(formatLocalDateTime('2026-10-25T00:30:00.000Z', 'Europe/Budapest')).toBe('2026-10-25 02:30');
    expect(formatLocalDateTime('2026-10-25T01:30:00.000Z', 'Europe/Budapest')).toBe('2026-10-25 02:30');
    expect(formatLocalTime('2026-06-30T22:00:00.000Z', 'Europe/Vienna')).toBe('00:00');
  });

  it('falls back to luxon for other text shapes and unknown zones', () => {
    for (const [iso, zone] of [
      ['2026-05-01T08:00:00+02:00', 'Europe/Budapest'],
      ['2026-05-01T08:00', 'Europe/Vienna'],
      ['2026-05-01', 'Europe/Budapest'],
      ['not a date', 'Europe/Budapest'],
      ['2026-05-01T08:00:00.000Z', 'Not/AZone'],
      ['0999-05-01T08:00:00.000Z', 'UTC'],
    ])
      expect(formatLocalDateTime(iso, zone)).toBe(luxon(iso, zone, 'yyyy-MM-dd HH:mm'));
  });
});
