/**
 * Attendance (issue 16): clinic staff mark a standing booking Arrived, Completed or No-show, and
 * undo a mistaken mark the same institution-local day. `bookings.status` keeps meaning standing or
 * cancelled; the mark sits beside it. Every change is conditional on the mark as it was read (a
 * concurrent mark makes it a clear 409) and audited.
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import { audit } from '../lib/audit';
import { writeTransaction } from '../lib/db';
import type { Clock } from '../lib/clock';
import { Conflict, Forbidden, NotFound } from '../lib/errors';
import { maySetAttendance, mayUndoAttendance, type CurrentUser } from '../lib/permissions';
import { formatLocalDate, todayIn } from '../lib/time';
import { parseOr422, single } from '../lib/validate';
import * as q from './move.queries';
import type { Attendance, BookingState } from './move.queries';

export const attendanceMarks = ['arrived', 'completed', 'no_show'] as const;

export const messages = {
  notFound: 'No such booking, or you may not see it.',
  forbidden: 'You may not mark the attendance of this booking.',
  cancelled: 'This booking has been cancelled, so its attendance cannot be marked.',
  badMark: 'Choose Arrived, Completed or No-show.',
  invalid: 'Please correct the marked fields.',
  tooEarly: 'Attendance can be marked from the day of the appointment on.',
  alreadyMarked: 'This booking already has an attendance mark. Undo it first to set another one.',
  changed: 'The attendance mark was changed meanwhile. Nothing was changed now; please check the booking.',
  noMark: 'This booking has no attendance mark to undo.',
  undoTooLate: 'A mark can only be undone on the day it was made.',
};

export const markForm = z.object({
  mark: single(z.enum(attendanceMarks, { message: messages.badMark })),
});

/** The institution-local day a booking's mark was made on (null when unmarked). */
export function markedLocalDate(b: BookingState): string | null {
  return b.attendanceMarkedAt ? formatLocalDate(b.attendanceMarkedAt, b.timeZone) : null;
}

/** Which marks the desk may set on this booking now (the buttons shown; the same rule refuses the rest). */
export function marksAllowed(b: BookingState, today: string): Attendance[] {
  if (b.status !== 'booked' || b.localDate > today) return [];
  if (b.attendance === null) return [...attendanceMarks];
  // A patient who arrived is completed later; anything else needs Undo first.
  return b.attendance === 'arrived' ? ['completed'] : [];
}

async function load(trx: Knex, user: CurrentUser, id: number): Promise<BookingState> {
  const b = await q.bookingState(trx, user, id);
  if (!b) throw new NotFound(messages.notFound);
  return b;
}

export async function markAttendance(
  db: Knex,
  user: CurrentUser,
  id: number,
  body: unknown,
  clock: Clock,
  ip?: string | null,
): Promise<Attendance> {
  return writeTransaction(db, async (trx) => {
    const b = await load(trx, user, id);
    if (b.status === 'cancelled') throw new Conflict(messages.cancelled);
    if (!maySetAttendance(user, b)) throw new Forbidden(messages.forbidden);
    const { mark } = parseOr422(markForm, body, messages.invalid);
    const today = todayIn(b.timeZone, clock.now());
    if (b.localDate > today) throw new Conflict(messages.tooEarly);
    if (!marksAllowed(b, today).includes(mark)) throw new Conflict(messages.alreadyMarked);
    const changed = await q.setAttendance(trx, {
      id,
      from: b.attendance,
      to: mark,
      at: clock.nowIso(),
      byUserId: user.id,
    });
    if (changed !== 1) throw new Conflict(messages.changed);
    await audit(trx, clock, {
      actor: user,
      action: 'booking.attendance',
      entityType: 'booking',
      entityId: id,
      ip: ip ?? null,
      details: { from: b.attendance, to: mark, partner_id: b.partnerId, institution_id: b.institutionId },
    });
    return mark;
  });
}

export async function undoAttendance(
  db: Knex,
  user: CurrentUser,
  id: number,
  clock: Clock,
  ip?: string | null,
): Promise<void> {
  await writeTransaction(db, async (trx) => {
    const b = await load(trx, user, id);
    if (b.status === 'cancelled') throw new Conflict(messages.cancelled);
    if (!maySetAttendance(user, b)) throw new Forbidden(messages.forbidden);
    if (b.attendance === null) throw new Conflict(messages.noMark);
    const today = todayIn(b.timeZone, clock.now());
    if (!mayUndoAttendance(user, { ...b, attendanceMarkedLocalDate: markedLocalDate(b) }, today))
      throw new Conflict(messages.undoTooLate);
    const changed = await q.setAttendance(trx, {
      id,
      from: b.attendance,
      to: null,
      at: null,
      byUserId: null,
    });
    if (changed !== 1) throw new Conflict(messages.changed);
    await audit(trx, clock, {
      actor: user,
      action: 'booking.attendance_undone',
      entityType: 'booking',
      entityId: id,
      ip: ip ?? null,
      details: {
        from: b.attendance,
        to: null,
        marked_at: b.attendanceMarkedAt,
        partner_id: b.partnerId,
        institution_id: b.institutionId,
      },
    });
  });
}
