/**
 * No double booking, ever: many sessions race for one slot through HTTP, against one app and
 * against two server processes sharing one database file; holds race with saves; a cancel races
 * with new bookings of the freed slot. The database must end with at most one active booking
 * per slot, every loser gets a clean 409, and nothing answers 500.
 */
import type http from 'node:http';
import path from 'node:path';
import fs from 'node:fs';
import request from 'supertest';
import type { Knex } from 'knex';
import { openDb } from '../../src/lib/db';
import { makeTestApp, type TestApp } from '../helpers';
import {
  bookingInvariants,
  channelOf,
  freeSlots,
  killAllServers,
  mintSessions,
  startServer,
  tempDir,
  type Client,
  type FreeSlot,
} from './support';

jest.setTimeout(180_000);

const taken = /This slot was just taken|no longer available|already booked|expired/i;

type Outcome = { status: number; step: 'reserve' | 'book'; bookingId?: number; text: string };

/** One client's attempt: Start the reservation, then Save with the patient. */
async function reserveAndBook(
  base: string,
  client: Client,
  slot: FreeSlot,
  patientId: number,
): Promise<Outcome> {
  const reserve = await request(base)
    .post('/reservations')
    .set('Cookie', client.cookie)
    .type('form')
    .send({
      institution: slot.institutionId,
      qualification: slot.qualificationId,
      doctor: slot.doctorId,
      service: slot.serviceId,
      slot: slot.slotId,
      _csrf: client.csrf,
    })
    .redirects(0);
  if (reserve.status !== 303) return { status: reserve.status, step: 'reserve', text: reserve.text };
  const book = await request(base)
    .post(`${reserve.headers.location}/book`)
    .set('Cookie', client.cookie)
    .type('form')
    .send({ patient_id: patientId, _csrf: client.csrf })
    .redirects(0);
  const m = /^\/booking\/confirmation\/(\d+)$/.exec(book.headers.location ?? '');
  return { status: book.status, step: 'book', bookingId: m ? Number(m[1]) : undefined, text: book.text };
}

async function activeBookingsOf(db: Knex, slotId: number): Promise<number> {
  const row = await db('booking_slots as bs')
    .join('bookings as b', 'b.id', 'bs.booking_id')
    .where('bs.slot_id', slotId)
    .where('b.status', 'booked')
    .count({ n: '*' })
    .first();
  return Number(row!.n);
}

function summarise(outcomes: Outcome[]) {
  const won = outcomes.filter((o) => o.status === 303 && o.step === 'book');
  const lost = outcomes.filter((o) => o.status === 409);
  const errors = outcomes.filter((o) => o.status >= 500);
  const other = outcomes.filter((o) => !won.includes(o) && !lost.includes(o));
  return { won, lost, errors, other };
}

let races = 0;
afterAll(() => console.log(`races run: ${races}`));

describe('one app, 200 sessions, one slot', () => {
  let t: TestApp;
  let server: http.Server;
  afterEach(async () => {
    await new Promise((r) => server?.close(r));
    await t.db.destroy();
  });

  it('books it exactly once; the 199 others get a clean 409 and no 500', async () => {
    t = await makeTestApp({ demo: true });
    server = t.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const { channelId } = await channelOf(t.db, 'Alfa Health Insurance');
    const [slot] = await freeSlots(t.db, channelId, 1);
    const patient = await t.db('patients').where({ family_name: 'Müller' }).first();
    const clients = await mintSessions(t.db, base, 'alfa', 200, t.config.sessionSecret);
    const bookingsBefore = Number((await t.db('bookings').count({ n: '*' }).first())!.n);

    const outcomes = await Promise.all(clients.map((c) => reserveAndBook(base, c, slot, patient.id)));
    races++;
    const { won, lost, errors, other } = summarise(outcomes);
    expect(errors).toEqual([]);
    expect(other.map((o) => `${o.step} ${o.status}`)).toEqual([]);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(199);
    for (const o of lost) expect(o.text).toMatch(taken);
    expect(await activeBookingsOf(t.db, slot.slotId)).toBe(1);
    expect(Number((await t.db('bookings').count({ n: '*' }).first())!.n)).toBe(bookingsBefore + 1);
    const booking = await t.db('bookings').where({ id: won[0].bookingId }).first();
    expect(booking.partner_id).not.toBeNull();
    expect(await bookingInvariants(t.db)).toEqual([]);
  });
});

let patientsMade = 0;
/** A new patient of Alfa's (so Alfa's users may book them), with no bookings yet. */
async function alfaPatient(db: Knex): Promise<number> {
  const alfa = await db('partners').where({ name: 'Alfa Health Insurance' }).first();
  const n = ++patientsMade;
  const [row] = await db('patients')
    .insert({
      family_name: 'Race',
      given_name: `Round${n}`,
      search_name: `race round${n}`,
      search_name_reversed: `round${n} race`,
      birth_date: '1980-01-01',
      id_type: 'passport',
      id_number: `RACE${String(n).padStart(4, '0')}`,
      registered_by_partner_id: alfa.id,
      created_at: new Date(0).toISOString(),
    })
    .returning('id');
  return typeof row === 'object' ? row.id : row;
}

describe('two server processes sharing one database file', () => {
  let dir: string;
  let db: Knex;
  let a: Awaited<ReturnType<typeof startServer>>;
  let b: Awaited<ReturnType<typeof startServer>>;
  let clients: Client[];
  let channelId: number;

  beforeAll(async () => {
    dir = tempDir('clinic-races-');
    const file = path.join(dir, 'clinic.sqlite');
    a = await startServer(file); // migrates and loads the demo clinic
    b = await startServer(file);
    db = openDb(file);
    clients = await mintSessions(db, a.url, 'alfa', 60);
    channelId = (await channelOf(db, 'Alfa Health Insurance')).channelId;
  });
  afterAll(async () => {
    await killAllServers();
    await db?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const baseOf = (i: number) => (i % 2 ? b.url : a.url);

  it('books a slot exactly once when bookings arrive through both processes at once (3 rounds)', async () => {
    const slots = await freeSlots(db, channelId, 3);
    for (const slot of slots) {
      // A patient per round: the same patient in overlapping rounds would meet the overlap warning.
      const patientId = await alfaPatient(db);
      const outcomes = await Promise.all(
        clients.map((c, i) => reserveAndBook(baseOf(i), c, slot, patientId)),
      );
      races++;
      const { won, lost, errors, other } = summarise(outcomes);
      expect(errors.map((o) => o.text.slice(0, 200))).toEqual([]);
      expect(other.map((o) => `${o.step} ${o.status}`)).toEqual([]);
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(clients.length - 1);
      expect(await activeBookingsOf(db, slot.slotId)).toBe(1);
    }
    expect(await bookingInvariants(db)).toEqual([]);
  });

  it('lets a held slot be saved by its holder while others try to take it', async () => {
    const slots = await freeSlots(db, channelId, 2);
    for (const slot of slots) {
      // A patient per round: the same patient in overlapping rounds would meet the overlap warning.
      const patientId = await alfaPatient(db);
      const [holder, ...others] = clients;
      const reserve = await request(a.url)
        .post('/reservations')
        .set('Cookie', holder.cookie)
        .type('form')
        .send({
          institution: slot.institutionId,
          qualification: slot.qualificationId,
          doctor: slot.doctorId,
          service: slot.serviceId,
          slot: slot.slotId,
          _csrf: holder.csrf,
        })
        .redirects(0);
      expect(reserve.status).toBe(303);
      const save = request(b.url)
        .post(`${reserve.headers.location}/book`)
        .set('Cookie', holder.cookie)
        .type('form')
        .send({ patient_id: patientId, _csrf: holder.csrf })
        .redirects(0);
      const [saved, ...attempts] = await Promise.all([
        save.then((r) => r),
        ...others.slice(0, 30).map((c, i) => reserveAndBook(baseOf(i), c, slot, patientId)),
      ]);
      races++;
      expect(saved.status).toBe(303);
      expect(saved.headers.location).toMatch(/^\/booking\/confirmation\/\d+$/);
      expect(attempts.filter((o) => o.status !== 409).map((o) => `${o.step} ${o.status}`)).toEqual([]);
      expect(await activeBookingsOf(db, slot.slotId)).toBe(1);
      // The hold was consumed by the save.
      expect(await db('hold_slots').where({ slot_id: slot.slotId })).toEqual([]);
    }
    expect(await bookingInvariants(db)).toEqual([]);
  });

  it('keeps at most one active booking when a cancel races with new bookings of the freed slot', async () => {
    const admin = (await mintSessions(db, a.url, 'admin', 1))[0];
    const slots = await freeSlots(db, channelId, 2);
    for (const slot of slots) {
      // A patient per round: the same patient in overlapping rounds would meet the overlap warning.
      const patientId = await alfaPatient(db);
      const first = await reserveAndBook(a.url, clients[0], slot, patientId);
      expect(first.status).toBe(303);
      // Hammer the slot from both processes while the booking is cancelled.
      let stop = false;
      const hammer = clients.slice(1, 21).map(async (c, i) => {
        const results: Outcome[] = [];
        for (let attempt = 0; attempt < 8 && !stop; attempt++) {
          const o = await reserveAndBook(baseOf(i), c, slot, patientId);
          results.push(o);
          if (o.status === 303 && o.step === 'book') break;
        }
        return results;
      });
      const cancel = await request(baseOf(1))
        .post(`/bookings/${first.bookingId}/cancel`)
        .set('Cookie', admin.cookie)
        .type('form')
        .send({ reason: 'Race test', _csrf: admin.csrf })
        .redirects(0);
      const outcomes = (await Promise.all(hammer)).flat();
      stop = true;
      races++;
      expect(cancel.status).toBe(303);
      expect((await db('bookings').where({ id: first.bookingId }).first()).status).toBe('cancelled');
      expect(outcomes.filter((o) => o.status >= 500)).toEqual([]);
      expect(
        outcomes.filter((o) => o.status !== 409 && o.status !== 303).map((o) => `${o.step} ${o.status}`),
      ).toEqual([]);
      // At most one new booking took the freed slot, and the database agrees.
      const rebooked = outcomes.filter((o) => o.status === 303 && o.step === 'book');
      expect(rebooked.length).toBeLessThanOrEqual(1);
      expect(await activeBookingsOf(db, slot.slotId)).toBe(rebooked.length);
    }
    expect(await bookingInvariants(db)).toEqual([]);
  });
});
