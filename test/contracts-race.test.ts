/**
 * An allotment holds across processes (issue 17): 100 sessions of Alfa each hold a slot counting
 * against one allotment with room for 10, then all 100 press Save at once through TWO server
 * processes on one database (a shared SQLite file; and PostgreSQL when TEST_DATABASE_URL is set).
 * Exactly 10 bookings are made, the other 90 get the clear 409, nothing answers 5xx; the counter
 * and the bookings agree; a cancel through the other process gives one back.
 */
import path from 'node:path';
import fs from 'node:fs';
import request from 'supertest';
import type { Knex } from 'knex';
import { openDb } from '../src/lib/db';
import { emptyPostgresDatabase, onPostgres } from './test-db';
import {
  bookingInvariants,
  channelOf,
  freeSlots,
  killAllServers,
  mintSessions,
  pool,
  startServer,
  tempDir,
  type Client,
  type FreeSlot,
  type ServerProcess,
} from './reliability/support';

jest.setTimeout(300_000);

const used =
  /The allotment of Alfa Health Insurance is used up: \d+ bookings in \d{4}-\d\d\. Nothing was booked/;

function reserve(base: string, client: Client, slot: FreeSlot) {
  return request(base)
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
}

function book(base: string, client: Client, location: string, patientId: number) {
  return request(base)
    .post(`${location}/book`)
    .set('Cookie', client.cookie)
    .type('form')
    .send({ patient_id: patientId, _csrf: client.csrf })
    .redirects(0);
}

let patientsMade = 0;
async function alfaPatients(db: Knex, partnerId: number, n: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = ++patientsMade;
    const [row] = await db('patients')
      .insert({
        family_name: 'Allotment',
        given_name: `Patient${k}`,
        search_name: `allotment patient${k}`,
        search_name_reversed: `patient${k} allotment`,
        birth_date: '1980-01-01',
        id_type: 'passport',
        id_number: `ALLOT${String(k).padStart(5, '0')}`,
        registered_by_partner_id: partnerId,
        created_at: new Date(0).toISOString(),
      })
      .returning('id');
    ids.push(typeof row === 'object' ? (row as { id: number }).id : (row as number));
  }
  return ids;
}

/** The largest set of Alfa's free one-slot cells counting against one (institution, qualification, month). */
async function slotsOfOneAllotment(db: Knex, channelId: number, n: number) {
  const all = await freeSlots(db, channelId, 5000);
  const groups = new Map<string, FreeSlot[]>();
  for (const s of all) {
    // The month of the appointment at the institution (the demo's zones are UTC+1 in winter; the
    // slot's own local_date decides below).
    const key = `${s.institutionId}:${s.qualificationId}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  let best: FreeSlot[] = [];
  for (const list of groups.values()) if (list.length > best.length) best = list;
  const dates = new Map<number, string>(
    (
      (await db('slots')
        .whereIn(
          'id',
          best.map((s) => s.slotId),
        )
        .select('id', 'local_date')) as { id: number; local_date: string }[]
    ).map((r) => [r.id, r.local_date]),
  );
  const byMonth = new Map<string, FreeSlot[]>();
  for (const s of best) {
    const month = dates.get(s.slotId)!.slice(0, 7);
    byMonth.set(month, [...(byMonth.get(month) ?? []), s]);
  }
  const [month, slots] = [...byMonth.entries()].sort((x, y) => y[1].length - x[1].length)[0];
  if (slots.length < n) throw new Error(`only ${slots.length} free slots in one allotment's month`);
  return {
    month,
    slots: slots.slice(0, n + 1),
    institutionId: best[0].institutionId,
    qualificationId: best[0].qualificationId,
  };
}

const engines: [string, boolean][] = [
  ['SQLite (one file, two processes)', false],
  ['PostgreSQL (two instances)', true],
];

describe.each(engines.filter(([, pg]) => !pg || onPostgres))('an allotment of 10 on %s', (_name, pg) => {
  let dir: string;
  let db: Knex;
  let a: ServerProcess;
  let b: ServerProcess;

  beforeAll(async () => {
    dir = tempDir('clinic-allotment-');
    const file = path.join(dir, 'clinic.sqlite');
    if (pg) {
      const url = await emptyPostgresDatabase();
      a = await startServer(file, { DATABASE_URL: url });
      b = await startServer(file, { DATABASE_URL: url });
      db = openDb(url, { poolMax: 4 });
    } else {
      a = await startServer(file); // migrates and loads the demo clinic
      b = await startServer(file);
      db = openDb(file);
    }
  });
  afterAll(async () => {
    await killAllServers();
    await db?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('100 concurrent Saves over two processes make exactly 10 bookings; the rest get a clear 409; a cancel frees one', async () => {
    const { partnerId, channelId } = await channelOf(db, 'Alfa Health Insurance');
    const { month, slots, institutionId, qualificationId } = await slotsOfOneAllotment(db, channelId, 100);
    const [y, m] = month.split('-').map(Number);
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    // What the month already holds (demo bookings) counts too: room for exactly 10 more.
    const existing = Number(
      (await db('bookings as bk')
        .join('services as s', 's.id', 'bk.service_id')
        .where({
          'bk.partner_id': partnerId,
          'bk.institution_id': institutionId,
          's.qualification_id': qualificationId,
        })
        .whereNot('bk.status', 'cancelled')
        .whereBetween('bk.local_date', [`${month}-01`, `${month}-${String(last).padStart(2, '0')}`])
        .count({ n: '*' })
        .first())!.n,
    );
    const cap = existing + 10;
    await db('allotments').insert({
      partner_id: partnerId,
      institution_id: institutionId,
      qualification_id: qualificationId,
      period: 'month',
      cap,
      created_at: new Date().toISOString(),
    });

    const clients = await mintSessions(db, a.url, 'alfa', 101);
    const patients = await alfaPatients(db, partnerId, 101);
    const baseOf = (i: number) => (i % 2 ? b.url : a.url);

    // Every session holds its slot first (the allotment still has room, so every hold is placed)...
    const holds = await pool(slots.slice(0, 100), 20, (slot, i) => reserve(baseOf(i), clients[i], slot));
    expect(holds.map((r) => r.status).filter((s) => s !== 303)).toEqual([]);

    // ...then all 100 press Save at the same moment, half through each process.
    const started = performance.now();
    const saves = await Promise.all(
      holds.map((r, i) => book(baseOf(i), clients[i], r.headers.location as string, patients[i])),
    );
    const ms = Math.round(performance.now() - started);
    const statuses = saves.map((r) => r.status);
    const won = saves.filter((r) => r.status === 303);
    const lost = saves.filter((r) => r.status === 409);
    console.log(
      `${_name}: 100 concurrent Saves in ${ms} ms: ${won.length} booked, ${lost.length} refused (409)`,
    );
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(won).toHaveLength(10);
    expect(lost).toHaveLength(90);
    for (const r of lost) expect(r.text).toMatch(used);

    const booked = (await db('bookings')
      .whereIn('patient_id', patients)
      .where({ status: 'booked' })
      .pluck('id')) as number[];
    expect(booked).toHaveLength(10);
    const counter = await db('allotment_usage').select('period_key', 'used', 'cap');
    expect(counter.map((c) => ({ ...c, used: Number(c.used), cap: Number(c.cap) }))).toEqual([
      { period_key: month, used: cap, cap },
    ]);
    expect(await bookingInvariants(db)).toEqual([]);

    // A cancel through the other process gives one back; the 101st session then books.
    const cancelledBy = clients[1];
    const bookingOf = (await db('bookings').whereIn('id', booked).first('id')) as { id: number };
    const cancel = await request(b.url)
      .post(`/bookings/${bookingOf.id}/cancel`)
      .set('Cookie', cancelledBy.cookie)
      .type('form')
      .send({ reason: 'The patient called', _csrf: cancelledBy.csrf })
      .redirects(0);
    expect(cancel.status).toBe(303);
    expect(Number((await db('allotment_usage').first('used'))!.used)).toBe(cap - 1);
    const extra = await reserve(a.url, clients[100], slots[100]);
    expect(extra.status).toBe(303);
    const extraBook = await book(a.url, clients[100], extra.headers.location as string, patients[100]);
    expect(extraBook.status).toBe(303);
    expect(Number((await db('allotment_usage').first('used'))!.used)).toBe(cap);
  });
});
