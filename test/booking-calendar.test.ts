import { buildWeek, runFrom, singleState, type SlotRow } from '../src/booking/calendar';
import { commissionFor } from '../src/booking/booking.service';

const slot = (id: number, start: string, minutes = 20, extra: Partial<SlotRow> = {}): SlotRow => ({
  id,
  doctor_id: 1,
  starts_at: new Date(start).toISOString(),
  ends_at: new Date(Date.parse(start) + minutes * 60_000).toISOString(),
  local_date: start.slice(0, 10),
  status: 'open',
  booking_id: null,
  hold_id: null,
  ...extra,
});
const now = '2030-01-01T00:00:00.000Z';

describe('runFrom', () => {
  it('takes consecutive slots until the duration is covered', () => {
    const slots = [
      slot(1, '2030-06-03T08:00:00Z'),
      slot(2, '2030-06-03T08:20:00Z'),
      slot(3, '2030-06-03T08:40:00Z'),
    ];
    expect(runFrom(slots, 0, 20)).toEqual([0]);
    expect(runFrom(slots, 0, 40)).toEqual([0, 1]);
    expect(runFrom(slots, 0, 45)).toEqual([0, 1, 2]);
    expect(runFrom(slots, 2, 40)).toBeNull();
  });

  it('stops at a gap', () => {
    const slots = [slot(1, '2030-06-03T08:00:00Z'), slot(2, '2030-06-03T09:00:00Z')];
    expect(runFrom(slots, 0, 40)).toBeNull();
  });
});

describe('buildWeek', () => {
  it('marks taken, held, blocked, past and too-short slots, offering only bookable starts', () => {
    const rows = [
      slot(1, '2030-06-03T08:00:00Z'),
      slot(2, '2030-06-03T08:20:00Z', 20, { hold_id: 9 }),
      slot(3, '2030-06-03T08:40:00Z'),
      slot(4, '2030-06-03T09:00:00Z'),
      slot(5, '2030-06-03T09:20:00Z', 20, { booking_id: 7 }),
      slot(6, '2030-06-04T08:00:00Z', 20, { status: 'blocked' }),
      slot(7, '2029-06-04T08:00:00Z'),
    ];
    const [week] = buildWeek(rows, {
      monday: '2030-06-03',
      zone: 'UTC',
      durationMinutes: 40,
      nowIso: now,
      doctors: [{ id: 1, name: 'Dr. A' }],
    });
    const states = Object.fromEntries(week.days.flatMap((d) => d.cells).map((c) => [c.id, c.state]));
    expect(states).toEqual({ 1: 'short', 2: 'held', 3: 'free', 4: 'short', 5: 'taken', 6: 'blocked' });
    expect(week.freeCount).toBe(1);
    expect(singleState(rows[6], now)).toBe('past');
  });

  it('formats times in the institution zone', () => {
    const [week] = buildWeek([slot(1, '2030-06-03T06:00:00Z')], {
      monday: '2030-06-03',
      zone: 'Europe/Budapest',
      durationMinutes: 20,
      nowIso: now,
      doctors: [{ id: 1, name: 'Dr. A' }],
    });
    expect(week.days[0].cells[0]).toEqual({ id: 1, time: '08:00', state: 'free' });
  });
});

describe('commissionFor', () => {
  it('computes percent in hundredths of a percent, fixed as is, nothing for clinic channels', () => {
    expect(commissionFor(2_500_000, { commission_type: 'percent', commission_value: 1000 })).toBe(250_000);
    expect(commissionFor(1_999, { commission_type: 'percent', commission_value: 1250 })).toBe(250);
    expect(commissionFor(2_500_000, { commission_type: 'fixed', commission_value: 150_000 })).toBe(150_000);
    expect(commissionFor(2_500_000, null)).toBe(0);
  });
});
