/**
 * Traffic statistics additions (issues 11, 17): the export of the report's bookings with their
 * reference numbers (src/statistics/statistics-bookings.*, views/statistics/_report.ejs).
 */
export const statsEn = {
  'stats.downloadBookings': 'Download these bookings with reference numbers (CSV)',
  'stats.colBookedOn': 'Booked on',
  'stats.colReferenceLabel': 'Reference label',
};

export type StatsKey = keyof typeof statsEn;
