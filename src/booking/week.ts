/**
 * The week a calendar shows for resolved choices: the day headings, the week links and the slots
 * per doctor. One copy for the booking calendar and the Move calendar (bookings/move.routes.ts).
 */
import type { Request } from 'express';
import { addDays } from '../lib/time';
import { buildWeek, weekDays, type DoctorWeek, type SlotRow, type WeekDay } from './calendar';
import type { Choices } from './choices';
import { calendarVersion, slotRows } from './booking.queries';
import { weekCacheOf } from './week-cache';
import { weekGridHtml } from './week-grid';
import { contractCalendar } from '../contracts/contracts.service';
import { applyClosures } from '../lib/slot-state';
import { closuresAround } from '../closures/closures.service';
import { nameParts } from '../i18n/formats';
import { localizeMessage } from '../i18n';
import { mayNameReservingPartner } from '../lib/permissions';

export type WeekFrame = {
  days: readonly WeekDay[];
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

/** A drawn week: what the calendar and the Move calendar show of it. */
export type DrawnWeek = {
  weeks: DoctorWeek[];
  freeCount: number;
  contractNotes: string[];
  empty: 'noSlots' | 'allTaken' | null;
  /** The week grid's HTML (week-grid.ts), with `selectedSlot` checked. */
  gridHtml: string;
};
type Kept = Omit<DrawnWeek, 'gridHtml'> & { plainGrid: string };

/**
 * The slots of the doctors matching the choices in that week, the partner contract's notes (validity,
 * allotments left; its reserved and unavailable slots are marked on the rows), and why nothing can
 * be chosen, if so: no slots at all ('noSlots'), or every one taken ('allTaken'; slots a contract
 * takes away say so themselves: "Reserved for ...", "Not offered").
 *
 * Served from the week cache (week-cache.ts) while the institution's calendar version and the
 * clock say nothing it shows has changed: one indexed read instead of the week's queries.
 */
export async function drawWeek(
  req: Request,
  c: Pick<
    Choices,
    'institution' | 'monday' | 'matching' | 'durationMinutes' | 'partnerId' | 'channel' | 'serviceId'
  >,
  selectedSlot: number | null = null,
): Promise<DrawnWeek> {
  if (!c.institution || !c.monday || c.durationMinutes === null)
    return { weeks: [], freeCount: 0, contractNotes: [], empty: 'noSlots', gridHtml: '' };
  const db = req.ctx.db;
  const doctors = new Map<number, string>();
  // Doctors by family name in the locale's collation, each named in the locale's order.
  for (const o of req.formats.sortByFamily(c.matching, (m) => nameParts(m.doctorName)))
    doctors.set(o.doctorId, req.formats.writtenName(o.doctorName));
  const namePartners = mayNameReservingPartner(req.user!);
  const key = JSON.stringify([
    c.institution.id,
    c.institution.time_zone,
    c.monday,
    c.durationMinutes,
    c.partnerId,
    c.channel?.id ?? null,
    c.serviceId,
    req.lang,
    namePartners,
    [...doctors],
  ]);
  const cache = weekCacheOf<Kept>(db);
  // Read before the week: an entry never holds rows older than the version it is kept under.
  const version = await calendarVersion(db, c.institution.id);
  const now = req.ctx.clock.nowIso();
  const nowMs = Date.parse(now);
  const grid = (weeks: DoctorWeek[], selected: number | null) =>
    weekGridHtml({
      weeks,
      days: weekDays(c.monday!, req.lang),
      t: req.t,
      tr: (m) => localizeMessage(req.lang, m),
      selectedSlot: selected,
    });
  const kept = cache.get(key, version, nowMs) ?? (await drawAndKeep());
  const { plainGrid, ...drawn } = kept;
  // Only a chosen slot (a refused Start the reservation) needs its own grid.
  return { ...drawn, gridHtml: selectedSlot === null ? plainGrid : grid(drawn.weeks, selectedSlot) };

  async function drawAndKeep(): Promise<Kept> {
    const institution = c.institution!;
    const monday = c.monday!;
    const rows = await slotRows(db, {
      institutionId: institution.id,
      doctorIds: [...doctors.keys()],
      from: monday,
      to: addDays(monday, 6),
      nowIso: now,
    });
    // Institution closures first: a closed slot is Closed, whatever a contract would say of it.
    applyClosures(rows, await closuresAround(db, institution.id, rows));
    const contractNotes =
      c.channel && c.serviceId
        ? await contractCalendar(db, {
            ...{
              t: req.t,
              lang: req.lang,
              clock: req.ctx.clock,
              partnerId: c.partnerId,
              channelId: c.channel.id,
              namePartners,
            },
            ...{ institutionId: institution.id, serviceId: c.serviceId, zone: institution.time_zone, rows },
            ...{ from: monday, to: addDays(monday, 6) },
          })
        : [];
    const weeks = buildWeek(rows, {
      monday,
      zone: institution.time_zone,
      durationMinutes: c.durationMinutes!,
      nowIso: now,
      doctors: [...doctors].map(([id, name]) => ({ id, name })),
    });
    const freeCount = weeks.reduce((n, w) => n + w.freeCount, 0);
    const allTaken = freeCount === 0 && !rows.some((r) => r.contract);
    const value: Kept = {
      weeks,
      freeCount,
      contractNotes,
      empty: rows.length === 0 ? 'noSlots' : allTaken ? 'allTaken' : null,
      plainGrid: '',
    };
    value.plainGrid = grid(weeks, null);
    cache.set(key, version, changesByTimeAt(rows, nowMs), nowMs, value, value.plainGrid.length * 2 + 1024);
    return value;
  }
}

/**
 * The first moment after `nowMs` the week changes by time alone: a slot starts (it becomes past),
 * a live hold expires, a reserved block releases its slot. Infinity when none does.
 */
export function changesByTimeAt(rows: SlotRow[], nowMs: number): number {
  let at = Infinity;
  const consider = (ms: number) => {
    if (ms > nowMs && ms < at) at = ms;
  };
  for (const r of rows) {
    consider(Date.parse(r.starts_at));
    if (r.hold_id != null && r.hold_expires_at) consider(Date.parse(r.hold_expires_at));
    if (r.contract_release_ms != null) consider(r.contract_release_ms);
  }
  return at;
}
