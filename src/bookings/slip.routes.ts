/**
 * The printed slip (a page laid out for one A4 sheet by the print stylesheet; the browser's own
 * Print command prints it, no JavaScript) and the booking's calendar file (.ics). Both are reached
 * from the confirmation and the booking's page, so whoever may see either may see these: the
 * booking is looked up with findBooking, in the user's scope (a partner user: own partner only).
 */
import type { Request } from 'express';
import { guardedRouter } from '../lib/router';
import { NotFound } from '../lib/errors';
import { idParam } from '../lib/validate';
import { findBooking } from './bookings.queries';
import { bookingFacts, calendarFile, partnerReferenceLabel } from './slip';

export const messages = {
  notFound: 'No such booking, or you may not see it.',
};

/** Who may see a booking's confirmation or page (and so its slip and calendar file). */
const seesBookings = ['booking', 'partner_booking', 'bookings_view'] as const;

async function visibleFacts(req: Request) {
  const id = idParam(req.params.id);
  const booking = id ? await findBooking(req.ctx.db, req.user!, id) : null;
  if (!booking) throw new NotFound(messages.notFound);
  const facts = await bookingFacts(req.ctx.db, booking.id);
  if (!facts) throw new NotFound(messages.notFound);
  return { booking, facts };
}

export function slipRoutes() {
  const r = guardedRouter();

  r.get('/bookings/:id/slip', seesBookings, async (req, res) => {
    const { booking, facts } = await visibleFacts(req);
    const f = req.formats;
    res.render('bookings/slip', {
      title: req.t('slip.title'),
      slip: {
        id: facts.bookingId,
        cancelled: facts.cancelled,
        institution: facts.institution,
        address: facts.address,
        doctor: f.writtenName(facts.doctor),
        service: facts.service,
        date: f.formatDate(facts.startsAt, facts.timeZone),
        weekday: f.weekday(booking.localDate),
        time: `${f.formatTime(facts.startsAt, facts.timeZone)}–${f.formatTime(facts.endsAt, facts.timeZone)}`,
        timeZone: facts.timeZone,
        patient: f.personName(facts.patientGiven, facts.patientFamily),
        partner: facts.partner,
        reference: facts.reference,
        partnerReference: facts.partnerReference
          ? {
              label: partnerReferenceLabel(facts.partnerReference.label, req.lang),
              value: facts.partnerReference.value,
            }
          : null,
      },
    });
  });

  r.get('/bookings/:id/calendar.ics', seesBookings, async (req, res) => {
    const { facts } = await visibleFacts(req);
    const ics = calendarFile(facts, req.lang, req.ctx.config, req.ctx.clock.nowIso());
    res.set('Content-Disposition', `attachment; filename="booking-${facts.bookingId}.ics"`);
    res.type(`text/calendar; charset=utf-8; method=${facts.cancelled ? 'CANCEL' : 'REQUEST'}`);
    res.send(ics);
  });

  return r;
}
