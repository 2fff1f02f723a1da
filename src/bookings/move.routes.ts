/**
 * Moving a booking (issue 16): the booking page's Move opens the week calendar of the same service
 * at the same institution (any doctor offering it, or one chosen), Start the reservation holds the
 * new slot(s) as in the booking flow, and Move the booking moves it. Rules in move.service.ts.
 */
import type { Request, Response } from 'express';
import { z } from 'zod';
import { guardedRouter } from '../lib/router';
import { AppError, NotFound } from '../lib/errors';
import { isPartnerUser } from '../lib/permissions';
import { flash, renderPageOrFragment } from '../lib/render';
import { idParam, isoDate, optionalId, parseOr400 } from '../lib/validate';
import type { WeekDay } from '../booking/calendar';
import { drawWeek, weekFrame } from '../booking/week';
import { resolveChoices, type ChoiceInput, type Mode } from '../booking/choices';
import { findOwnHold, holdSlots, summaryNames } from '../booking/booking.queries';
import { isHoldToken, releaseHold } from '../booking/booking.service';
import {
  assertMayMove,
  loadBookingToMove,
  moveBooking,
  placeMoveHold,
  holdFitsBooking,
} from './move.service';
import { moveByKey, type BookingState } from './move.queries';

export const messages = {
  title: 'Move the booking',
  chooseSlot: 'Please choose a free slot from the calendar.',
  noSlots: 'No schedule or slots in this period',
  allTaken: 'Every slot this week is taken',
  notEnabled:
    'This service is no longer enabled for this booking\u2019s channel here, so it cannot be moved.',
  moved: 'The booking was moved. Its old time slot is free again.',
  notMoved: 'Not moved',
  ended: 'This reservation has ended: the booking was moved, the reservation was cancelled, or it expired.',
  released: 'The reservation was cancelled; the booking was not moved.',
};

const weekParam = isoDate('The week must be a date (YYYY-MM-DD).', { optional: true }).transform(
  (s) => s || undefined,
);
const calendarQuery = z.object({ doctor: optionalId, week: weekParam });
const reserveBody = z.object({ doctor: optionalId, week: weekParam, slot: optionalId });

function bookingId(req: Request): number {
  const id = idParam(req.params.id);
  if (id === null) throw new NotFound();
  return id;
}

const movePath = (id: number, q: { doctor?: number | null; week?: string | null } = {}) => {
  const params = new URLSearchParams();
  if (q.doctor) params.set('doctor', String(q.doctor));
  if (q.week) params.set('week', q.week);
  const s = params.toString();
  return `/bookings/${id}/move${s ? `?${s}` : ''}`;
};

/** The names of what is booked (institution, doctor, service, partner). */
function bookingNames(req: Request, b: BookingState) {
  return summaryNames(req.ctx.db, {
    institutionId: b.institutionId,
    doctorId: b.doctorId,
    serviceId: b.serviceId,
    channelId: b.channelId,
    partnerId: b.partnerId,
  });
}

/** The move calendar: the booking flow's choices, fixed to the booking's institution, channel and service. */
async function moveCalendar(
  req: Request,
  b: BookingState,
  input: { doctor?: number; week?: string },
  extra: { message?: string | null; errors?: Record<string, string>; selectedSlot?: number | null } = {},
) {
  const user = req.user!;
  const mode: Mode = b.partnerId ? 'partner' : 'clinic';
  const choice: ChoiceInput = {
    institution: b.institutionId,
    service: b.serviceId,
    doctor: input.doctor,
    week: input.week ?? b.localDate,
    ...(mode === 'partner'
      ? isPartnerUser(user)
        ? {}
        : { partner: b.partnerId! }
      : { channel: b.channelId }),
  };
  const c = await resolveChoices(req.ctx.db, user, mode, choice, req.ctx.clock);
  const names = await bookingNames(req, b);
  const f = req.formats;
  const model = {
    title: messages.title,
    booking: b,
    names,
    current: `${f.formatDateTime(b.startsAt, b.timeZone)}\u2013${f.formatTime(b.endsAt, b.timeZone)}`,
    doctors: c.doctors,
    doctorId: c.doctorId,
    gridHtml: '',
    days: [] as readonly WeekDay[],
    freeCount: 0,
    reason: null as string | null,
    weekLabel: null as string | null,
    weekLinks: null as { prev: string | null; current: string; next: string } | null,
    monday: c.monday,
    selectedSlot: extra.selectedSlot ?? null,
    message: extra.message ?? null,
    errors: extra.errors ?? {},
  };
  if (!c.institution || !c.monday || c.serviceId === null || c.durationMinutes === null) {
    model.reason = messages.notEnabled;
    return model;
  }
  const link = (week: string) => movePath(b.id, { doctor: c.doctorId, week });
  Object.assign(model, weekFrame(req, c.monday, c.currentMonday!, link));
  const { freeCount, empty, gridHtml } = await drawWeek(req, c, model.selectedSlot);
  Object.assign(model, { freeCount, gridHtml, reason: empty ? messages[empty] : model.reason });
  return model;
}

/** Refusals answer with the reason and a way back to the booking (409, 403). */
function refuse(res: Response, err: AppError, id: number) {
  res.status(err.status).render('bookings/move-refused', {
    title: messages.notMoved,
    message: err.message,
    backUrl: `/bookings/${id}`,
    calendarUrl: err.status === 409 ? movePath(id) : null,
  });
}

export function moveRoutes() {
  const r = guardedRouter();
  // Declared as the permissions that can move at all; mayMove (in the service) decides the booking.

  r.get('/bookings/:id/move', ['booking', 'partner_booking'], async (req, res) => {
    const id = bookingId(req);
    const query = parseOr400(calendarQuery, req.query);
    const b = await loadBookingToMove(req.ctx.db, req.user!, id);
    try {
      assertMayMove(req.user!, b, req.ctx.clock.nowMs());
    } catch (err) {
      if (err instanceof AppError && (err.status === 403 || err.status === 409)) return refuse(res, err, id);
      throw err;
    }
    const model = await moveCalendar(req, b, query);
    renderPageOrFragment(req, res, 'bookings/move', 'bookings/_move-calendar', model);
  });

  // Start the reservation on the move calendar.
  r.post('/bookings/:id/move', ['booking', 'partner_booking'], async (req, res) => {
    const id = bookingId(req);
    const body = parseOr400(reserveBody, req.body);
    const b = await loadBookingToMove(req.ctx.db, req.user!, id);
    const rerender = async (status: number, message: string, errors: Record<string, string> = {}) => {
      const model = await moveCalendar(req, b, body, { message, errors });
      res.status(status).render('bookings/move', model);
    };
    if (body.slot === undefined) {
      try {
        assertMayMove(req.user!, b, req.ctx.clock.nowMs());
      } catch (err) {
        if (err instanceof AppError && (err.status === 403 || err.status === 409))
          return refuse(res, err, id);
        throw err;
      }
      return rerender(422, messages.chooseSlot, { slot: messages.chooseSlot });
    }
    try {
      const token = await placeMoveHold(req.ctx.db, {
        user: req.user!,
        sessionId: req.sessionID,
        booking: b,
        doctorId: body.doctor ?? null,
        slotId: body.slot,
        holdMinutes: req.ctx.config.holdMinutes,
        clock: req.ctx.clock,
      });
      res.redirect(303, `/bookings/${id}/move/${token}`);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (err.status === 403 || (err.status === 409 && b.status !== 'booked')) return refuse(res, err, id);
      if (err.status === 409 || err.status === 422) return rerender(err.status, err.message, err.fieldErrors);
      throw err;
    }
  });

  // The reservation: old and new time side by side, and Move the booking.
  r.get('/bookings/:id/move/:token', ['booking', 'partner_booking'], async (req, res) => {
    const id = bookingId(req);
    const token = req.params.token;
    if (!isHoldToken(token)) throw new NotFound();
    const b = await loadBookingToMove(req.ctx.db, req.user!, id);
    const hold = await findOwnHold(req.ctx.db, token, req.sessionID, req.user!.id);
    if (!hold || !holdFitsBooking(hold, b)) {
      if (await moveByKey(req.ctx.db, token, req.user!.id)) return res.redirect(303, `/bookings/${id}`);
      return res.status(404).render('booking/ended', {
        title: messages.notMoved,
        message: messages.ended,
        backUrl: movePath(id),
      });
    }
    const slots = await holdSlots(req.ctx.db, hold.id);
    const names = await summaryNames(req.ctx.db, {
      institutionId: hold.institution_id,
      doctorId: hold.doctor_id,
      serviceId: hold.service_id,
      channelId: hold.channel_id,
      partnerId: hold.partner_id,
    });
    const oldDoctor = await bookingNames(req, b);
    const f = req.formats;
    res.render('bookings/move-confirm', {
      title: messages.title,
      booking: b,
      token,
      names,
      from: `${f.formatDateTime(b.startsAt, b.timeZone)}\u2013${f.formatTime(b.endsAt, b.timeZone)}`,
      fromDoctor: oldDoctor.doctor,
      to: slots.length
        ? `${f.formatDateTime(slots[0].starts_at, b.timeZone)}\u2013${f.formatTime(slots[slots.length - 1].ends_at, b.timeZone)}`
        : '',
      reservedUntil: f.formatTime(hold.expires_at, b.timeZone),
      backUrl: movePath(id, { week: slots[0]?.local_date ?? null }),
    });
  });

  // Move the booking (idempotent: the token is the move's key).
  r.post('/bookings/:id/move/:token', ['booking', 'partner_booking'], async (req, res) => {
    const id = bookingId(req);
    const token = req.params.token;
    if (!isHoldToken(token)) throw new NotFound();
    try {
      await moveBooking(req.ctx.db, {
        user: req.user!,
        sessionId: req.sessionID,
        bookingId: id,
        token,
        clock: req.ctx.clock,
        ip: req.ip,
      });
    } catch (err) {
      if (err instanceof AppError && (err.status === 403 || err.status === 409 || err.status === 422))
        return refuse(res, err, id);
      throw err;
    }
    flash(req, messages.moved);
    res.redirect(303, `/bookings/${id}`);
  });

  // Cancel the reservation: the booking stays where it is.
  r.post('/bookings/:id/move/:token/cancel', ['booking', 'partner_booking'], async (req, res) => {
    const id = bookingId(req);
    const token = req.params.token;
    if (!isHoldToken(token)) throw new NotFound();
    await loadBookingToMove(req.ctx.db, req.user!, id);
    await releaseHold(req.ctx.db, req.user!, req.sessionID, token);
    flash(req, messages.released);
    res.redirect(303, `/bookings/${id}`);
  });

  return r;
}
