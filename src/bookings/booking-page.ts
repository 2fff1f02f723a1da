/**
 * What the booking page shows of moving, attendance and the cancellation window (issues 16, 17):
 * which buttons this user gets (the same permission functions the services refuse with), the
 * attendance mark, the late-cancellation flag and the booking's earlier times.
 */
import type { Request } from 'express';
import {
  insideCancellationWindow,
  isPartnerUser,
  mayCancelNow,
  mayMove,
  mayMoveNow,
  maySetAttendance,
  mayUndoAttendance,
} from '../lib/permissions';
import { todayIn } from '../lib/time';
import { markedLocalDate, marksAllowed } from './attendance.service';
import { bookingState, movesOf } from './move.queries';

export async function bookingPageExtras(req: Request, bookingId: number) {
  const user = req.user!;
  const b = await bookingState(req.ctx.db, user, bookingId);
  if (!b) return {};
  const now = req.ctx.clock.nowMs();
  const today = todayIn(b.timeZone, req.ctx.clock.now());
  const staffMarks = maySetAttendance(user, b);
  const moves = await movesOf(req.ctx.db, b.id);
  const f = req.formats;
  const closesAt =
    b.windowHours !== null && b.partnerId !== null
      ? new Date(Date.parse(b.startsAt) - b.windowHours * 3_600_000).toISOString()
      : null;
  return {
    desk: {
      attendance: b.attendance,
      lateCancellation: b.lateCancellation,
      canMove: mayMoveNow(user, b, b.windowHours, now),
      // A partner user who could move but for the window: told why there is no Move button.
      windowClosed:
        isPartnerUser(user) && mayMove(user, b) && !insideCancellationWindow(b, b.windowHours, now),
      windowHours: b.partnerId !== null ? b.windowHours : null,
      windowClosesLocal: closesAt ? f.formatDateTime(closesAt, b.timeZone) : null,
      marks: staffMarks ? marksAllowed(b, today) : [],
      canUndo: mayUndoAttendance(user, { ...b, attendanceMarkedLocalDate: markedLocalDate(b) }, today),
      markedLocal: b.attendanceMarkedAt ? f.formatDateTime(b.attendanceMarkedAt, b.timeZone) : null,
      moves: moves.map((m) => ({
        from: `${f.formatDateTime(m.old_starts_at, b.timeZone)}\u2013${f.formatTime(m.old_ends_at, b.timeZone)}`,
        to: `${f.formatDateTime(m.new_starts_at, b.timeZone)}\u2013${f.formatTime(m.new_ends_at, b.timeZone)}`,
        at: f.formatDateTime(m.moved_at, b.timeZone),
        by: m.moved_by,
      })),
    },
    canCancel: mayCancelNow(user, b, b.windowHours, now),
  };
}
