/**
 * Read queries of the booking flow. Plain functions returning plain objects; every query that
 * decides what a user may book scopes by channel (and so by partner) inside its where.
 */
import type { Knex } from 'knex';
import { allOf } from '../lib/db.queries';
import type { CurrentUser } from '../lib/permissions';
import { insertId } from '../lib/db';
import { scopeInstitutions } from '../lib/scope.queries';
import type { SlotRow } from './calendar';
import { liveHold, liveHoldSlots } from './holds.queries';

/** One bookable combination: this doctor offers this service here, and the channel has it ticked. */
export type Offer = {
  doctorId: number;
  doctorName: string;
  serviceId: number;
  serviceName: string;
  qualificationId: number;
  qualificationName: string;
  durationMinutes: number;
};

export type Option = { id: number; name: string };
export type InstitutionRow = { id: number; name: string; time_zone: string; active: number | boolean };
export type ChannelRow = {
  id: number;
  name: string;
  kind: 'clinic' | 'partner';
  partner_id: number | null;
  code: string;
};
export type PartnerRow = {
  id: number;
  name: string;
  commission_type: 'percent' | 'fixed';
  commission_value: number;
};

/** The ticked, active channel x service x doctor combinations at one institution. */
export async function offersAt(db: Knex, institutionId: number, channelId: number): Promise<Offer[]> {
  const rows = await db('channel_services as cs')
    .join('traffic_channels as ch', 'ch.id', 'cs.channel_id')
    .join('services as s', 's.id', 'cs.service_id')
    .join('qualifications as q', 'q.id', 's.qualification_id')
    .join('doctor_services as ds', function () {
      this.on('ds.service_id', '=', 'cs.service_id').andOn('ds.institution_id', '=', 'cs.institution_id');
    })
    .join('doctors as d', 'd.id', 'ds.doctor_id')
    .leftJoin('partners as p', 'p.id', 'ch.partner_id')
    .select(
      'd.id as doctorId',
      'd.name as doctorName',
      's.id as serviceId',
      's.name as serviceName',
      'q.id as qualificationId',
      'q.name as qualificationName',
      's.duration_minutes as durationMinutes',
    )
    .where({
      'cs.institution_id': institutionId,
      'cs.channel_id': channelId,
      'ch.active': true,
      's.active': true,
      'q.active': true,
      'd.active': true,
    })
    .where((w) => w.whereNull('ch.partner_id').orWhere('p.active', true))
    .orderBy([{ column: 'q.name' }, { column: 's.name' }, { column: 'd.name' }]);
  return rows as Offer[];
}

/** Active institutions the user may act in where at least one of the channels can book something. */
export async function institutionsOffered(
  db: Knex,
  user: CurrentUser,
  channelIds: number[],
): Promise<Option[]> {
  if (channelIds.length === 0) return [];
  const q = db('institutions as i')
    .select('i.id', 'i.name')
    .where('i.active', true)
    .whereExists(function () {
      this.select(db.raw('1'))
        .from('channel_services as cs')
        .join('services as s', 's.id', 'cs.service_id')
        .join('doctor_services as ds', function () {
          this.on('ds.service_id', '=', 'cs.service_id').andOn('ds.institution_id', '=', 'cs.institution_id');
        })
        .join('doctors as d', 'd.id', 'ds.doctor_id')
        .whereRaw('cs.institution_id = i.id')
        .whereIn('cs.channel_id', channelIds)
        .where({ 's.active': true, 'd.active': true });
    })
    .orderBy('i.name');
  return scopeInstitutions(q, user, 'i.id');
}

export async function findInstitution(db: Knex, id: number): Promise<InstitutionRow | undefined> {
  return db('institutions').select('id', 'name', 'time_zone', 'active').where({ id }).first();
}

export type PartnerOption = Option & { channelId: number };

/** Active partners with their active channel (what clinic staff may book for). */
export async function activePartners(db: Knex): Promise<PartnerOption[]> {
  return db('partners as p')
    .join('traffic_channels as ch', 'ch.partner_id', 'p.id')
    .select('p.id', 'p.name', 'ch.id as channelId')
    .where({ 'p.active': true, 'ch.kind': 'partner', 'ch.active': true })
    .orderBy('p.name');
}

/** The channel of an active partner (undefined if the partner or its channel is inactive). */
export async function partnerChannel(
  db: Knex,
  partnerId: number,
): Promise<(ChannelRow & { partner_name: string }) | undefined> {
  return db('traffic_channels as ch')
    .join('partners as p', 'p.id', 'ch.partner_id')
    .select('ch.id', 'ch.name', 'ch.kind', 'ch.partner_id', 'ch.code', 'p.name as partner_name')
    .where({ 'ch.partner_id': partnerId, 'ch.kind': 'partner', 'ch.active': true, 'p.active': true })
    .first();
}

export async function activeClinicChannels(db: Knex): Promise<ChannelRow[]> {
  return db('traffic_channels')
    .select('id', 'name', 'kind', 'partner_id', 'code')
    .where({ kind: 'clinic', active: true })
    .orderBy(['sort_order', 'name']);
}

export async function findChannel(db: Knex, id: number): Promise<ChannelRow | undefined> {
  return db('traffic_channels').select('id', 'name', 'kind', 'partner_id', 'code').where({ id }).first();
}

export async function exists(
  db: Knex,
  table: 'qualifications' | 'doctors' | 'services' | 'partners' | 'institutions',
  id: number,
): Promise<boolean> {
  return !!(await db(table).select('id').where({ id }).first());
}

export async function findService(
  db: Knex,
  id: number,
): Promise<
  | {
      id: number;
      name: string;
      qualification_id: number;
      duration_minutes: number;
      price_minor: number;
      active: number | boolean;
    }
  | undefined
> {
  return db('services')
    .select('id', 'name', 'qualification_id', 'duration_minutes', 'price_minor', 'active')
    .where({ id })
    .first();
}

/** Slots of some doctors at one institution for local dates from..to, with live occupancy and hold. */
export async function slotRows(
  db: Knex,
  args: { institutionId: number; doctorIds: number[]; from: string; to: string; nowIso: string },
): Promise<SlotRow[]> {
  if (args.doctorIds.length === 0) return [];
  return (
    db('slots as sl')
      .leftJoin('slot_occupancies as so', 'so.slot_id', 'sl.id')
      // Expired holds are ignored everywhere: a slot with an expired hold is free.
      .leftJoin(liveHoldSlots(db, args.nowIso).as('lh'), 'lh.slot_id', 'sl.id')
      .select(
        'sl.id',
        'sl.doctor_id',
        'sl.starts_at',
        'sl.ends_at',
        'sl.local_date',
        'sl.status',
        'so.booking_id',
        'lh.hold_id',
        'lh.hold_expires_at',
      )
      // The doctors offering the service here (the caller's list), each one range of
      // slots_calendar_index (migration 018) in this order: local_date follows starts_at.
      .whereIn('sl.doctor_id', args.doctorIds)
      .where('sl.institution_id', args.institutionId)
      .whereBetween('sl.local_date', [args.from, args.to])
      .orderBy([{ column: 'sl.doctor_id' }, { column: 'sl.local_date' }, { column: 'sl.starts_at' }])
  );
}

/** The institution's calendar version (migration 041): moves with every change its calendar shows. */
export async function calendarVersion(db: Knex, institutionId: number): Promise<number> {
  const row = await db('calendar_versions').where({ institution_id: institutionId }).first('version');
  return Number(row?.version ?? 0);
}

export type HoldRow = {
  id: number;
  token: string;
  user_id: number;
  session_id: string;
  partner_id: number | null;
  channel_id: number;
  institution_id: number;
  doctor_id: number;
  service_id: number;
  expires_at: string;
  created_at: string;
};

const holdColumns = [
  'id',
  'token',
  'user_id',
  'session_id',
  'partner_id',
  'channel_id',
  'institution_id',
  'doctor_id',
  'service_id',
  'expires_at',
  'created_at',
];

/** A hold, only if it belongs to this session and user (anyone else gets nothing: 404). */
export async function findOwnHold(
  db: Knex,
  token: string,
  sessionId: string,
  userId: number,
): Promise<HoldRow | undefined> {
  return db('holds').select(holdColumns).where({ token, session_id: sessionId, user_id: userId }).first();
}

export async function holdSlots(
  db: Knex,
  holdId: number,
): Promise<
  {
    id: number;
    doctor_id: number;
    institution_id: number;
    starts_at: string;
    ends_at: string;
    local_date: string;
    status: string;
  }[]
> {
  return db('hold_slots as hs')
    .join('slots as sl', 'sl.id', 'hs.slot_id')
    .select(
      'sl.id',
      'sl.doctor_id',
      'sl.institution_id',
      'sl.starts_at',
      'sl.ends_at',
      'sl.local_date',
      'sl.status',
    )
    .where('hs.hold_id', holdId)
    .orderBy('sl.starts_at');
}

/** What "back to the calendar" needs of a hold besides its own columns: the qualification and the week. */
export async function holdCalendarFacts(
  db: Knex,
  hold: { id: number; service_id: number },
): Promise<{ qualificationId: number | null; week: string | null }> {
  const row = await db('services as s')
    .leftJoin('hold_slots as hs', (j) => j.on('hs.hold_id', '=', db.raw('?', [hold.id])))
    .leftJoin('slots as sl', 'sl.id', 'hs.slot_id')
    .select('s.qualification_id', 'sl.local_date')
    .where('s.id', hold.service_id)
    .orderBy('sl.starts_at')
    .first();
  return { qualificationId: row?.qualification_id ?? null, week: row?.local_date ?? null };
}

/** Names for a summary (hold or booking). */
export async function summaryNames(
  db: Knex,
  ids: {
    institutionId: number;
    doctorId: number;
    serviceId: number;
    channelId: number;
    partnerId: number | null;
  },
) {
  const [institution, doctor, service, channel, partner] = await allOf(db, [
    db('institutions').select('name', 'time_zone').where({ id: ids.institutionId }).first(),
    db('doctors').select('name').where({ id: ids.doctorId }).first(),
    db('services')
      .select('name', 'qualification_id', 'duration_minutes', 'price_minor')
      .where({ id: ids.serviceId })
      .first(),
    db('traffic_channels').select('name', 'kind').where({ id: ids.channelId }).first(),
    ids.partnerId
      ? db('partners').select('name').where({ id: ids.partnerId }).first()
      : Promise.resolve(null),
  ]);
  return {
    institution: institution.name as string,
    zone: institution.time_zone as string,
    doctor: doctor.name as string,
    service: service.name as string,
    qualificationId: service.qualification_id as number,
    channel: channel.name as string,
    partner: (partner?.name as string | undefined) ?? null,
  };
}

// ---- Writing a hold and a booking (called by booking.service inside its writeTransaction)

/** Is this service ticked for this channel at this institution? */
export async function isTicked(
  db: Knex,
  t: { institutionId: number; channelId: number; serviceId: number },
): Promise<boolean> {
  const row = await db('channel_services')
    .select('service_id')
    .where({ institution_id: t.institutionId, channel_id: t.channelId, service_id: t.serviceId })
    .first();
  return !!row;
}

/** Price and length of a service this doctor offers here, if service, qualification, doctor and institution are active. */
export async function activeOffer(
  db: Knex,
  t: { institutionId: number; doctorId: number; serviceId: number },
): Promise<{ duration_minutes: number; price_minor: number; time_zone: string } | undefined> {
  return db('services as s')
    .join('qualifications as q', 'q.id', 's.qualification_id')
    .join('doctor_services as ds', 'ds.service_id', 's.id')
    .join('doctors as d', 'd.id', 'ds.doctor_id')
    .join('institutions as i', 'i.id', 'ds.institution_id')
    .select('s.duration_minutes', 's.price_minor', 'i.time_zone')
    .where({
      's.id': t.serviceId,
      'd.id': t.doctorId,
      'i.id': t.institutionId,
      's.active': true,
      'q.active': true,
      'd.active': true,
      'i.active': true,
    })
    .first();
}

/** Is the channel active, and (for a partner channel) this active partner's; a clinic channel has none? */
export async function isActiveChannel(
  db: Knex,
  t: { channelId: number; partnerId: number | null },
): Promise<boolean> {
  const row = await db('traffic_channels as ch')
    .leftJoin('partners as p', 'p.id', 'ch.partner_id')
    .select('ch.id')
    .where({ 'ch.id': t.channelId, 'ch.active': true })
    .where((w) =>
      t.partnerId
        ? w.where({ 'ch.partner_id': t.partnerId, 'p.active': true })
        : w.whereNull('ch.partner_id'),
    )
    .first();
  return !!row;
}

/** A slot at this institution. */
export async function slotAt(
  db: Knex,
  slotId: number,
  institutionId: number,
): Promise<{ id: number; doctor_id: number; starts_at: string } | undefined> {
  return db('slots')
    .select('id', 'doctor_id', 'starts_at')
    .where({ id: slotId, institution_id: institutionId })
    .first();
}

/**
 * The doctor's slots here starting from `startsAt` and before the service would end (every slot
 * of the run a service needs starts in that window), for finding that run.
 */
export async function slotsFrom(
  db: Knex,
  a: { doctorId: number; institutionId: number; startsAt: string; durationMinutes: number },
): Promise<{ id: number; starts_at: string; ends_at: string; status: string }[]> {
  const end = new Date(Date.parse(a.startsAt) + a.durationMinutes * 60_000).toISOString();
  return db('slots')
    .select('id', 'starts_at', 'ends_at', 'status')
    .where({ doctor_id: a.doctorId, institution_id: a.institutionId })
    .where('starts_at', '>=', a.startsAt)
    .where('starts_at', '<', end)
    .orderBy('starts_at')
    .limit(100);
}

/** Deletes the expired holds (not liveHold) on these slots. */
export async function deleteExpiredHoldsOn(db: Knex, slotIds: number[], now: string): Promise<void> {
  await db('holds')
    .whereNot(liveHold(now))
    .whereIn('id', db('hold_slots').select('hold_id').whereIn('slot_id', slotIds))
    .del();
}

/** Deletes holds that were not live any more at `before` (housekeeping). */
export async function deleteHoldsExpiredBy(db: Knex, before: string): Promise<void> {
  await db('holds').whereNot(liveHold(before)).del();
}

export async function deleteSessionHolds(db: Knex, sessionId: string): Promise<void> {
  await db('holds').where({ session_id: sessionId }).del();
}

/** "Reserve the same slot again": the hold lasts until `expiresAt` from now on. */
export async function extendHold(db: Knex, holdId: number, expiresAt: string): Promise<void> {
  await db('holds').where({ id: holdId }).update({ expires_at: expiresAt });
}

export async function deleteHold(db: Knex, holdId: number): Promise<void> {
  await db('holds').where({ id: holdId }).del();
}

/**
 * Is the slot booked, or held live by another session? A cheap read before queueing for the write
 * lock (PostgreSQL: one writer at a time across instances), so the losers of a race for one slot
 * are told at once; the checks inside the transaction still decide.
 */
export async function slotTakenByOthers(
  db: Knex,
  slotId: number,
  sessionId: string,
  now: string,
  exceptBookingId?: number,
): Promise<boolean> {
  const booked = await otherOccupancy(db, exceptBookingId).where({ slot_id: slotId }).first();
  if (booked) return true;
  const held = await db('hold_slots')
    .join('holds', 'holds.id', 'hold_slots.hold_id')
    .where('hold_slots.slot_id', slotId)
    .where(liveHold(now))
    .whereNot('holds.session_id', sessionId)
    .first('hold_slots.slot_id');
  return !!held;
}

/** Does any of these slots carry an active booking (other than the one being moved, if given)? */
export async function anyOccupied(db: Knex, slotIds: number[], exceptBookingId?: number): Promise<boolean> {
  return !!(await otherOccupancy(db, exceptBookingId).whereIn('slot_id', slotIds).first());
}

/** Occupancy rows, leaving out a booking's own (a move onto slots it already occupies). */
function otherOccupancy(db: Knex, exceptBookingId?: number) {
  const rows = db('slot_occupancies').select('slot_id');
  return exceptBookingId === undefined ? rows : rows.whereNot('booking_id', exceptBookingId);
}

export async function insertHold(db: Knex, row: Omit<HoldRow, 'id'>, slotIds: number[]): Promise<number> {
  const holdId = await insertId(db, 'holds', row);
  // hold_slots' primary key on slot_id is what decides a race between two sessions.
  await db('hold_slots').insert(slotIds.map((slot_id) => ({ slot_id, hold_id: holdId })));
  return holdId;
}

export type BookingRow = {
  institution_id: number;
  doctor_id: number;
  service_id: number;
  patient_id: number;
  channel_id: number;
  partner_id: number | null;
  created_by_user_id: number;
  starts_at: string;
  ends_at: string;
  local_date: string;
  created_local_date: string;
  price_minor: number;
  commission_minor: number;
  status: 'booked';
  idempotency_key: string;
  created_at: string;
  /** The partner's reference number (partners/references), null when none was quoted. */
  reference?: string | null;
};

/** A booking with its history rows and slot occupancies (whose primary key refuses a double booking). */
export async function insertBooking(db: Knex, row: BookingRow, slotIds: number[]): Promise<number> {
  const bookingId = await insertId(db, 'bookings', row);
  await db('booking_slots').insert(slotIds.map((slot_id) => ({ booking_id: bookingId, slot_id })));
  await db('slot_occupancies').insert(slotIds.map((slot_id) => ({ slot_id, booking_id: bookingId })));
  return bookingId;
}

/** The booking this user saved with this idempotency key (a hold's token). */
export async function bookingIdByKey(db: Knex, key: string, userId: number): Promise<number | null> {
  const row = await db('bookings')
    .select('id')
    .where({ idempotency_key: key, created_by_user_id: userId })
    .first();
  return row ? (row.id as number) : null;
}

export async function partnerCommission(
  db: Knex,
  partnerId: number,
): Promise<{ commission_type: string; commission_value: number } | undefined> {
  return db('partners').select('commission_type', 'commission_value').where({ id: partnerId }).first();
}

export type OverlapRow = {
  id: number;
  starts_at: string;
  ends_at: string;
  doctor: string;
  time_zone: string;
};

/** The patient's standing bookings (any doctor, any institution) overlapping [startsAt, endsAt). */
export async function overlappingBookings(
  db: Knex,
  patientId: number,
  startsAt: string,
  endsAt: string,
): Promise<OverlapRow[]> {
  return db('bookings as b')
    .join('doctors as d', 'd.id', 'b.doctor_id')
    .join('institutions as i', 'i.id', 'b.institution_id')
    .select('b.id', 'b.starts_at', 'b.ends_at', 'd.name as doctor', 'i.time_zone')
    .where({ 'b.patient_id': patientId, 'b.status': 'booked' })
    .andWhere('b.starts_at', '<', endsAt)
    .andWhere('b.ends_at', '>', startsAt)
    .orderBy('b.starts_at')
    .limit(5);
}
