/**
 * First free slots (GET, works without JavaScript; with htmx the same partial is the fragment):
 * the choices of the booking form plus optional doctor, time of day and weekday. Each start
 * listed is one POST away from Start the reservation (POST /reservations, the calendar's own fields),
 * so the hold, its re-checks and its races are the calendar's.
 */
import type { Request, Response } from 'express';
import { z } from 'zod';
import { guardedRouter } from '../lib/router';
import { isPartnerUser } from '../lib/permissions';
import { renderPageOrFragment } from '../lib/render';
import { todayIn } from '../lib/time';
import { firstOrEmpty, parseOr400 } from '../lib/validate';
import { isClockTime } from '../schedules/slot-times';
import { choiceSchema } from './booking.forms';
import { basePaths, choiceQuery, resolveChoices, type Mode } from './choices';
import { firstFreeSlots, horizonDays } from './first-free';

export const messages = {
  title: 'First free slots',
  chooseInstitution: 'Please choose the institution.',
  choosePartner: 'Please choose the partner.',
  pickService: 'Choose a service to see its free slots.',
  notEnabledPartner:
    'This service is not enabled for this partner at this institution. Check the partner\u2019s column under the Traffic channels menu.',
  notEnabledClinic:
    'This service is not enabled for this channel at this institution. Check the channel\u2019s column under the Traffic channels menu.',
  notEnabledForPartnerUser:
    'This service is not enabled for your organisation at this institution. Please contact the clinic.',
  none: 'No free slot in the next 90 days matches these choices.',
  time: 'Enter a time as HH:MM, like 08:00.',
  order: 'The end must be after the start.',
};

const time = z.preprocess(
  firstOrEmpty,
  z
    .string()
    .transform((s) => s.trim())
    .refine((s) => s === '' || isClockTime(s, { allowMidnightEnd: true }), messages.time),
);
const firstFreeSchema = choiceSchema.extend({
  from: time,
  to: time,
  weekday: z.preprocess(
    (v) => (firstOrEmpty(v) === '' ? undefined : firstOrEmpty(v)),
    z.coerce.number().int().min(1).max(7).optional(),
  ),
});

/** Sent along when the choice form's First free slots button submits the whole form (no JS). */
const postOnly = ['_csrf', 'slot'];

async function showFirstFree(req: Request, res: Response, mode: Mode) {
  if (Object.keys(req.query).some((k) => postOnly.includes(k) || k.startsWith('drawn_'))) {
    const clean = new URLSearchParams();
    for (const [k, v] of Object.entries(req.query))
      if (!postOnly.includes(k) && !k.startsWith('drawn_') && typeof v === 'string' && v !== '')
        clean.set(k, v);
    const qs = clean.toString();
    return res.redirect(303, `${basePaths[mode]}/first-free${qs ? `?${qs}` : ''}`);
  }
  const input = parseOr400(firstFreeSchema, req.query);
  const errors: Record<string, string> = {};
  if (input.from && input.to && input.from >= input.to) errors.to = messages.order;
  // The doctor is a filter of this list, not a narrowing of the service choice.
  const c = await resolveChoices(req.ctx.db, req.user!, mode, { ...input, doctor: undefined }, req.ctx.clock);
  const doctorId = input.doctor && c.matching.some((o) => o.doctorId === input.doctor) ? input.doctor : null;
  const filter = {
    doctorId,
    from: errors.to ? null : input.from || null,
    to: errors.to ? null : input.to || null,
    weekday: input.weekday ?? null,
  };
  let reason: string | null = null;
  let slots: {
    slotId: number;
    doctorName: string;
    date: string;
    weekday: string;
    time: string;
    week: string;
  }[] = [];
  if (mode === 'partner' && !c.channel) reason = messages.choosePartner;
  else if (!c.institution || !c.channel) reason = messages.chooseInstitution;
  else if (c.serviceNotEnabled)
    reason = isPartnerUser(req.user!)
      ? messages.notEnabledForPartnerUser
      : mode === 'partner'
        ? messages.notEnabledPartner
        : messages.notEnabledClinic;
  else if (c.serviceId === null || c.durationMinutes === null) reason = messages.pickService;
  else {
    const zone = c.institution.time_zone;
    const names = new Map(c.matching.map((o) => [o.doctorId, o.doctorName]));
    const found = await firstFreeSlots(req.ctx.db, {
      institutionId: c.institution.id,
      zone,
      doctorIds: [...names.keys()],
      durationMinutes: c.durationMinutes,
      nowIso: req.ctx.clock.nowIso(),
      today: todayIn(zone, req.ctx.clock.now()),
      filter,
      // The partner contracts of this channel, as the calendar and Save apply them.
      contracts: {
        clock: req.ctx.clock,
        partnerId: c.partnerId,
        channelId: c.channel.id,
        serviceId: c.serviceId,
      },
    });
    slots = found.slots.map((s) => ({
      slotId: s.slotId,
      doctorName: names.get(s.doctorId) ?? '',
      date: req.formats.formatDate(s.startsAt, zone),
      weekday: req.formats.weekday(s.localDate),
      time: `${req.formats.formatTime(s.startsAt, zone)}\u2013${req.formats.formatTime(s.endsAt, zone)}`,
      week: s.localDate,
    }));
    if (slots.length === 0) reason = messages.none;
  }
  if (errors.to) res.status(422);
  const calendarUrl =
    c.basePath +
    choiceQuery({
      mode,
      institutionId: c.institution?.id,
      partnerId: c.partnerId,
      channelId: c.channel?.id,
      fixedPartner: !!c.fixedPartner,
      qualificationId: c.qualificationId,
      doctorId,
      serviceId: c.serviceId,
      patientId: input.patient ?? null,
    });
  renderPageOrFragment(req, res, 'booking/first-free', 'booking/_first-free', {
    title: messages.title,
    c,
    slots,
    reason,
    errors,
    horizonDays,
    filter: { doctor: doctorId, from: input.from ?? '', to: input.to ?? '', weekday: input.weekday ?? null },
    patientId: input.patient ?? null,
    calendarUrl,
  });
}

export function firstFreeRoutes() {
  const r = guardedRouter();
  r.get(`${basePaths.partner}/first-free`, 'partner_booking', (req, res) =>
    showFirstFree(req, res, 'partner'),
  );
  r.get(`${basePaths.clinic}/first-free`, 'booking', (req, res) => showFirstFree(req, res, 'clinic'));
  return r;
}
