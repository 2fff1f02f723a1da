/**
 * Institution closures: entered once under Settings, applied to every schedule of the institution.
 * A slot overlapping a closure is "Closed" (lib/slot-state), the calendar and First free slots never
 * offer it, Start the reservation and Save refuse it inside their write transactions
 * (assertNotClosed), and standing bookings on a closure are listed for moving. Slots themselves
 * are not changed: deleting a closure opens its slots again.
 */
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { audit } from '../lib/audit';
import type { Clock } from '../lib/clock';
import { writeTransaction, isUniqueViolation } from '../lib/db';
import { Conflict, NotFound, Validation } from '../lib/errors';
import type { CurrentUser } from '../lib/permissions';
import * as q from './closures.queries';
import type { ClosureInput } from './closures.forms';
import { holidaysFor, type HolidayCountry } from './holidays';

export const messages = {
  closedSlot: (reason: string) =>
    `The clinic is closed at this time (${reason}). Please choose another slot.`,
  duplicate: 'This institution already has a closure starting then on that day.',
  notFound: 'This closure does not exist.',
  unknownInstitution: 'This institution does not exist.',
};

type Ctx = { actor: CurrentUser; ip?: string | null; clock: Clock };

/** The closure's UTC interval: its hours on that local day, or the whole local day, in the zone. */
export function closureInterval(
  zone: string,
  c: { date: string; from: string | null; to: string | null },
): { starts_at: string; ends_at: string } {
  const day = DateTime.fromISO(c.date, { zone }).startOf('day');
  const at = (time: string | null, fallback: DateTime) =>
    time === null
      ? fallback
      : time === '24:00'
        ? day.plus({ days: 1 })
        : DateTime.fromISO(`${c.date}T${time}`, { zone });
  const start = at(c.from, day);
  const end = at(c.to, day.plus({ days: 1 }));
  return { starts_at: start.toUTC().toISO()!, ends_at: end.toUTC().toISO()! };
}

/** Refuses (409) when any of these slots lies on a closure of its institution. Call inside the write transaction. */
export async function assertNotClosed(trx: Knex, slotIds: number[]): Promise<void> {
  const closed = await q.closedSlotAmong(trx, slotIds);
  if (closed) throw new Conflict(messages.closedSlot(closed.reason));
}

async function institutionZone(db: Knex, institutionId: number): Promise<string> {
  const inst = (await q.institutionOptions(db)).find((i) => i.id === institutionId);
  if (!inst) throw new NotFound(messages.unknownInstitution);
  return inst.time_zone;
}

const times = (input: ClosureInput) => ({
  from_time: input.from === '' ? null : input.from,
  to_time: input.to === '' ? null : input.to,
});

function refuseDuplicate(err: unknown): never {
  if (isUniqueViolation(err)) throw new Validation(messages.duplicate, { date: messages.duplicate });
  throw err;
}

export async function createClosure(
  db: Knex,
  ctx: Ctx,
  institutionId: number,
  input: ClosureInput,
): Promise<number> {
  const zone = await institutionZone(db, institutionId);
  const t = times(input);
  try {
    return await writeTransaction(db, async (trx) => {
      const id = await q.insertClosure(trx, {
        institution_id: institutionId,
        date: input.date,
        ...t,
        reason: input.reason,
        source: 'manual',
        ...closureInterval(zone, { date: input.date, from: t.from_time, to: t.to_time }),
        created_by_user_id: ctx.actor.id,
        created_at: ctx.clock.nowIso(),
      });
      await audit(trx, ctx.clock, {
        actor: ctx.actor,
        action: 'closure.created',
        entityType: 'closure',
        entityId: id,
        details: { institution_id: institutionId, date: input.date, ...t, reason: input.reason },
        ip: ctx.ip,
      });
      return id;
    });
  } catch (err) {
    return refuseDuplicate(err);
  }
}

export async function getClosure(db: Knex, id: number): Promise<q.ClosureRow> {
  const row = await q.findClosure(db, id);
  if (!row) throw new NotFound(messages.notFound);
  return row;
}

export async function editClosure(
  db: Knex,
  ctx: Ctx,
  id: number,
  input: ClosureInput,
): Promise<q.ClosureRow> {
  const before = await getClosure(db, id);
  const zone = await institutionZone(db, before.institution_id);
  const t = times(input);
  try {
    await writeTransaction(db, async (trx) => {
      await q.updateClosure(trx, id, {
        date: input.date,
        ...t,
        reason: input.reason,
        ...closureInterval(zone, { date: input.date, from: t.from_time, to: t.to_time }),
      });
      await audit(trx, ctx.clock, {
        actor: ctx.actor,
        action: 'closure.updated',
        entityType: 'closure',
        entityId: id,
        details: {
          institution_id: before.institution_id,
          before: {
            date: before.date,
            from_time: before.from_time,
            to_time: before.to_time,
            reason: before.reason,
          },
          after: { date: input.date, ...t, reason: input.reason },
        },
        ip: ctx.ip,
      });
    });
  } catch (err) {
    refuseDuplicate(err);
  }
  return before;
}

export async function removeClosure(db: Knex, ctx: Ctx, id: number): Promise<q.ClosureRow> {
  return writeTransaction(db, async (trx) => {
    const row = await q.findClosure(trx, id);
    if (!row) throw new NotFound(messages.notFound);
    await q.deleteClosure(trx, id);
    await audit(trx, ctx.clock, {
      actor: ctx.actor,
      action: 'closure.deleted',
      entityType: 'closure',
      entityId: id,
      details: {
        institution_id: row.institution_id,
        date: row.date,
        from_time: row.from_time,
        to_time: row.to_time,
        reason: row.reason,
      },
      ip: ctx.ip,
    });
    return row;
  });
}

/**
 * Loads a country's public holidays of a year as whole-day closures of the institution. Days that
 * already have a whole-day closure are left as they are (loading twice changes nothing; an edited
 * reason stays). Returns how many were added and how many were there already.
 */
export async function loadHolidays(
  db: Knex,
  ctx: Ctx,
  institutionId: number,
  country: HolidayCountry,
  year: number,
): Promise<{ added: number; skipped: number }> {
  const zone = await institutionZone(db, institutionId);
  const holidays = holidaysFor(country, year);
  return writeTransaction(db, async (trx) => {
    const have = await q.wholeDayDates(
      trx,
      institutionId,
      holidays.map((h) => h.date),
    );
    const now = ctx.clock.nowIso();
    let added = 0;
    for (const h of holidays) {
      if (have.has(h.date)) continue;
      await q.insertClosure(trx, {
        institution_id: institutionId,
        date: h.date,
        from_time: null,
        to_time: null,
        reason: h.name,
        source: 'holiday',
        ...closureInterval(zone, { date: h.date, from: null, to: null }),
        created_by_user_id: ctx.actor.id,
        created_at: now,
      });
      added++;
    }
    await audit(trx, ctx.clock, {
      actor: ctx.actor,
      action: 'closure.holidays_loaded',
      entityType: 'institution',
      entityId: institutionId,
      details: { country, year, added, skipped: holidays.length - added },
      ip: ctx.ip,
    });
    return { added, skipped: holidays.length - added };
  });
}

/** Closure spans overlapping some slots (by their UTC range), to mark them in memory. */
export async function closuresAround(
  db: Knex,
  institutionId: number,
  slots: readonly { starts_at: string; ends_at: string }[],
) {
  if (slots.length === 0) return [];
  let from = slots[0].starts_at;
  let to = slots[0].ends_at;
  for (const s of slots) {
    if (s.starts_at < from) from = s.starts_at;
    if (s.ends_at > to) to = s.ends_at;
  }
  return q.closureSpans(db, institutionId, from, to);
}
