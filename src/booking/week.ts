/**
 * The week a calendar shows for resolved choices: the day headings, the week links and the slots
 * per doctor. One copy for the booking calendar and the Move calendar (bookings/move.routes.ts).
 */
import type { Request } from 'express';
import { addDays } from '../lib/time';
import { buildWeek, weekDays, type DoctorWeek, type WeekDay } from './calendar';
import type { Choices } from './choices';
import { slotRows } from './booking.queries';
import { contractCalendar } from '../contracts/contracts.service';
import { applyClosures } from '../lib/slot-state';
import { closuresAround } from '../closures/closures.service';
import { nameParts } from '../i18n/formats';
import { mayNameReservingPartner } from '../lib/permissions';

export type WeekFrame = {
  days: WeekDay[];
  weekLabel: string;
  weekLinks: { prev: string | null; current: string; next: string };
};

/** Headings and links of the week starting `monday` (no earlier week than the current one). */
export function weekFrame(
  req: Request,
  monday: string,
  currentMonday: string,
  link: (week: string) => string,
): WeekFrame {
  const days = weekDays(monday, req.lang);
  return {
    days,
    weekLabel: req.t('booking.weekLabel', {
      first: days[0].label,
      last: days[6].label,
      year: monday.slice(0, 4),
    }),
    weekLinks: {
      prev: monday > currentMonday ? link(addDays(monday, -7)) : null,
      current: link(currentMonday),
      next: link(addDays(monday, 7)),
    },
  };
}

/**
 * The slots of the doctors matching the choices in that week, the partner contract's notes (validity,
 * allotments left; its reserved and unavailable slots are marked on the rows), and why nothing can
 * be chosen, if so: no slots at all ('noSlots'), or every one taken ('allTaken'; slots a contract
 * takes away say so themselves: "Reserved for ...", "Not offered").
 */
export async function drawWeek(
  req: Request,
  c: Pick<
    Choices,
    'institution' | 'monday' | 'matching' | 'durationMinutes' | 'partnerId' | 'channel' | 'serviceId'
  >,
): Promise<{
  weeks: DoctorWeek[];
  freeCount: number;
  contractNotes: string[];
  empty: 'noSlots' | 'allTaken' | null;
}> {
  if (!c.institution || !c.monday || c.durationMinutes === null)
    return { weeks: [], freeCount: 0, contractNotes: [], empty: 'noSlots' };
  const doctors = new Map<number, string>();
  // Doctors by family name in the locale's collation, each named in the locale's order.
  for (const o of req.formats.sortByFamily(c.matching, (m) => nameParts(m.doctorName)))
    doctors.set(o.doctorId, req.formats.writtenName(o.doctorName));
  const now = req.ctx.clock.nowIso();
  const rows = await slotRows(req.ctx.db, {
    institutionId: c.institution.id,
    doctorIds: [...doctors.keys()],
    from: c.monday,
    to: addDays(c.monday, 6),
    nowIso: now,
  });
  // Institution closures first: a closed slot is Closed, whatever a contract would say of it.
  applyClosures(rows, await closuresAround(req.ctx.db, c.institution.id, rows));
  const contractNotes =
    c.channel && c.serviceId
      ? await contractCalendar(req.ctx.db, {
          ...{
            t: req.t,
            lang: req.lang,
            clock: req.ctx.clock,
            partnerId: c.partnerId,
            channelId: c.channel.id,
            namePartners: mayNameReservingPartner(req.user!),
          },
          ...{ institutionId: c.institution.id, serviceId: c.serviceId, zone: c.institution.time_zone, rows },
          ...{ from: c.monday, to: addDays(c.monday, 6) },
        })
      : [];
  const weeks = buildWeek(rows, {
    monday: c.monday,
    zone: c.institution.time_zone,
    durationMinutes: c.durationMinutes,
    nowIso: now,
    doctors: [...doctors].map(([id, name]) => ({ id, name })),
  });
  const freeCount = weeks.reduce((n, w) => n + w.freeCount, 0);
  const allTaken = freeCount === 0 && !rows.some((r) => r.contract);
  return {
    weeks,
    freeCount,
    contractNotes,
    empty: rows.length === 0 ? 'noSlots' : allTaken ? 'allTaken' : null,
  };
}
