/**
 * Nothing acknowledged is ever lost: a server process under booking load is killed with SIGKILL
 * mid-load and restarted, three times. Every booking a client saw acknowledged (303 to its
 * confirmation) must be there and complete, none half-written, and PRAGMA integrity_check ok.
 */
import path from 'node:path';
import fs from 'node:fs';
import request from 'supertest';
import type { Knex } from 'knex';
import { openDb } from '../../src/lib/db';
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

let dir: string;
afterAll(async () => {
  await killAllServers();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Books its own slots one after another until stopped; returns the acknowledged booking ids. */
async function bookingClient(
  base: string,
  client: Client,
  slots: FreeSlot[],
  patientId: number,
  acked: Map<number, number>,
  stopped: () => boolean,
): Promise<void> {
  for (const slot of slots) {
    if (stopped()) return;
    try {
      const reserve = await request(base)
        .post('/reservations')
        .set('Cookie', client.cookie)
        .type('form')
        .timeout(10_000)
        .send({
          institution: slot.institutionId,
          qualification: slot.qualificationId,
          doctor: slot.doctorId,
          service: slot.serviceId,
          slot: slot.slotId,
          _csrf: client.csrf,
        })
        .redirects(0);
      if (reserve.status !== 303) continue;
      const book = await request(base)
        .post(`${reserve.headers.location}/book`)
        .set('Cookie', client.cookie)
        .type('form')
        .timeout(10_000)
        .send({ patient_id: patientId, _csrf: client.csrf })
        .redirects(0);
      const m = /^\/booking\/confirmation\/(\d+)$/.exec(book.headers.location ?? '');
      if (book.status === 303 && m) acked.set(Number(m[1]), slot.slotId);
    } catch {
      return; // the server died under us: anything not acknowledged may or may not exist
    }
  }
}

describe('SIGKILL under booking load', () => {
  it('keeps every acknowledged booking, complete, across three crashes', async () => {
    dir = tempDir('clinic-crash-');
    const file = path.join(dir, 'clinic.sqlite');
    let server = await startServer(file);
    let db: Knex = openDb(file);
    const clientCount = 12;
    const clients = await mintSessions(db, server.url, 'alfa', clientCount);
    const patientId = (await db('patients').where({ family_name: 'Müller' }).first()).id;
    const { channelId } = await channelOf(db, 'Alfa Health Insurance');
    const allSlots = await freeSlots(db, channelId, 3 * clientCount * 12);
    await db.destroy();
    expect(allSlots.length).toBeGreaterThanOrEqual(3 * clientCount * 6);

    const acked = new Map<number, number>();
    const report: string[] = [];
    for (let round = 0; round < 3; round++) {
      const slots = allSlots.slice(round * clientCount * 12, (round + 1) * clientCount * 12);
      let stop = false;
      const before = acked.size;
      const load = clients.map((c, i) =>
        bookingClient(
          server.url,
          c,
          slots.filter((_, k) => k % clientCount === i),
          patientId,
          acked,
          () => stop,
        ),
      );
      // Kill once some bookings of this round are acknowledged, while the rest are in flight.
      const deadline = Date.now() + 60_000;
      while (acked.size - before < 15 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await server.kill('SIGKILL');
      stop = true;
      await Promise.all(load);
      expect(acked.size - before).toBeGreaterThanOrEqual(15);

      // Restart on the same file (recovery happens on open) and check every acknowledgement.
      server = await startServer(file);
      db = openDb(file);
      try {
        const ids = [...acked.keys()];
        const rows = await db('bookings').whereIn('id', ids).select('id', 'status');
        const found = new Set(rows.filter((r) => r.status === 'booked').map((r) => r.id as number));
        const lost = ids.filter((id) => !found.has(id));
        expect(lost).toEqual([]);
        for (const [id, slotId] of acked) {
          expect(await db('booking_slots').where({ booking_id: id, slot_id: slotId }).first()).toBeDefined();
          expect(
            await db('slot_occupancies').where({ booking_id: id, slot_id: slotId }).first(),
          ).toBeDefined();
        }
        expect(await bookingInvariants(db)).toEqual([]);
        // The restarted server answers and sees the same data.
        expect((await request(server.url).get('/healthz')).text).toBe('ok');
        report.push(
          `crash ${round + 1}: ${acked.size - before} acknowledged this round, ${acked.size} in total, 0 lost`,
        );
      } finally {
        await db.destroy();
      }
    }
    console.log(
      `crashes survived: 3; bookings acknowledged: ${acked.size}; bookings lost: 0\n${report.join('\n')}`,
    );
  });
});
