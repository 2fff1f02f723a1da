/** The closed state in the one slot-state rule, and the calendar cells it gives (pure, no database). */
import { applyClosures, closureOf, singleState } from '../src/lib/slot-state';
import { buildWeek, type SlotRow } from '../src/booking/calendar';

const slot = (id: number, start: string, extra: Partial<SlotRow> = {}): SlotRow => ({
  id,
  doctor_id: 1,
  starts_at: new Date(start).toISOString(),
  ends_at: new Date(Date.parse(start) + 20 * 60_000).toISOString(),
  local_date: start.slice(0, 10),
  status: 'open',
  booking_id: null,
  hold_id: null,
  ...extra,
});
const now = '2030-01-01T00:00:00.000Z';
const closure = {
  starts_at: '2030-06-03T09:00:00.000Z',
  ends_at: '2030-06-03T10:00:00.000Z',
  reason: 'Staff training',
};

describe('closures in the slot state', () => {
  it('closes a slot that overlaps the closure, not one that only touches it', () => {
    expect(closureOf(slot(1, '2030-06-03T08:40:00Z'), [closure])).toBeNull(); // ends 09:00
    expect(closureOf(slot(2, '2030-06-03T08:50:00Z'), [closure])).toBe(closure);
    expect(closureOf(slot(3, '2030-06-03T09:40:00Z'), [closure])).toBe(closure);
    expect(closureOf(slot(4, '2030-06-03T10:00:00Z'), [closure])).toBeNull();
  });

  it('is Closed over blocked, held and past, but a booking still shows as Taken', () => {
    const rows = applyClosures(
      [
        slot(1, '2030-06-03T09:00:00Z'),
        slot(2, '2030-06-03T09:20:00Z', { booking_id: 5 }),
        slot(3, '2030-06-03T09:40:00Z', { status: 'blocked', hold_id: 7 }),
        slot(4, '2030-06-03T10:00:00Z'),
      ],
      [closure],
    );
    expect(rows.map((r) => singleState(r, now))).toEqual(['closed', 'taken', 'closed', 'free']);
    const [week] = buildWeek(rows, {
      monday: '2030-06-03',
      zone: 'UTC',
      durationMinutes: 20,
      nowIso: now,
      doctors: [{ id: 1, name: 'Dr. A' }],
    });
    expect(week.days[0].cells).toEqual([
      { id: 1, time: '09:00', state: 'closed', note: 'Staff training' },
      { id: 2, time: '09:20', state: 'taken' },
      { id: 3, time: '09:40', state: 'closed', note: 'Staff training' },
      { id: 4, time: '10:00', state: 'free' },
    ]);
    expect(week.freeCount).toBe(1);
  });

  it('keeps a longer service off a run that reaches into a closure', () => {
    const rows = applyClosures([slot(1, '2030-06-03T08:40:00Z'), slot(2, '2030-06-03T09:00:00Z')], [closure]);
    const [week] = buildWeek(rows, {
      monday: '2030-06-03',
      zone: 'UTC',
      durationMinutes: 40,
      nowIso: now,
      doctors: [{ id: 1, name: 'Dr. A' }],
    });
    expect(week.days[0].cells.map((c) => c.state)).toEqual(['short', 'closed']);
  });
});
