/**
 * Every SQL statement of institution closures: the closures themselves, the closures overlapping
 * some slots or a time range, and the standing bookings that fall on a closure.
 */
import type { Knex } from 'knex';
import { insertId } from '../lib/db';
import type { ClosureSpan } from '../lib/slot-state';

export type ClosureRow = {
  id: number;
  institution_id: number;
  date: string;
  from_time: string | null;
  to_time: string | null;
  reason: string;
  source: 'manual' | 'holiday';
  starts_at: string;
  ends_at: string;
};

const columns = [
  'id',
  'institution_id',
  'date',
  'from_time',
  'to_time',
  'reason',
  'source',
  'starts_at',
  'ends_at',
];

export async function closuresOfInstitution(
  db: Knex,
  institutionId: number,
  from: string,
  to: string,
): Promise<ClosureRow[]> {
  return db('closures')
    .select(columns)
    .where('institution_id', institutionId)
    .whereBetween('date', [from, to])
    .orderBy([{ column: 'date' }, { column: 'starts_at' }]);
}

export async function findClosure(db: Knex, id: number): Promise<ClosureRow | undefined> {
  return db('closures').select(columns).where({ id }).first();
}

export type NewClosure = Omit<ClosureRow, 'id'> & { created_by_user_id: number | null; created_at: string };

export async function insertClosure(db: Knex, row: NewClosure): Promise<number> {
  return insertId(db, 'closures', row);
}

export async function updateClosure(
  db: Knex,
  id: number,
  row: Pick<ClosureRow, 'date' | 'from_time' | 'to_time' | 'reason' | 'starts_at' | 'ends_at'>,
): Promise<void> {
  await db('closures').where({ id }).update(row);
}

export async function deleteClosure(db: Knex, id: number): Promise<void> {
  await db('closures').where({ id }).del();
}

/** Dates of this institution that already have a whole-day closure (holiday loading skips them). */
export async function wholeDayDates(db: Knex, institutionId: number, dates: string[]): Promise<Set<string>> {
  if (dates.length === 0) return new Set();
  const rows = await db('closures')
    .select('date')
    .where('institution_id', institutionId)
    .whereNull('from_time')
    .whereIn('date', dates);
  return new Set(rows.map((r) => r.date as string));
}

/** The closures of an institution overlapping [fromIso, toIso) (UTC), for marking slots in memory. */
export async function closureSpans(
  db: Knex,
  institutionId: number,
  fromIso: string,
  toIso: string,
): Promise<ClosureSpan[]> {
  return db('closures')
    .select('starts_at', 'ends_at', 'reason')
    .where('institution_id', institutionId)
    .where('starts_at', '<', toIso)
    .where('ends_at', '>', fromIso)
    .orderBy('starts_at');
}

/** The first of these slots that lies on a closure of its institution, with the closure's reason. */
export async function closedSlotAmong(
  db: Knex,
  slotIds: number[],
): Promise<{ slot_id: number; reason: string } | undefined> {
  if (slotIds.length === 0) return undefined;
  return db('slots as sl')
    .join('closures as c', function () {
      this.on('c.institution_id', '=', 'sl.institution_id')
        .andOn('c.starts_at', '<', 'sl.ends_at')
        .andOn('c.ends_at', '>', 'sl.starts_at');
    })
    .select('sl.id as slot_id', 'c.reason')
    .whereIn('sl.id', slotIds)
    .orderBy('sl.starts_at')
    .first();
}

/**
 * `NOT EXISTS` a closure of the slot's institution overlapping the slot (aliased `alias`), for
 * queries that must never offer a closed slot (First free slots).
 */
export function notClosed(db: Knex, alias = 'sl') {
  return (q: Knex.QueryBuilder) =>
    q.whereNotExists(
      db('closures as c')
        .select(db.raw('1'))
        .whereRaw(`c.institution_id = ${alias}.institution_id`)
        .whereRaw(`c.starts_at < ${alias}.ends_at`)
        .whereRaw(`c.ends_at > ${alias}.starts_at`),
    );
}

export type BookingOnClosure = {
  id: number;
  starts_at: string;
  ends_at: string;
  doctor: string;
  service: string;
  family_name: string;
  given_name: string;
  partner: string | null;
  reason: string;
};

/** Standing bookings of an institution from `fromIso` on that overlap one of its closures (to be moved). */
export async function bookingsOnClosures(
  db: Knex,
  institutionId: number,
  fromIso: string,
): Promise<BookingOnClosure[]> {
  return db('bookings as b')
    .join('closures as c', function () {
      this.on('c.institution_id', '=', 'b.institution_id')
        .andOn('c.starts_at', '<', 'b.ends_at')
        .andOn('c.ends_at', '>', 'b.starts_at');
    })
    .join('doctors as d', 'd.id', 'b.doctor_id')
    .join('services as s', 's.id', 'b.service_id')
    .join('patients as p', 'p.id', 'b.patient_id')
    .leftJoin('partners as pa', 'pa.id', 'b.partner_id')
    .select(
      'b.id',
      'b.starts_at',
      'b.ends_at',
      'd.name as doctor',
      's.name as service',
      'p.family_name',
      'p.given_name',
      'pa.name as partner',
      'c.reason',
    )
    .where({ 'b.institution_id': institutionId, 'b.status': 'booked' })
    .where('b.ends_at', '>', fromIso)
    .orderBy([{ column: 'b.starts_at' }, { column: 'b.id' }])
    .limit(500);
}

export async function institutionOptions(
  db: Knex,
): Promise<{ id: number; name: string; time_zone: string }[]> {
  return db('institutions').select('id', 'name', 'time_zone').orderBy('name');
}
