/** Traffic statistics additions (issues 11, 17), in Hungarian; see stats.en.ts. */
import type { StatsKey } from './stats.en';

export const statsHu: Record<StatsKey, string> = {
  'stats.downloadBookings': 'A foglalások letöltése hivatkozási számokkal (CSV)',
  'stats.colBookedOn': 'Foglalás dátuma',
  'stats.colReferenceLabel': 'Hivatkozás megnevezése',
};
