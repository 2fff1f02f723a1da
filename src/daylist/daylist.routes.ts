/**
 * Day list (permission `bookings_view`): per institution and date, every booking in time order,
 * one section per doctor, printable on A4 (public/app.css print rules: one page per doctor).
 * A partner user gets only their own partner's bookings (dayListRows scopes its WHERE).
 */
import { z } from 'zod';
import { guardedRouter } from '../lib/router';
import { Forbidden } from '../lib/errors';
import { canUseInstitution, isPartnerUser, maySetAttendance } from '../lib/permissions';
import { todayIn, addDays } from '../lib/time';
import { isoDate, optionalId, parseOr400 } from '../lib/validate';
import { dayListDoctors, dayListInstitutions, dayListRows } from './daylist.queries';

export const messages = {
  title: 'Day list',
  date: 'Enter the day as YYYY-MM-DD.',
  noInstitution: 'There is no institution you may see.',
};

const query = z.object({
  institution: optionalId,
  doctor: optionalId,
  date: isoDate(messages.date, { optional: true }),
});

export function dayListRoutes() {
  const r = guardedRouter();
  r.get('/day-list', 'bookings_view', async (req, res) => {
    const f = parseOr400(query, req.query);
    const db = req.ctx.db;
    const institutions = await dayListInstitutions(db, req.user!);
    if (f.institution !== undefined && !canUseInstitution(req.user!, f.institution)) throw new Forbidden();
    const institution = institutions.find((i) => i.id === f.institution) ?? institutions[0] ?? null;
    const zone = institution?.time_zone ?? 'UTC';
    const date = f.date || todayIn(zone, req.ctx.clock.now());
    const doctors = institution ? await dayListDoctors(db, institution.id) : [];
    const doctorId = f.doctor && doctors.some((d) => d.id === f.doctor) ? f.doctor : null;
    const rows = institution
      ? await dayListRows(db, req.user!, { institutionId: institution.id, date, doctorId })
      : [];
    const today = todayIn(zone, req.ctx.clock.now());
    const groups: { doctor: string; rows: Record<string, unknown>[] }[] = [];
    for (const row of rows) {
      let g = groups[groups.length - 1];
      if (!g || g.doctor !== row.doctor) groups.push((g = { doctor: row.doctor, rows: [] }));
      g.rows.push({
        id: row.id,
        time: `${req.formats.formatTime(row.starts_at, zone)}\u2013${req.formats.formatTime(row.ends_at, zone)}`,
        patient: req.formats.personName(row.given_name, row.family_name),
        service: row.service,
        partner: row.partner,
        status: row.status,
        // booked, arrived, completed, no_show or cancelled: the one status the row shows.
        state: row.status === 'cancelled' ? 'cancelled' : (row.attendance ?? 'booked'),
        reference: row.reference,
        // Arrived from the list: a standing, unmarked booking of today or earlier (the attendance
        // service refuses a future day), for users who may set attendance.
        canArrive: maySetAttendance(req.user!, row) && row.attendance === null && row.local_date <= today,
      });
    }
    const link = (d: string) =>
      `/day-list?${new URLSearchParams({
        ...(institution ? { institution: String(institution.id) } : {}),
        ...(doctorId ? { doctor: String(doctorId) } : {}),
        date: d,
      }).toString()}`;
    res.render('daylist/index', {
      backUrl: link(date),
      title: messages.title,
      institutions,
      institution,
      doctors,
      doctorId,
      date,
      dayLabel: `${req.formats.weekday(date)} ${req.formats.formatDay(date)}`,
      groups,
      count: rows.length,
      prevUrl: link(addDays(date, -1)),
      nextUrl: link(addDays(date, 1)),
      partnerView: isPartnerUser(req.user!),
      // The Arrived column: only for users who may set attendance at all (never partner users).
      markColumn: maySetAttendance(req.user!, { status: 'booked' }),
      reason: institution ? null : messages.noInstitution,
    });
  });
  return r;
}
