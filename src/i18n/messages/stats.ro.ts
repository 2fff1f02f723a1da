/** Traffic statistics additions (issues 11, 17), in Romanian; see stats.en.ts. */
import type { StatsKey } from './stats.en';

export const statsRo: Record<StatsKey, string> = {
  'stats.downloadBookings': 'Descărcați aceste programări cu numerele de referință (CSV)',
  'stats.colBookedOn': 'Data rezervării',
  'stats.colReferenceLabel': 'Denumirea referinței',
};
