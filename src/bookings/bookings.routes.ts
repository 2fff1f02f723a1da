/**
 * The bookings list (filter, paginate), a booking's details, and cancellation with a reason.
 */
import { clinicTimeZone } from '../settings/institutions.queries';
import type { Request, Response } from 'express';
import { guardedRouter } from '../lib/router';
import { AppError, NotFound } from '../lib/errors';
import { isPartnerUser, mayCancel } from '../lib/permissions';
import { flash, redirectAfterPost, renderPageOrFragment } from '../lib/render';
import { addDays, todayIn } from '../lib/time';
import { fieldErrors, idParam, parseOr400 } from '../lib/validate';
import { dateQuery, formMessages, listQuery } from './bookings.forms';

import { filterOptions, findBooking, listBookings, type BookingFilter } from './bookings.queries';
import { cancelBooking } from './bookings.service';
import { sendBookingsCsv } from './bookings.csv';
import { bookingHistoryModel } from '../audit-log/audit-log.routes';
import { bookingPageExtras } from './booking-page';
import type { Formats } from '../i18n/formats';
import type { BookingDetail, BookingListRow } from './bookings.queries';

/** A row's times and patient name in the reader's language (dates, name order). */
function present<T extends BookingListRow>(row: T, f: Formats): T {
  const out = {
    ...row,
    startsLocal: f.formatDateTime(row.startsAt, row.timeZone),
    patient: f.personName(row.patientGiven, row.patientFamily),
    doctor: f.writtenName(row.doctor),
  };
  const detail = out as unknown as Partial<BookingDetail>;
  if (detail.createdAt) detail.createdLocal = f.formatDateTime(detail.createdAt, row.timeZone);
  if (detail.cancelledAt) detail.cancelledLocal = f.formatDateTime(detail.cancelledAt, row.timeZone);
  return out;
}

/** The filter's choices in the reader's collation (hu: "Cs" after "C"). */
function sortedOptions(options: Awaited<ReturnType<typeof filterOptions>>, f: Formats) {
  return {
    institutions: f.sortBy(options.institutions, (i) => i.name),
    doctors: f.peopleByFamily(options.doctors),
    partners: f.sortBy(options.partners, (p) => p.name),
  };
}

export const messages = {
  listTitle: 'Bookings',
  cancelled: 'The booking was cancelled and its time slot is free again.',
  badDate: formMessages.badDate,
  badRange: formMessages.badRange,
  notFound: 'No such booking, or you may not see it.',
  fixFilter: 'Fix the filter above to see bookings.',
};

const PER_PAGE = 50;

/** A query value as typed, for re-showing it in the form. */
const typed = (v: unknown) => String(Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).slice(0, 10);

/** "Today" for the default range: the clinic's today (settings/institutions.queries). */
async function clinicToday(req: Request): Promise<string> {
  return todayIn(await clinicTimeZone(req.ctx.db), req.ctx.clock.now());
}

export function bookingsRoutes() {
  const r = guardedRouter();

  // The list and its CSV export (bookings.csv.ts): the same filter, the same scope.
  const listBookingsPage = async (req: Request, res: Response) => {
    const listed = parseOr400(listQuery, req.query);
    const user = req.user!;
    const partnerParam = isPartnerUser(user) ? '' : (listed.partner ?? '');
    const dates = dateQuery.safeParse(req.query);
    if (!dates.success) {
      // No table for a filter that cannot be right: old rows under it would look like its answer.
      res.status(422);
      return renderPageOrFragment(req, res, 'bookings/index', 'bookings/_table', {
        title: messages.listTitle,
        rows: [],
        total: 0,
        page: 1,
        pages: 0,
        prevLink: null,
        nextLink: null,
        invalid: messages.fixFilter,
        errors: fieldErrors(dates.error),
        options: sortedOptions(await filterOptions(req.ctx.db, user), req.formats),
        showPartnerFilter: !isPartnerUser(user),
        values: {
          from: typed(req.query.from),
          to: typed(req.query.to),
          institution: listed.institution ?? '',
          doctor: listed.doctor ?? '',
          partner: partnerParam,
          status: listed.status ?? 'booked',
          reference: listed.reference,
        },
      });
    }
    const q = { ...listed, ...dates.data };
    const today = await clinicToday(req);
    const from = q.from || today;
    const to = q.to || (q.from && q.from > addDays(today, 30) ? addDays(q.from, 30) : addDays(today, 30));
    const filter: BookingFilter = {
      from,
      to,
      institutionId: q.institution,
      doctorId: q.doctor,
      // A partner user's own partner is enforced by the query scope, whatever the query string says.
      partner: partnerParam === 'none' ? 'none' : partnerParam ? Number(partnerParam) : undefined,
      status: q.status ?? 'booked',
      reference: q.reference || undefined,
      page: q.page ?? 1,
      perPage: PER_PAGE,
    };
    if (req.path === '/bookings.csv') return sendBookingsCsv(req, res, filter);
    const [result, options] = await Promise.all([
      listBookings(req.ctx.db, user, filter),
      filterOptions(req.ctx.db, user),
    ]);
    const values = {
      from,
      to,
      institution: q.institution ?? '',
      doctor: q.doctor ?? '',
      partner: partnerParam,
      status: filter.status,
      reference: q.reference,
    };
    const pageLink = (page: number) => {
      const params = new URLSearchParams({ from, to, status: filter.status });
      if (q.institution) params.set('institution', String(q.institution));
      if (q.doctor) params.set('doctor', String(q.doctor));
      if (partnerParam) params.set('partner', partnerParam);
      if (q.reference) params.set('reference', q.reference);
      params.set('page', String(page));
      return `/bookings?${params.toString()}`;
    };
    renderPageOrFragment(req, res, 'bookings/index', 'bookings/_table', {
      title: messages.listTitle,
      ...result,
      rows: result.rows.map((row) => present(row, req.formats)),
      values,
      options: sortedOptions(options, req.formats),
      showPartnerFilter: !isPartnerUser(user),
      prevLink: result.page > 1 ? pageLink(result.page - 1) : null,
      nextLink: result.page < result.pages ? pageLink(result.page + 1) : null,
      csvLink: `/bookings.csv?${pageLink(1)
        .split('?')[1]
        .replace(/&page=1$/, '')}`,
      invalid: null,
      errors: {},
    });
  };
  r.get('/bookings', 'bookings_view', listBookingsPage);
  r.get('/bookings.csv', 'bookings_view', listBookingsPage);

  r.get('/bookings/:id', 'bookings_view', async (req, res) => {
    const id = idParam(req.params.id);
    const booking = id ? await findBooking(req.ctx.db, req.user!, id) : null;
    if (!booking) throw new NotFound(messages.notFound);
    res.render('bookings/show', {
      title: req.t('bookings.detailTitle', { id: booking.id }),
      booking: present(booking, req.formats),
      history: await bookingHistoryModel(req, booking.id, booking.timeZone),
      canCancel: mayCancel(req.user!, booking),
      values: {},
      errors: {},
      ...(await bookingPageExtras(req, booking.id)),
    });
  });

  // Declared as the permissions that can cancel at all; the service then applies mayCancel (status,
  // bookings_view, the booking's channel), so a viewer is refused by the guard, not deep inside.
  r.post('/bookings/:id/cancel', ['booking', 'partner_booking'], async (req, res) => {
    const id = idParam(req.params.id);
    if (!id) throw new NotFound(messages.notFound);
    const user = req.user!;
    const reason = (req.body ?? {}).reason;
    try {
      await cancelBooking(req.ctx.db, user, id, reason, req.ctx.clock, req.ip);
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 422) throw err;
      const booking = await findBooking(req.ctx.db, user, id);
      if (!booking) throw new NotFound(messages.notFound);
      res.status(422);
      return renderPageOrFragment(req, res, 'bookings/show', 'bookings/_cancel-form', {
        title: req.t('bookings.detailTitle', { id: booking.id }),
        booking: present(booking, req.formats),
        history: await bookingHistoryModel(req, booking.id, booking.timeZone),
        canCancel: mayCancel(user, booking),
        values: { reason: typeof reason === 'string' ? reason : '' },
        errors: err.fieldErrors,
        ...(await bookingPageExtras(req, booking.id)),
      });
    }
    flash(req, messages.cancelled);
    redirectAfterPost(req, res, `/bookings/${id}`);
  });

  return r;
}
