/**
 * What the user may choose on the booking page, and what they did choose. Each choice narrows
 * the others: a choice that no longer fits (the user changed the qualification, say) is dropped
 * quietly; an id that does not exist at all is a malformed request (400); an institution the
 * user may not act in is 403; a partner user can never choose another partner (403).
 */
import type { Knex } from 'knex';
import type { Clock } from '../lib/clock';
import { BadRequest, Forbidden } from '../lib/errors';
import {
  canUseInstitution,
  holdIsForUsersPartner,
  isPartnerUser,
  type CurrentUser,
} from '../lib/permissions';
import { mondayOf, todayIn } from '../lib/time';
import * as q from './booking.queries';

export type Mode = 'partner' | 'clinic';

export const basePaths: Record<Mode, string> = { partner: '/partner-booking', clinic: '/booking' };

export type ChoiceInput = {
  institution?: number;
  partner?: number;
  channel?: number;
  qualification?: number;
  doctor?: number;
  service?: number;
  week?: string;
  patient?: number;
};

export type Choices = {
  mode: Mode;
  basePath: string;
  /** A partner user's own partner (fixed, not choosable). */
  fixedPartner: q.Option | null;
  partners: q.PartnerOption[];
  channels: q.ChannelRow[];
  partnerId: number | null;
  /** The traffic channel bookings get: the partner's channel or the chosen clinic channel. */
  channel: q.ChannelRow | null;
  institutions: q.Option[];
  institution: q.InstitutionRow | null;
  qualifications: q.Option[];
  doctors: q.Option[];
  services: q.Option[];
  qualificationId: number | null;
  doctorId: number | null;
  serviceId: number | null;
  /** The service was asked for but is not ticked for this channel at this institution. */
  serviceNotEnabled: boolean;
  /** Offers matching every choice made (the doctors to show in the calendar). */
  matching: q.Offer[];
  durationMinutes: number | null;
  monday: string | null;
  currentMonday: string | null;
};

const messages = {
  unknownPartner: 'This partner does not exist or is not active.',
  otherPartner: 'You can only book for your own partner.',
  unknownChannel: 'This traffic channel does not exist or is not an active clinic channel.',
  unknownInstitution: 'This institution does not exist.',
  institutionForbidden: 'You may not book at this institution.',
  // One whole sentence each, so the catalogue translates it (booking.unknownQualification...).
  unknown: (what: 'qualification' | 'doctor' | 'service') =>
    ({
      qualification: 'This qualification does not exist.',
      doctor: 'This doctor does not exist.',
      service: 'This service does not exist.',
    })[what],
};

const tables = { qualification: 'qualifications', doctor: 'doctors', service: 'services' } as const;

function distinct(
  offers: q.Offer[],
  id: 'doctorId' | 'serviceId' | 'qualificationId',
  name: 'doctorName' | 'serviceName' | 'qualificationName',
): q.Option[] {
  const seen = new Map<number, string>();
  for (const o of offers) if (!seen.has(o[id])) seen.set(o[id], o[name]);
  return [...seen].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
}

export async function resolveChoices(
  db: Knex,
  user: CurrentUser,
  mode: Mode,
  input: ChoiceInput,
  clock: Clock,
): Promise<Choices> {
  const c: Choices = {
    mode,
    basePath: basePaths[mode],
    fixedPartner: null,
    partners: [],
    channels: [],
    partnerId: null,
    channel: null,
    institutions: [],
    institution: null,
    qualifications: [],
    doctors: [],
    services: [],
    qualificationId: null,
    doctorId: null,
    serviceId: null,
    serviceNotEnabled: false,
    matching: [],
    durationMinutes: null,
    monday: null,
    currentMonday: null,
  };

  // 1. Who the booking is for: partner (fixed or chosen) or clinic channel.
  let channelIds: number[] = [];
  if (mode === 'partner') {
    if (isPartnerUser(user)) {
      if (input.partner !== undefined && !holdIsForUsersPartner(user, { partner_id: input.partner }))
        throw new Forbidden(messages.otherPartner);
      c.partnerId = user.partnerId;
      c.fixedPartner = { id: user.partnerId!, name: user.partnerName ?? '' };
      c.channel = (await q.partnerChannel(db, user.partnerId!)) ?? null;
      channelIds = c.channel ? [c.channel.id] : [];
    } else {
      c.partners = await q.activePartners(db);
      if (input.partner !== undefined) {
        if (!c.partners.some((p) => p.id === input.partner))
          throw new BadRequest(messages.unknownPartner, { partner: messages.unknownPartner });
        c.partnerId = input.partner;
        c.channel = (await q.partnerChannel(db, input.partner)) ?? null;
        channelIds = c.channel ? [c.channel.id] : [];
      } else {
        channelIds = c.partners.map((p) => p.channelId);
      }
    }
  } else {
    c.channels = await q.activeClinicChannels(db);
    if (input.channel !== undefined) {
      c.channel = c.channels.find((ch) => ch.id === input.channel) ?? null;
      if (!c.channel) throw new BadRequest(messages.unknownChannel, { channel: messages.unknownChannel });
    } else {
      c.channel = c.channels.find((ch) => ch.code === 'reception') ?? c.channels[0] ?? null;
    }
    channelIds = c.channel ? [c.channel.id] : [];
  }

  // 2. Institution.
  c.institutions = await q.institutionsOffered(db, user, channelIds);
  if (input.institution !== undefined) {
    const row = await q.findInstitution(db, input.institution);
    if (!row) throw new BadRequest(messages.unknownInstitution, { institution: messages.unknownInstitution });
    if (!canUseInstitution(user, row.id)) throw new Forbidden(messages.institutionForbidden);
    if (c.institutions.some((i) => i.id === row.id)) c.institution = row;
  }

  // Ids that do not exist at all are malformed, whatever else was chosen.
  const asked = (['qualification', 'doctor', 'service'] as const).filter(
    (field) => input[field] !== undefined,
  );
  const found = await Promise.all(asked.map((field) => q.exists(db, tables[field], input[field]!)));
  const missing = asked.find((_, n) => !found[n]);
  if (missing) throw new BadRequest(messages.unknown(missing), { [missing]: messages.unknown(missing) });

  if (c.institution) {
    const zone = c.institution.time_zone;
    c.currentMonday = mondayOf(todayIn(zone, clock.now()));
    c.monday = input.week ? mondayOf(input.week) : c.currentMonday;
  }
  if (!c.institution || !c.channel) return c;

  // 3. Qualification, service, doctor: validated in this order, each against the ones before.
  const offers = await q.offersAt(db, c.institution.id, c.channel.id);
  const fits = (
    o: q.Offer,
    f: { qualification?: number | null; service?: number | null; doctor?: number | null },
  ) =>
    (f.qualification == null || o.qualificationId === f.qualification) &&
    (f.service == null || o.serviceId === f.service) &&
    (f.doctor == null || o.doctorId === f.doctor);

  if (input.qualification !== undefined && offers.some((o) => o.qualificationId === input.qualification))
    c.qualificationId = input.qualification;
  if (input.service !== undefined) {
    if (offers.some((o) => fits(o, { qualification: c.qualificationId, service: input.service }))) {
      c.serviceId = input.service;
    } else {
      // Asked for explicitly but not bookable here: say why instead of silently showing nothing,
      // unless the user simply switched to another qualification.
      const service = await q.findService(db, input.service);
      if (
        service &&
        (c.qualificationId === null || service.qualification_id === c.qualificationId) &&
        !offers.some((o) => o.serviceId === input.service)
      ) {
        c.serviceNotEnabled = true;
      }
    }
  }
  if (
    input.doctor !== undefined &&
    offers.some((o) =>
      fits(o, { qualification: c.qualificationId, service: c.serviceId, doctor: input.doctor }),
    )
  )
    c.doctorId = input.doctor;

  c.qualifications = distinct(offers, 'qualificationId', 'qualificationName');
  c.services = distinct(
    offers.filter((o) => fits(o, { qualification: c.qualificationId, doctor: c.doctorId })),
    'serviceId',
    'serviceName',
  );
  c.doctors = distinct(
    offers.filter((o) => fits(o, { qualification: c.qualificationId, service: c.serviceId })),
    'doctorId',
    'doctorName',
  );
  c.matching = offers.filter((o) =>
    fits(o, { qualification: c.qualificationId, service: c.serviceId, doctor: c.doctorId }),
  );
  if (c.serviceId !== null) c.durationMinutes = c.matching[0]?.durationMinutes ?? null;
  return c;
}

/** The query string that brings the user back to these choices (and a week). */
export function choiceQuery(c: {
  mode: Mode;
  institutionId?: number | null;
  partnerId?: number | null;
  channelId?: number | null;
  fixedPartner?: boolean;
  qualificationId?: number | null;
  doctorId?: number | null;
  serviceId?: number | null;
  week?: string | null;
  patientId?: number | null;
}): string {
  const params = new URLSearchParams();
  if (c.institutionId) params.set('institution', String(c.institutionId));
  if (c.mode === 'partner' && c.partnerId && !c.fixedPartner) params.set('partner', String(c.partnerId));
  if (c.mode === 'clinic' && c.channelId) params.set('channel', String(c.channelId));
  if (c.qualificationId) params.set('qualification', String(c.qualificationId));
  if (c.doctorId) params.set('doctor', String(c.doctorId));
  if (c.serviceId) params.set('service', String(c.serviceId));
  if (c.week) params.set('week', c.week);
  if (c.patientId) params.set('patient', String(c.patientId));
  const s = params.toString();
  return s ? `?${s}` : '';
}
