/**
 * Read queries of the booking flow. Plain functions returning plain objects; every query that
 * decides what a user may book scopes by channel (and so by partner) inside its where.
 */
import type { Knex } from 'knex';
import type { CurrentUser } from '../lib/permissions';
import type { SlotRow } from './calendar';

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

/** Restricts a query on an institution id column to the institutions the user may act in. */
function scopeInstitutions(q: Knex.QueryBuilder, user: CurrentUser, column: string): Knex.QueryBuilder {
  return user.allInstitutions ? q : q.whereIn(column, user.institutionIds as number[]);
}

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
      .leftJoin('hold_slots as hs', 'hs.slot_id', 'sl.id')
      // Expired holds are ignored everywhere: a slot with an expired hold is free.
      .leftJoin('holds as h', function () {
        this.on('h.id', '=', 'hs.hold_id').andOn('h.expires_at', '>', db.raw('?', [args.nowIso]));
      })
      .select(
        'sl.id',
        'sl.doctor_id',
        'sl.starts_at',
        'sl.ends_at',
        'sl.local_date',
        'sl.status',
        'so.booking_id',
        'h.id as hold_id',
      )
      .where('sl.institution_id', args.institutionId)
      .whereIn('sl.doctor_id', args.doctorIds)
      .whereBetween('sl.local_date', [args.from, args.to])
      .orderBy([{ column: 'sl.doctor_id' }, { column: 'sl.starts_at' }])
  );
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
  const [institution, doctor, service, channel, partner] = await Promise.all([
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
