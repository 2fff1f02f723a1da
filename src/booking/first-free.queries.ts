/**
 * First free slots: one ordered read of an institution's free slots. It walks
 * slots_first_free_index (migration 029: institution_id, starts_at, doctor_id, status) in time
 * order from `after`, so the first rows are the answer and nothing is sorted; the doctor and status
 * filters are read from the index entry, and only slots that pass them are looked up in
 * slot_occupancies, live holds and closures (each a primary key or small index probe).
 */
import type { Knex } from 'knex';
import { isSqlite } from '../lib/db';
import { liveHold } from './holds.queries';
import { notClosed } from '../closures/closures.queries';

export type FreeSlotRow = {
  id: number;
  doctor_id: number;
  starts_at: string;
  ends_at: string;
  local_date: string;
};

export function freeSlotsQuery(
  db: Knex,
  a: {
    institutionId: number;
    doctorIds: number[];
    /** Keyset: slots after this (starts_at, id), in (starts_at, id) order. */
    after: { startsAt: string; id: number };
    /** Slots starting before this instant (UTC ISO). */
    before: string;
    nowIso: string;
    /** Only these local dates (the weekday filter), when given. */
    localDates?: string[] | null;
    limit: number;
  },
) {
  const q = db('slots as sl')
    .select('sl.id', 'sl.doctor_id', 'sl.starts_at', 'sl.ends_at', 'sl.local_date')
    .where('sl.institution_id', a.institutionId)
    .where('sl.starts_at', '>=', a.after.startsAt)
    .where((w) => w.where('sl.starts_at', '>', a.after.startsAt).orWhere('sl.id', '>', a.after.id))
    .where('sl.starts_at', '<', a.before)
    .where('sl.status', 'open')
    .whereNotExists(db('slot_occupancies as so').select(db.raw('1')).whereRaw('so.slot_id = sl.id'))
    .whereNotExists(
      db('hold_slots')
        .join('holds', 'holds.id', 'hold_slots.hold_id')
        .select(db.raw('1'))
        .whereRaw('hold_slots.slot_id = sl.id')
        .where(liveHold(a.nowIso)),
    )
    .where(notClosed(db, 'sl'))
    .orderBy([{ column: 'sl.starts_at' }, { column: 'sl.id' }])
    .limit(a.limit);
  // SQLite would otherwise seek each doctor in slots_calendar_index and sort all their slots of 90
  // days; the unary + keeps the doctor list a filter on the time-ordered index walk.
  if (isSqlite(db)) q.whereRaw(`+sl.doctor_id in (${a.doctorIds.map(() => '?').join(', ')})`, a.doctorIds);
  else q.whereIn('sl.doctor_id', a.doctorIds);
  // The weekday's dates likewise stay a filter (SQLite would seek them in (institution_id, local_date)
  // and sort every slot of those days).
  if (a.localDates && isSqlite(db))
    q.whereRaw(`+sl.local_date in (${a.localDates.map(() => '?').join(', ')})`, a.localDates);
  else if (a.localDates) q.whereIn('sl.local_date', a.localDates);
  return q;
}

export async function freeSlotsAfter(
  db: Knex,
  a: Parameters<typeof freeSlotsQuery>[1],
): Promise<FreeSlotRow[]> {
  if (a.doctorIds.length === 0) return [];
  return freeSlotsQuery(db, a);
}
