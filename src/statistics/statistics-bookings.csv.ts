/**
 * The bookings behind a statistics report as CSV (issue 17: reference numbers in the statistics
 * export), written with the statistics CSV's own helpers (csvLine: RFC 4180, the reader's
 * separator; defuseFormula: text cells that start like a formula stay text), as the bookings
 * list's export (bookings/bookings.csv.ts) is, and with its column headers. One row per booking,
 * its reference number and the partner's label for it included.
 */
import type { Language, Translate } from '../i18n';
import type { Formats } from '../i18n/formats';
import { partnerReferenceLabel } from '../bookings/slip';
import { csvConventionOf, csvLine, defuseFormula } from './statistics.csv';
import type { ReportBookingRow } from './statistics-bookings.queries';
import type { StatisticsFilters } from './statistics.types';

/** At most this many rows in one export, as the bookings list's CSV; narrow the filters for more. */
export { maxCsvRows as maxReportBookingRows } from '../bookings/bookings.csv';

function statusText(b: ReportBookingRow, t: Translate): string {
  if (b.status === 'cancelled')
    return b.lateCancellation ? t('move.lateCancellation') : t('bookings.statusCancelled');
  if (b.attendance === 'no_show') return t('move.mark.no_show');
  if (b.attendance === 'arrived') return t('move.statusArrived');
  if (b.attendance === 'completed') return t('move.statusCompleted');
  return t('bookings.statusBooked');
}

export function reportBookingsCsv(
  rows: readonly ReportBookingRow[],
  t: Translate,
  formats: Pick<Formats, 'formatDateTime' | 'personName'>,
  lang: Language,
): string {
  const { separator } = csvConventionOf(lang);
  let out =
    '\uFEFF' +
    csvLine(
      [
        t('partner.colBookingId'),
        t('bookings.colDateTime'),
        t('stats.colBookedOn'),
        t('bookings.colInstitution'),
        t('bookings.colDoctor'),
        t('bookings.colService'),
        t('bookings.colPatient'),
        t('bookings.colChannel'),
        t('bookings.colPartner'),
        t('stats.colReferenceLabel'),
        t('partner.colReference'),
        t('bookings.colStatus'),
      ],
      separator,
    );
  for (const b of rows)
    out += csvLine(
      [
        String(b.id),
        formats.formatDateTime(b.startsAt, b.timeZone),
        b.createdLocalDate,
        defuseFormula(b.institution),
        defuseFormula(b.doctor),
        defuseFormula(b.service),
        defuseFormula(formats.personName(b.patientGiven, b.patientFamily)),
        defuseFormula(b.channel),
        defuseFormula(b.partner ?? ''),
        // A partner booking carries the partner's name for the field (or the default); clinic bookings none.
        defuseFormula(b.partner === null ? '' : partnerReferenceLabel(b.referenceLabel, lang)),
        defuseFormula(b.reference ?? ''),
        statusText(b, t),
      ],
      separator,
    );
  return out;
}

/** "traffic-statistics-bookings_2026-01-01_2026-01-31.csv" */
export function reportBookingsFileName(f: StatisticsFilters): string {
  return `traffic-statistics-bookings_${f.from}_${f.to}.csv`;
}
