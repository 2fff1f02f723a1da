/** Shared steps for the booking tests: find things in the demo data and drive the flow. */
import type { Knex } from 'knex';
import { isUniqueViolation, writeTransaction } from '../src/lib/db';
import { Conflict } from '../src/lib/errors';
import { insertBookingRows, messages, type NewBooking } from '../src/booking/booking.service';
import type { LoggedIn } from './helpers';
import { systemClock, type Clock } from '../src/lib/clock';

export async function idOf(db: Knex, table: string, where: Record<string, unknown>): Promise<number> {
  const row = await db(table).select('id').where(where).first();
  if (!row) throw new Error(`no ${table} row for ${JSON.stringify(where)}`);
  return row.id;
}

/** Values of a <select id="..."> in the HTML, without the empty "choose" option. */
export function optionsOf(html: string, id: string): number[] {
  const m = html.match(new RegExp(`<select id="${id}"[^>]*>([\\s\\S]*?)</select>`));
  if (!m) throw new Error(`no select #${id}`);
  return [...m[1].matchAll(/<option value="(\d+)"/g)].map((x) => Number(x[1])).sort((a, b) => a - b);
}

/** Radio slot ids offered in a calendar page. */
export function freeSlotIds(html: string): number[] {
  return [...html.matchAll(/name="slot" id="s(\d+)" value="\d+"/g)].map((m) => Number(m[1]));
}

/** A future slot of a doctor offering the service at the institution, free of bookings and holds. */
export async function freeSlot(
  db: Knex,
  institutionId: number,
  serviceId: number,
  minDaysAhead = 1,
  clock: Clock = systemClock,
): Promise<{ id: number; doctor_id: number; starts_at: string; local_date: string }> {
  const from = clock.now().plus({ days: minDaysAhead }).toISO()!;
  const row = await db('slots as sl')
    .join('doctor_services as ds', function () {
      this.on('ds.doctor_id', '=', 'sl.doctor_id').andOn('ds.institution_id', '=', 'sl.institution_id');
    })
    .leftJoin('slot_occupancies as so', 'so.slot_id', 'sl.id')
    .leftJoin('hold_slots as hs', 'hs.slot_id', 'sl.id')
    .select('sl.id', 'sl.doctor_id', 'sl.starts_at', 'sl.local_date')
    .where({ 'sl.institution_id': institutionId, 'ds.service_id': serviceId, 'sl.status': 'open' })
    .where('sl.starts_at', '>', from)
    .whereNull('so.slot_id')
    .whereNull('hs.slot_id')
    .orderBy('sl.starts_at')
    .first();
  if (!row) throw new Error('no free slot');
  return row;
}

export type DemoIds = {
  buda: number;
  vienna: number;
  alfa: number;
  beta: number;
  alfaChannel: number;
  betaChannel: number;
  reception: number;
  cardioConsult: number;
  cardiacUltrasound: number;
  ecg: number;
  cardiology: number;
  janos: number;
};

export async function demoIds(db: Knex): Promise<DemoIds> {
  const alfa = await idOf(db, 'partners', { name: 'Alfa Health Insurance' });
  const beta = await idOf(db, 'partners', { name: 'Beta Corporate Care' });
  return {
    buda: await idOf(db, 'institutions', { name: 'Buda Health Centre' }),
    vienna: await idOf(db, 'institutions', { name: 'Vienna Day Clinic' }),
    alfa,
    beta,
    alfaChannel: await idOf(db, 'traffic_channels', { partner_id: alfa }),
    betaChannel: await idOf(db, 'traffic_channels', { partner_id: beta }),
    reception: await idOf(db, 'traffic_channels', { code: 'reception' }),
    cardioConsult: await idOf(db, 'services', { name: 'Cardiology consultation' }),
    cardiacUltrasound: await idOf(db, 'services', { name: 'Cardiac ultrasound' }),
    ecg: await idOf(db, 'services', { name: 'ECG' }),
    cardiology: await idOf(db, 'qualifications', { name: 'Cardiology' }),
    janos: await idOf(db, 'patients', { family_name: 'Kovács', given_name: 'János' }),
  };
}

/** POST /reservations; returns the response (303 with the token, or 409/422). */
export function reserve(u: LoggedIn, fields: Record<string, string | number>) {
  return u.agent
    .post('/reservations')
    .type('form')
    .send({ ...fields, _csrf: u.csrf });
}

export function tokenOf(location: string | undefined): string {
  const m = /^\/reservations\/([A-Za-z0-9_-]{43})$/.exec(location ?? '');
  if (!m) throw new Error(`not a reservation redirect: ${location}`);
  return m[1];
}

export function save(u: LoggedIn, token: string, patientId: number | string) {
  return u.agent
    .post(`/reservations/${token}/book`)
    .type('form')
    .send({ patient_id: patientId, _csrf: u.csrf });
}

/**
 * The low-level insert in its own transaction, for tests that race the database's constraints
 * directly (no hold, no assertBookable): a lost race is a 409, never a second booking.
 */
/** Writes a booking outside the flow; made "now" on the given clock (the test app's) unless told. */
export async function insertBooking(
  db: Knex,
  b: Omit<NewBooking, 'createdAt'> & { createdAt?: string },
  clock: Clock = systemClock,
): Promise<number> {
  try {
    return await writeTransaction(db, (trx) =>
      insertBookingRows(trx, { ...b, createdAt: b.createdAt ?? clock.nowIso() }),
    );
  } catch (err) {
    if (isUniqueViolation(err)) throw new Conflict(messages.slotTaken);
    throw err;
  }
}

/** Finds a free Cardiology consultation slot at Buda (from tomorrow) and starts the reservation on it. */
export async function holdCardioConsult(
  db: Knex,
  u: LoggedIn,
  ids: DemoIds,
  extra: Record<string, string | number> = {},
  clock: Clock = systemClock,
): Promise<{ slot: Awaited<ReturnType<typeof freeSlot>>; token: string }> {
  const slot = await freeSlot(db, ids.buda, ids.cardioConsult, 1, clock);
  // The calendar form carries the week it shows (the slot's), as a browser's would.
  const res = await reserve(u, {
    ...extra,
    institution: ids.buda,
    service: ids.cardioConsult,
    slot: slot.id,
    week: slot.local_date,
  });
  return { slot, token: tokenOf(res.headers.location) };
}

/** Books a slot outside the flow (Reception, no hold) as the given user, as another desk would meanwhile. */
export async function bookElsewhere(
  db: Knex,
  ids: DemoIds,
  slotId: number,
  username: string,
  clock: Clock = systemClock,
): Promise<number> {
  const slot = await db('slots').where({ id: slotId }).first();
  const user = await db('users').where({ username }).first();
  return insertBooking(
    db,
    {
      institutionId: slot.institution_id,
      doctorId: slot.doctor_id,
      serviceId: ids.cardioConsult,
      patientId: ids.janos,
      channelId: ids.reception,
      partnerId: null,
      createdByUserId: user.id,
      slots: [slot],
      createdLocalDate: slot.local_date,
      priceMinor: 1000,
      commissionMinor: 0,
      idempotencyKey: `other-way-${slotId}`,
    },
    clock,
  );
}
