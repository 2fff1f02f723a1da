/** Sends the statistics report's bookings as CSV (see statistics-bookings.csv.ts), in the report's scope. */
import type { Request, Response } from 'express';
import { scopeOf } from './statistics.queries';
import { reportBookings } from './statistics-bookings.queries';
import { maxReportBookingRows, reportBookingsCsv, reportBookingsFileName } from './statistics-bookings.csv';
import type { StatisticsFilters } from './statistics.types';

export async function statisticsBookingsCsv(
  req: Request,
  res: Response,
  filters: StatisticsFilters,
): Promise<void> {
  const rows = await reportBookings(req.ctx.db, filters, scopeOf(req.user!), maxReportBookingRows);
  res.set('Content-Type', 'text/csv; charset=utf-8');
  res.set('Content-Disposition', `attachment; filename="${reportBookingsFileName(filters)}"`);
  res.set('Cache-Control', 'private, no-store');
  res.send(reportBookingsCsv(rows, req.t, req.formats, req.lang));
}
