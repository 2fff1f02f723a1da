/**
 * Every SQL statement of partner contracts (issue 17): validity dates of Traffic channels cells,
 * allotments and their per-period counters, reserved blocks.
 */
import type { Knex } from 'knex';
import { insertId } from '../lib/db';

// ---------------------------------------------------------------- validity

export type CellRef = { institutionId: number; channelId: number; serviceId: number };
export type Validity = { valid_from: string | null; valid_to: string | null };

const cellWhere = (c: CellRef) => ({
  institution_id: c.institutionId,
  channel_id: c.channelId,
  service_id: c.serviceId,
});

export async function validityOf(db: Knex, c: CellRef): Promise<Validity | undefined> {
  return db('channel_service_validity').select('valid_from', 'valid_to').where(cellWhere(c)).first();
}

/** Every dated cell of an institution (for the matrix). */
export function validitiesAt(
  db: Knex,
  institutionId: number,
): Promise<({ channel_id: number; service_id: number } & Validity)[]> {
  return db('channel_service_validity')
    .select('channel_id', 'service_id', 'valid_from', 'valid_to')
    .where({ institution_id: institutionId });
}

export async function cellIsTicked(db: Knex, c: CellRef): Promise<boolean> {
  return Boolean(await db('channel_services').select('service_id').where(cellWhere(c)).first());
}

export async function upsertValidity(db: Knex, c: CellRef, v: Validity, at: string): Promise<void> {
  await db('channel_service_validity')
    .insert({ ...cellWhere(c), ...v, updated_at: at })
    .onConflict(['institution_id', 'channel_id', 'service_id'])
    .merge(['valid_from', 'valid_to', 'updated_at']);
}

export async function deleteValidity(db: Knex, c: CellRef): Promise<void> {
  await db('channel_service_validity').where(cellWhere(c)).del();
}

/** The cell's names for messages and the audit log. */
export async function cellNames(
  db: Knex,
  c: CellRef,
): Promise<{ channel: string; service: string; institution: string } | undefined> {
  const [ch, s, i] = await Promise.all([
    db('traffic_channels').select('name').where({ id: c.channelId }).first(),
    db('services').select('name').where({ id: c.serviceId }).first(),
    db('institutions').select('name').where({ id: c.institutionId }).first(),
  ]);
  if (!ch || !s || !i) return undefined;
  return { channel: ch.name as string, service: s.name as string, institution: i.name as string };
}

// ---------------------------------------------------------------- allotments

export type Period = 'day' | 'week' | 'month';
export type AllotmentRow = {
  id: number;
  partner_id: number;
  institution_id: number;
  service_id: number | null;
  qualification_id: number | null;
  period: Period;
  cap: number;
};
export type AllotmentListRow = AllotmentRow & {
  partner: string;
  institution: string;
  service: string | null;
  qualification: string | null;
};

const allotmentColumns = [
  'a.id',
  'a.partner_id',
  'a.institution_id',
  'a.service_id',
  'a.qualification_id',
  'a.period',
  'a.cap',
];

export function listAllotments(db: Knex): Promise<AllotmentListRow[]> {
  return db('allotments as a')
    .join('partners as p', 'p.id', 'a.partner_id')
    .join('institutions as i', 'i.id', 'a.institution_id')
    .leftJoin('services as s', 's.id', 'a.service_id')
    .leftJoin('qualifications as q', 'q.id', 'a.qualification_id')
    .select(
      ...allotmentColumns,
      'p.name as partner',
      'i.name as institution',
      's.name as service',
      'q.name as qualification',
    )
    .orderBy(['p.name', 'i.name', 'a.id']);
}

export async function getAllotment(db: Knex, id: number): Promise<AllotmentRow | undefined> {
  return db('allotments as a').select(allotmentColumns).where('a.id', id).first();
}

export async function insertAllotment(
  db: Knex,
  row: Omit<AllotmentRow, 'id'> & { created_at: string },
): Promise<number> {
  return insertId(db, 'allotments', row);
}

/**
 * A new cap; each period's counter follows it, but never below what that period already has
 * booked (those bookings stand; the period simply takes no more).
 */
export async function updateAllotmentCap(db: Knex, id: number, cap: number): Promise<void> {
  await db('allotments').where({ id }).update({ cap });
  await db('allotment_usage')
    .where({ allotment_id: id })
    .update({ cap: db.raw('CASE WHEN used > ? THEN used ELSE ? END', [cap, cap]) });
}

export async function deleteAllotment(db: Knex, id: number): Promise<void> {
  await db('allotment_usage').where({ allotment_id: id }).del();
  await db('allotments').where({ id }).del();
}

/** The allotments a partner booking of this service here counts against (its service or its qualification). */
export function matchingAllotments(
  db: Knex,
  m: { partnerId: number; institutionId: number; serviceId: number },
): Promise<AllotmentRow[]> {
  return db('allotments as a')
    .select(allotmentColumns)
    .where({ 'a.partner_id': m.partnerId, 'a.institution_id': m.institutionId })
    .andWhere((w) =>
      w
        .where('a.service_id', m.serviceId)
        .orWhereIn('a.qualification_id', db('services').select('qualification_id').where('id', m.serviceId)),
    )
    .orderBy('a.id');
}

export type UsageRow = { allotment_id: number; period_key: string; used: number; cap: number };

export function usageRows(db: Knex, allotmentIds: number[], keys: string[]): Promise<UsageRow[]> {
  if (!allotmentIds.length || !keys.length) return Promise.resolve([]);
  return db('allotment_usage')
    .select('allotment_id', 'period_key', 'used', 'cap')
    .whereIn('allotment_id', allotmentIds)
    .whereIn('period_key', keys);
}

/** Active (not cancelled) bookings an allotment counts with appointment dates in [from, to]. */
export async function countCountedBookings(
  db: Knex,
  a: AllotmentRow,
  from: string,
  to: string,
): Promise<number> {
  const q = db('bookings as b')
    .where({ 'b.partner_id': a.partner_id, 'b.institution_id': a.institution_id })
    .whereNot('b.status', 'cancelled')
    .whereBetween('b.local_date', [from, to]);
  if (a.service_id !== null) q.where('b.service_id', a.service_id);
  else q.whereIn('b.service_id', db('services').select('id').where('qualification_id', a.qualification_id));
  const row = (await q.count({ n: '*' }).first()) as { n: number | string } | undefined;
  return Number(row?.n ?? 0);
}

/** Creates a period's counter if it has none yet (a concurrent creator wins; nothing changes then). */
export async function insertUsageIfMissing(db: Knex, row: UsageRow): Promise<void> {
  await db('allotment_usage').insert(row).onConflict(['allotment_id', 'period_key']).ignore();
}

/**
 * Takes one from a period's counter: one conditional UPDATE, so of any number of concurrent
 * takers (any process) at most `cap - used` succeed. 1 when taken, 0 when the cap is reached.
 */
export function takeOne(db: Knex, allotmentId: number, key: string): Promise<number> {
  return db('allotment_usage')
    .where({ allotment_id: allotmentId, period_key: key })
    .andWhere('used', '<', db.ref('cap'))
    .increment('used', 1);
}

/** Gives one back (a cancelled or moved booking); a period without a counter has nothing to give back. */
export function giveOne(db: Knex, allotmentId: number, key: string): Promise<number> {
  return db('allotment_usage')
    .where({ allotment_id: allotmentId, period_key: key })
    .andWhere('used', '>', 0)
    .decrement('used', 1);
}

/** What an allotment needs to know of a booking. */
export async function bookingForAllotments(
  db: Knex,
  id: number,
): Promise<
  | {
      partner_id: number | null;
      institution_id: number;
      service_id: number;
      local_date: string;
      status: string;
    }
  | undefined
> {
  return db('bookings')
    .select('partner_id', 'institution_id', 'service_id', 'local_date', 'status')
    .where({ id })
    .first();
}

export async function partnerName(db: Knex, id: number): Promise<string | undefined> {
  const row = (await db('partners').select('name').where({ id }).first()) as { name: string } | undefined;
  return row?.name;
}

// ---------------------------------------------------------------- choices for the forms

export type Choice = { id: number; name: string };

export function activePartners(db: Knex): Promise<Choice[]> {
  return db('partners').select('id', 'name').where({ active: true }).orderBy('name');
}
export function activeInstitutionChoices(db: Knex): Promise<(Choice & { time_zone: string })[]> {
  return db('institutions').select('id', 'name', 'time_zone').where({ active: true }).orderBy('name');
}
export function activeServiceChoices(db: Knex): Promise<(Choice & { qualification_id: number })[]> {
  return db('services').select('id', 'name', 'qualification_id').where({ active: true }).orderBy('name');
}
export function activeQualificationChoices(db: Knex): Promise<Choice[]> {
  return db('qualifications').select('id', 'name').where({ active: true }).orderBy('name');
}
export function activeDoctorChoices(db: Knex): Promise<Choice[]> {
  return db('doctors').select('id', 'name').where({ active: true }).orderBy('name');
}
export async function institutionZone(db: Knex, id: number): Promise<string | undefined> {
  const row = (await db('institutions').select('time_zone').where({ id }).first()) as
    { time_zone: string } | undefined;
  return row?.time_zone;
}

// ---------------------------------------------------------------- reserved blocks

export type BlockRow = {
  id: number;
  partner_id: number;
  institution_id: number;
  doctor_id: number;
  weekdays: number;
  from_time: string;
  to_time: string;
  date_from: string;
  date_to: string;
  release_value: number;
  release_unit: 'days' | 'hours';
};
export type BlockListRow = BlockRow & {
  partner: string;
  institution: string;
  doctor: string;
  time_zone: string;
};

const blockColumns = [
  'rb.id',
  'rb.partner_id',
  'rb.institution_id',
  'rb.doctor_id',
  'rb.weekdays',
  'rb.from_time',
  'rb.to_time',
  'rb.date_from',
  'rb.date_to',
  'rb.release_value',
  'rb.release_unit',
];

/** Every block (or one partner's), with names. */
export function listBlocks(db: Knex, partnerId: number | null): Promise<BlockListRow[]> {
  const q = db('reserved_blocks as rb')
    .join('partners as p', 'p.id', 'rb.partner_id')
    .join('institutions as i', 'i.id', 'rb.institution_id')
    .join('doctors as d', 'd.id', 'rb.doctor_id')
    .select(...blockColumns, 'p.name as partner', 'i.name as institution', 'd.name as doctor', 'i.time_zone')
    .orderBy(['p.name', 'rb.date_from', 'rb.id']);
  if (partnerId !== null) q.where('rb.partner_id', partnerId);
  return q;
}

export async function getBlock(db: Knex, id: number): Promise<BlockRow | undefined> {
  return db('reserved_blocks as rb').select(blockColumns).where('rb.id', id).first();
}

export async function insertBlock(
  db: Knex,
  row: Omit<BlockRow, 'id'> & { created_at: string },
): Promise<number> {
  return insertId(db, 'reserved_blocks', row);
}

export async function updateBlock(db: Knex, id: number, row: Omit<BlockRow, 'id'>): Promise<void> {
  await db('reserved_blocks').where({ id }).update(row);
}

export async function deleteBlock(db: Knex, id: number): Promise<void> {
  await db('reserved_blocks').where({ id }).del();
}

/** The blocks of these doctors here that overlap [from, to], with the partner's name. */
export function blocksFor(
  db: Knex,
  a: { institutionId: number; doctorIds: number[]; from: string; to: string },
): Promise<(BlockRow & { partner: string })[]> {
  if (!a.doctorIds.length) return Promise.resolve([]);
  return db('reserved_blocks as rb')
    .join('partners as p', 'p.id', 'rb.partner_id')
    .select(...blockColumns, 'p.name as partner')
    .where('rb.institution_id', a.institutionId)
    .whereIn('rb.doctor_id', a.doctorIds)
    .where('rb.date_from', '<=', a.to)
    .where('rb.date_to', '>=', a.from);
}

/** The slots a block spans by date (the caller keeps those on its weekdays and hours), with the partner of the booking on each. */
export function slotsInBlockRange(
  db: Knex,
  b: BlockRow,
): Promise<
  { id: number; starts_at: string; ends_at: string; local_date: string; booked_partner_id: number | null }[]
> {
  return db('slots as sl')
    .leftJoin('slot_occupancies as so', 'so.slot_id', 'sl.id')
    .leftJoin('bookings as b', 'b.id', 'so.booking_id')
    .select('sl.id', 'sl.starts_at', 'sl.ends_at', 'sl.local_date', 'b.partner_id as booked_partner_id')
    .where({ 'sl.doctor_id': b.doctor_id, 'sl.institution_id': b.institution_id })
    .whereBetween('sl.local_date', [b.date_from, b.date_to])
    .orderBy('sl.starts_at');
}
