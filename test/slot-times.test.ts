import { slotTimes, isClockTime, type SchedulePlan } from '../src/schedules/slot-times';

const allWeek = (start: string, end: string) =>
  [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start, end }));

function plan(overrides: Partial<SchedulePlan> = {}): SchedulePlan {
  return {
    zone: 'Europe/Budapest',
    slotMinutes: 20,
    validFrom: '2026-01-01',
    validTo: null,
    hours: allWeek('08:00', '16:00'),
    breaks: [],
    exceptions: [],
    ...overrides,
  };
}

describe('slotTimes across daylight-saving changes (Europe/Budapest)', () => {
  it('gives 24 slots from 08:00 local on the spring-forward day (first at 06:00Z)', () => {
    const slots = slotTimes(plan(), '2026-03-29', '2026-03-29');
    expect(slots).toHaveLength(24);
    expect(slots[0].startsAt).toBe('2026-03-29T06:00:00.000Z');
    expect(slots[23].endsAt).toBe('2026-03-29T14:00:00.000Z');
    expect(new Set(slots.map((s) => s.startsAt)).size).toBe(24);
    expect(slots.every((s) => s.localDate === '2026-03-29')).toBe(true);
  });

  it('gives 24 slots from 08:00 local on the fall-back day (first at 07:00Z)', () => {
    const slots = slotTimes(plan(), '2026-10-25', '2026-10-25');
    expect(slots).toHaveLength(24);
    expect(slots[0].startsAt).toBe('2026-10-25T07:00:00.000Z');
    expect(slots[23].endsAt).toBe('2026-10-25T15:00:00.000Z');
    expect(new Set(slots.map((s) => s.startsAt)).size).toBe(24);
  });

  it('keeps the winter and summer offsets on the days around the changes', () => {
    expect(slotTimes(plan(), '2026-03-28', '2026-03-28')[0].startsAt).toBe('2026-03-28T07:00:00.000Z');
    expect(slotTimes(plan(), '2026-03-30', '2026-03-30')[0].startsAt).toBe('2026-03-30T06:00:00.000Z');
    expect(slotTimes(plan(), '2026-10-24', '2026-10-24')[0].startsAt).toBe('2026-10-24T06:00:00.000Z');
    expect(slotTimes(plan(), '2026-10-26', '2026-10-26')[0].startsAt).toBe('2026-10-26T07:00:00.000Z');
  });

  it('gives a night plan 00:00-06:00 its real length: 5 hours in spring, 7 hours in autumn', () => {
    const night = plan({ hours: allWeek('00:00', '06:00') });
    const spring = slotTimes(night, '2026-03-29', '2026-03-29');
    expect(spring).toHaveLength(15);
    expect(spring[0].startsAt).toBe('2026-03-28T23:00:00.000Z');
    expect(spring[14].endsAt).toBe('2026-03-29T04:00:00.000Z');
    const autumn = slotTimes(night, '2026-10-25', '2026-10-25');
    expect(autumn).toHaveLength(21);
    expect(autumn[0].startsAt).toBe('2026-10-24T22:00:00.000Z');
    expect(autumn[20].endsAt).toBe('2026-10-25T05:00:00.000Z');
    // Every slot is exactly 20 real minutes and they follow each other without gaps.
    for (let i = 1; i < autumn.length; i++) expect(autumn[i].startsAt).toBe(autumn[i - 1].endsAt);
    expect(new Set(autumn.map((s) => s.startsAt)).size).toBe(21);
  });

  it('covers whole DST weeks without duplicates: 7 x 24 slots each', () => {
    for (const [from, to] of [
      ['2026-03-23', '2026-03-29'],
      ['2026-10-19', '2026-10-25'],
    ]) {
      const week = slotTimes(plan(), from, to);
      expect(week).toHaveLength(7 * 24);
      expect(new Set(week.map((s) => s.startsAt)).size).toBe(7 * 24);
    }
  });
});

describe('slotTimes plan rules', () => {
  it('leaves out slots that touch a break', () => {
    const slots = slotTimes(
      plan({ breaks: [{ weekday: 1, start: '12:00', end: '12:40' }] }),
      '2026-06-01',
      '2026-06-01',
    );
    expect(slots).toHaveLength(22);
    expect(slots.map((s) => s.startsAt)).not.toContain('2026-06-01T10:00:00.000Z');
    expect(slots.map((s) => s.startsAt)).not.toContain('2026-06-01T10:20:00.000Z');
    expect(slots.map((s) => s.startsAt)).toContain('2026-06-01T10:40:00.000Z');
  });

  it('only uses the weekdays that have hours', () => {
    const slots = slotTimes(
      plan({ hours: [{ weekday: 3, start: '09:00', end: '10:00' }] }),
      '2026-06-01',
      '2026-06-07',
    );
    expect(slots).toHaveLength(3);
    expect(slots.every((s) => s.localDate === '2026-06-03')).toBe(true);
  });

  it('honours a day off and changed hours', () => {
    const p = plan({
      exceptions: [
        { date: '2026-06-01', kind: 'off' },
        { date: '2026-06-02', kind: 'hours', start: '10:00', end: '11:00' },
      ],
    });
    const slots = slotTimes(p, '2026-06-01', '2026-06-02');
    expect(slots.filter((s) => s.localDate === '2026-06-01')).toHaveLength(0);
    expect(slots.map((s) => s.startsAt)).toEqual([
      '2026-06-02T08:00:00.000Z',
      '2026-06-02T08:20:00.000Z',
      '2026-06-02T08:40:00.000Z',
    ]);
  });

  it('clips to valid from / valid to', () => {
    const slots = slotTimes(
      plan({ validFrom: '2026-06-02', validTo: '2026-06-03' }),
      '2026-06-01',
      '2026-06-10',
    );
    expect([...new Set(slots.map((s) => s.localDate))]).toEqual(['2026-06-02', '2026-06-03']);
  });

  it('does not create a slot that would run past the end of the hours', () => {
    const slots = slotTimes(
      plan({ slotMinutes: 25, hours: allWeek('08:00', '09:00') }),
      '2026-06-01',
      '2026-06-01',
    );
    expect(slots.map((s) => s.endsAt)).toEqual(['2026-06-01T06:25:00.000Z', '2026-06-01T06:50:00.000Z']);
  });

  it('runs to midnight when the end is 24:00', () => {
    const slots = slotTimes(
      plan({ slotMinutes: 60, hours: allWeek('22:00', '24:00') }),
      '2026-06-01',
      '2026-06-01',
    );
    expect(slots.map((s) => s.startsAt)).toEqual(['2026-06-01T20:00:00.000Z', '2026-06-01T21:00:00.000Z']);
  });

  it('accepts only real clock times', () => {
    expect(isClockTime('08:00')).toBe(true);
    expect(isClockTime('23:59')).toBe(true);
    expect(isClockTime('24:00')).toBe(false);
    expect(isClockTime('24:00', { allowMidnightEnd: true })).toBe(true);
    expect(isClockTime('8:00')).toBe(false);
    expect(isClockTime('12:60')).toBe(false);
  });
});
