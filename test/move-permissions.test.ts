/** The pure rules of moving, attendance and the cancellation window (src/lib/permissions.ts). */
import {
  insideCancellationWindow,
  isLateCancellation,
  mayCancelNow,
  mayMove,
  mayMoveNow,
  maySetAttendance,
  mayUndoAttendance,
  type CurrentUser,
  type Permission,
} from '../src/lib/permissions';

const user = (
  permissions: Permission[],
  partnerId: number | null = null,
  institutionIds?: number[],
): CurrentUser => ({
  id: 1,
  username: 'u',
  displayName: 'U',
  partnerId,
  partnerName: partnerId ? 'P' : null,
  permissions: new Set(permissions),
  allInstitutions: !institutionIds,
  institutionIds: institutionIds ?? [],
});

const desk = user(['partner_booking', 'booking', 'bookings_view', 'patients']);
const viewer = user(['bookings_view']);
const alfa = user(['partner_booking', 'bookings_view'], 7);
const start = '2027-01-20T09:00:00.000Z';
const at = (iso: string) => Date.parse(iso);
const alfaBooking = { partnerId: 7, status: 'booked', attendance: null, institutionId: 1, startsAt: start };

describe('cancellation window', () => {
  it('is open until exactly H hours before the start, and never closes without a window', () => {
    expect(insideCancellationWindow({ startsAt: start }, 24, at('2027-01-19T09:00:00.000Z'))).toBe(true);
    expect(insideCancellationWindow({ startsAt: start }, 24, at('2027-01-19T09:00:00.001Z'))).toBe(false);
    expect(insideCancellationWindow({ startsAt: start }, 0, at('2027-01-20T09:00:00.000Z'))).toBe(true);
    expect(insideCancellationWindow({ startsAt: start }, null, at('2027-02-01T00:00:00.000Z'))).toBe(true);
  });

  it('binds partner users only; a clinic cancellation after it is late (partner bookings only)', () => {
    const late = at('2027-01-20T08:00:00.000Z');
    expect(mayCancelNow(alfa, alfaBooking, 24, late)).toBe(false);
    expect(mayCancelNow(desk, alfaBooking, 24, late)).toBe(true);
    expect(isLateCancellation(alfaBooking, 24, late)).toBe(true);
    expect(isLateCancellation({ ...alfaBooking, partnerId: null }, 24, late)).toBe(false);
    expect(isLateCancellation(alfaBooking, null, late)).toBe(false);
  });
});

describe('mayMove / mayMoveNow', () => {
  it('allows the desk and the own partner, not the viewer, another partner, a mark or a cancelled booking', () => {
    expect(mayMove(desk, alfaBooking)).toBe(true);
    expect(mayMove(alfa, alfaBooking)).toBe(true);
    expect(mayMove(viewer, alfaBooking)).toBe(false);
    expect(mayMove(user(['partner_booking', 'bookings_view'], 8), alfaBooking)).toBe(false);
    expect(mayMove(alfa, { ...alfaBooking, partnerId: null })).toBe(false);
    expect(mayMove(desk, { ...alfaBooking, status: 'cancelled' })).toBe(false);
    expect(mayMove(desk, { ...alfaBooking, attendance: 'arrived' })).toBe(false);
    expect(mayMove(user(['partner_booking', 'bookings_view'], null, [2]), alfaBooking)).toBe(false);
    // A clinic booking needs Booking.
    expect(mayMove(user(['partner_booking', 'bookings_view']), { ...alfaBooking, partnerId: null })).toBe(
      false,
    );
    const late = at('2027-01-20T08:00:00.000Z');
    expect(mayMoveNow(alfa, alfaBooking, 24, late)).toBe(false);
    expect(mayMoveNow(desk, alfaBooking, 24, late)).toBe(true);
  });
});

describe('attendance', () => {
  it('is set by clinic staff with Booking and the Bookings list only, undone only the day it was made', () => {
    expect(maySetAttendance(desk, { status: 'booked' })).toBe(true);
    expect(maySetAttendance(desk, { status: 'cancelled' })).toBe(false);
    expect(maySetAttendance(viewer, { status: 'booked' })).toBe(false);
    expect(
      maySetAttendance(user(['partner_booking', 'booking', 'bookings_view'], 7), { status: 'booked' }),
    ).toBe(false);
    const marked = { status: 'booked', attendance: 'no_show', attendanceMarkedLocalDate: '2027-01-20' };
    expect(mayUndoAttendance(desk, marked, '2027-01-20')).toBe(true);
    expect(mayUndoAttendance(desk, marked, '2027-01-21')).toBe(false);
    expect(mayUndoAttendance(desk, { ...marked, attendance: null }, '2027-01-20')).toBe(false);
    expect(mayUndoAttendance(alfa, marked, '2027-01-20')).toBe(false);
  });
});
