/**
 * The bookings list as CSV (the list's filter and scope, every page): UTF-8 with a byte-order mark
 * and the reader's separator, as the statistics CSV (statistics.csv.ts, whose helpers it uses),
 * text cells defused against formula injection. One row per booking, its reference number included.
 */
import type { Request, Response } from 'express';
import { csvConventionOf, csvLine, defuseFormula } from '../statistics/statistics.csv';
import { listBookings, type BookingFilter } from './bookings.queries';

/** At most this many rows in one export (a month of a busy clinic); narrow the filter for more. */
export const maxCsvRows = 20_000;

export async function sendBookingsCsv(req: Request, res: Response, filter: BookingFilter): Promise<void> {
  const { rows } = await listBookings(req.ctx.db, req.user!, { ...filter, page: 1, perPage: maxCsvRows });
  const { separator } = csvConventionOf(req.lang);
  const t = req.t;
  let out =
    '\uFEFF' +
    csvLine(
      [
        t('partner.colBookingId'),
        t('bookings.colDateTime'),
        t('bookings.colInstitution'),
        t('bookings.colDoctor'),
        t('bookings.colService'),
        t('bookings.colPatient'),
        t('bookings.colChannel'),
        t('bookings.colPartner'),
        t('partner.colReference'),
        t('bookings.colBookedBy'),
        t('bookings.colStatus'),
      ],
      separator,
    );
  for (const b of rows)
    out += csvLine(
      [
        String(b.id),
        `${req.formats.formatDateTime(b.startsAt, b.timeZone)}\u2013${b.endsLocal}`,
        defuseFormula(b.institution),
        defuseFormula(b.doctor),
        defuseFormula(b.service),
        defuseFormula(req.formats.personName(b.patientGiven, b.patientFamily)),
        defuseFormula(b.channel),
        defuseFormula(b.partner ?? ''),
        defuseFormula(b.reference ?? ''),
        defuseFormula(b.bookedBy),
        b.status === 'cancelled' ? t('bookings.statusCancelled') : t('bookings.statusBooked'),
      ],
      separator,
    );
  res.set('Content-Type', 'text/csv; charset=utf-8');
  res.set('Content-Disposition', `attachment; filename="bookings_${filter.from}_${filter.to}.csv"`);
  res.send(out);
}
