import { makeTestApp, loginAs, type TestApp, type LoggedIn } from './helpers';
import {
  demoIds,
  freeSlot,
  freeSlotIds,
  insertBooking,
  reserve,
  save,
  tokenOf,
  type DemoIds,
  holdCardioConsult,
  bookElsewhere,
} from './booking-helpers';
import { AppError } from '../src/lib/errors';
import { FixedClock } from '../src/lib/clock';

let t: TestApp;
let ids: DemoIds;
beforeEach(async () => {
  // A Sunday evening in Budapest: "from tomorrow" is next week, so a request must carry its week.
  t = await makeTestApp({ demo: true, clock: new FixedClock('2027-01-17T18:00:00.000Z') });
  ids = await demoIds(t.db);
});
afterEach(() => t.db.destroy());

describe('holds', () => {
  it('blocks the slot for other sessions (409) and shows it as Held', async () => {
    const desk = await loginAs(t.app, 'desk');
    const alfa = await loginAs(t.app, 'alfa');
    const slot = await freeSlot(t.db, ids.buda, ids.cardioConsult, 1, t.clock);
    const first = await reserve(desk, {
      partner: ids.alfa,
      institution: ids.buda,
      service: ids.cardioConsult,
      slot: slot.id,
      week: slot.local_date,
    });
    expect(first.status).toBe(303);
    // The calendar form carries the week it shows (the slot's), as a browser's would.
    const second = await reserve(alfa, {
      institution: ids.buda,
      service: ids.cardioConsult,
      slot: slot.id,
      week: slot.local_date,
    });
    expect(second.status).toBe(409);
    expect(second.text).toContain('This slot was just taken');
    // The 409 comes with a fresh calendar in which the slot is no longer offered.
    expect(second.text).toContain('Start the reservation');
    expect(freeSlotIds(second.text)).not.toContain(slot.id);
    expect(await t.db('holds').count({ n: '*' }).first()).toEqual({ n: 1 });
    const page = await alfa.agent.get(
      `/partner-booking?institution=${ids.buda}&service=${ids.cardioConsult}&doctor=${slot.doctor_id}&week=${slot.local_date}`,
    );
    expect(freeSlotIds(page.text)).not.toContain(slot.id);
    expect(page.text).toMatch(/\d\d:\d\d Held/);
  });

  it('frees the slot when the hold expires; once another session holds it, the expired hold cannot be saved', async () => {
    const desk = await loginAs(t.app, 'desk');
    const alfa = await loginAs(t.app, 'alfa');
    const slot = await freeSlot(t.db, ids.buda, ids.cardioConsult, 1, t.clock);
    const deskToken = tokenOf(
      (
        await reserve(desk, {
          partner: ids.alfa,
          institution: ids.buda,
          service: ids.cardioConsult,
          slot: slot.id,
          week: slot.local_date,
        })
      ).headers.location,
    );
    await t
      .db('holds')
      .where({ token: deskToken })
      .update({ expires_at: new Date(t.clock.nowMs() - 1000).toISOString() });

    const dialog = await desk.agent.get(`/reservations/${deskToken}`);
    expect(dialog.status).toBe(200);
    expect(dialog.text).toContain('The reservation time ended at');
    expect(dialog.text).toContain('Back to the calendar');

    const page = await alfa.agent.get(
      `/partner-booking?institution=${ids.buda}&service=${ids.cardioConsult}&doctor=${slot.doctor_id}&week=${slot.local_date}`,
    );
    expect(freeSlotIds(page.text)).toContain(slot.id);
    const alfaHold = await reserve(alfa, {
      institution: ids.buda,
      service: ids.cardioConsult,
      slot: slot.id,
      week: slot.local_date,
    });
    expect(alfaHold.status).toBe(303);
    expect(await t.db('holds').where({ token: deskToken }).first()).toBeUndefined();
    const late = await save(desk, deskToken, ids.janos);
    expect(late.status).toBe(409);
    expect(late.text).toContain('it expired and its slot was reserved by someone else');
    expect(await t.db('bookings').whereIn('idempotency_key', [deskToken]).count({ n: '*' }).first()).toEqual({
      n: 0,
    });
  });
});

describe('POST /reservations/:token/book races', () => {
  it('50 sessions racing for one slot produce exactly one booking and clean 409s', async () => {
    const users: LoggedIn[] = [];
    // Five logins at a time: the login throttle lets at most 5 attempts of one user name from one
    // address be verified at once (issue 15).
    for (let i = 0; i < 50; i += 5)
      users.push(...(await Promise.all(Array.from({ length: 5 }, () => loginAs(t.app, 'desk')))));
    const slot = await freeSlot(t.db, ids.buda, ids.cardioConsult, 1, t.clock);
    const results = await Promise.all(
      users.map(async (u) => {
        const held = await reserve(u, {
          partner: ids.alfa,
          institution: ids.buda,
          service: ids.cardioConsult,
          slot: slot.id,
          week: slot.local_date,
        });
        if (held.status !== 303) return { hold: held.status, save: 0, text: held.text };
        const saved = await save(u, tokenOf(held.headers.location), ids.janos);
        return { hold: held.status, save: saved.status, text: saved.text };
      }),
    );
    const holds = results.map((r) => r.hold);
    expect(holds.filter((s) => s === 303)).toHaveLength(1);
    expect(holds.filter((s) => s === 409)).toHaveLength(49);
    expect(results.filter((r) => r.save === 303)).toHaveLength(1);
    expect(
      results.filter((r) => r.hold === 409).every((r) => r.text.includes('This slot was just taken')),
    ).toBe(true);
    expect(
      await t
        .db('bookings')
        .where({ starts_at: slot.starts_at, doctor_id: slot.doctor_id, status: 'booked' })
        .count({ n: '*' })
        .first(),
    ).toEqual({ n: 1 });
    expect(await t.db('slot_occupancies').where({ slot_id: slot.id }).count({ n: '*' }).first()).toEqual({
      n: 1,
    });
  });

  it('50 concurrent low-level inserts for one slot: the database lets exactly one through', async () => {
    const slot = await t
      .db('slots')
      .select('id', 'starts_at', 'ends_at', 'local_date')
      .where({ id: (await freeSlot(t.db, ids.buda, ids.cardioConsult, 1, t.clock)).id })
      .first();
    const s = await t.db('slots').where({ id: slot.id }).first();
    const desk = await t.db('users').where({ username: 'desk' }).first();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        insertBooking(t.db, {
          institutionId: ids.buda,
          doctorId: s.doctor_id,
          serviceId: ids.cardioConsult,
          patientId: ids.janos,
          channelId: ids.alfaChannel,
          partnerId: ids.alfa,
          createdByUserId: desk.id,
          slots: [slot],
          createdLocalDate: slot.local_date,
          priceMinor: 100,
          commissionMinor: 10,
          idempotencyKey: `race-${i}`,
        }),
      ),
    );
    const ok = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(49);
    expect(refused.every((r) => r.reason instanceof AppError && r.reason.status === 409)).toBe(true);
    expect(
      await t.db('bookings').where('idempotency_key', 'like', 'race-%').count({ n: '*' }).first(),
    ).toEqual({ n: 1 });
    expect(await t.db('booking_slots').where({ slot_id: slot.id }).count({ n: '*' }).first()).toEqual({
      n: 1,
    });
  });

  it('a repeated Save with the same token creates one booking (sequential and concurrent)', async () => {
    const u = await loginAs(t.app, 'alfa');
    const { slot, token } = await holdCardioConsult(t.db, u, ids, {}, t.clock);
    const [a, b] = await Promise.all([save(u, token, ids.janos), save(u, token, ids.janos)]);
    const c = await save(u, token, ids.janos);
    expect([a.status, b.status, c.status]).toEqual([303, 303, 303]);
    expect(new Set([a.headers.location, b.headers.location, c.headers.location]).size).toBe(1);
    expect(await t.db('bookings').where({ idempotency_key: token }).count({ n: '*' }).first()).toEqual({
      n: 1,
    });
    expect(
      await t
        .db('audit_log')
        .where({ action: 'booking.created' })
        .whereRaw('details like ?', [`%${slot.starts_at}%`])
        .count({ n: '*' })
        .first(),
    ).toEqual({ n: 1 });
  });

  it('refuses Save when the slot was booked meanwhile by another way (409, no second booking)', async () => {
    const u = await loginAs(t.app, 'alfa');
    const { slot, token } = await holdCardioConsult(t.db, u, ids, {}, t.clock);
    await bookElsewhere(t.db, ids, slot.id, 'desk', t.clock);
    const res = await save(u, token, ids.janos);
    expect(res.status).toBe(409);
    expect(res.text).toContain('This slot was just taken');
    expect(await t.db('bookings').where({ idempotency_key: token }).first()).toBeUndefined();
  });
});
