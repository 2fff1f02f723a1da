/**
 * Arrived, Completed, No-show and Undo on the booking page (issue 16): plain POST forms, answered
 * with a redirect back to the booking (and its flash), 409 with the reason, 422 beside the buttons.
 */
import type { Request, Response } from 'express';
import { guardedRouter } from '../lib/router';
import { AppError, NotFound } from '../lib/errors';
import { flash, redirectAfterPost } from '../lib/render';
import { idParam } from '../lib/validate';
import { markAttendance, undoAttendance } from './attendance.service';
import { dayListBack } from '../daylist/back';

export const messages = {
  marked: {
    arrived: 'Marked as arrived.',
    completed: 'Marked as completed.',
    no_show: 'Marked as a no-show.',
  },
  undone: 'The attendance mark was undone.',
  notChanged: 'Attendance not changed',
};

function bookingId(req: Request): number {
  const id = idParam(req.params.id);
  if (id === null) throw new NotFound();
  return id;
}

function refuse(res: Response, err: AppError, id: number) {
  res.status(err.status).render('bookings/move-refused', {
    title: messages.notChanged,
    message: err.message,
    errors: err.fieldErrors,
    backUrl: `/bookings/${id}`,
    calendarUrl: null,
  });
}

export function attendanceRoutes() {
  const r = guardedRouter();
  // Clinic staff only: partner users never hold `booking`, and maySetAttendance decides the rest.
  r.post('/bookings/:id/attendance', 'booking', async (req, res) => {
    const id = bookingId(req);
    try {
      const mark = await markAttendance(req.ctx.db, req.user!, id, req.body, req.ctx.clock, req.ip);
      flash(req, messages.marked[mark]);
    } catch (err) {
      if (err instanceof AppError && [403, 409, 422].includes(err.status)) return refuse(res, err, id);
      throw err;
    }
    // Arrived from the day list returns there (a local /day-list path only).
    redirectAfterPost(req, res, dayListBack(req.body?.back) ?? `/bookings/${id}`);
  });

  r.post('/bookings/:id/attendance/undo', 'booking', async (req, res) => {
    const id = bookingId(req);
    try {
      await undoAttendance(req.ctx.db, req.user!, id, req.ctx.clock, req.ip);
      flash(req, messages.undone);
    } catch (err) {
      if (err instanceof AppError && [403, 409].includes(err.status)) return refuse(res, err, id);
      throw err;
    }
    redirectAfterPost(req, res, `/bookings/${id}`);
  });
  return r;
}
