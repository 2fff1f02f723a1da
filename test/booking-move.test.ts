/**
 * Moving a booking (issue 16): the same calendar, a hold, Move the booking; one transaction frees
 * the old occupancy and takes the new one, so the occupancy key decides every race; history and
 * audit keep the old time; idempotent; partner users only their own and only inside the window.
 */
import { FixedClock } from '../src/lib/clock';
import { makeTestApp, loginAs, type TestApp, type LoggedIn } from './helpers';
import { bookElsewhere, demoIds, freeSlotIds, reserve, save, tokenOf, type DemoIds } from './booking-helpers';
import { fixtures } from './fixtures';
import { bookingInvariants } from './reliability/support';
import { bookingFor, confirmMove, moveTo, moveTokenOf, otherFreeSlot, startMove } from './move-helpers';

let t: TestApp;
let ids: DemoIds;
let clock: FixedClock;
let desk: LoggedIn;

beforeEach(async () => {
  clock = new FixedClock('2027-01-18T06:00:00.000Z');
  t = await makeTestApp({ demo: true, clock });
  ids = await demoIds(t.db);
  desk = await loginAs(t.app, 'desk');
});
afterEach(async () => {
  await t.db.destroy();
});

const bookingRow = (id: number) => t.db('bookings').where({ id }).first();
const occupancy = async (bookingId: number) =>
  (await t.db('slot_occupancies').where({ booking_id: bookingId }).select('slot_id')).map((r) => r.slot_id);

describe('GET /bookings/:id/move', () => {
  it('shows the calendar of the same service with free slots and Start the reservation', async () => {
    const b = await bookingFor(t.db, ids, clock);
    const res = await desk.agent.get(`/bookings/${b.bookingId}/move`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Move the booking');
    expect(res.text).toContain('Cardiology consultation');
    expect(res.text).toContain('Start the reservation');
    expect(freeSlotIds(res.text).length).toBeGreaterThan(0);
    // The booking's own slot is not offered as free.
    expect(freeSlotIds(res.text)).not.toContain(b.slotId);
  });

  it('shows Move on the booking page of a standing booking', async () => {
    const b = await bookingFor(t.db, ids, clock);
    const page = await desk.agent.get(`/bookings/${b.bookingId}`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(new RegExp(`<a class="button" href="/bookings/${b.bookingId}/move">Move</a>`));
  });
});

describe('POST /bookings/:id/move/:token (Move the booking)', () => {
  it('moves a partner booking: new time, same partner, channel, price, commission and patient; history, audit, old slot free', async () => {
    const b = await bookingFor(t.db, ids, clock);
    const before = await bookingRow(b.bookingId);
    const target = await otherFreeSlot(t.db, ids, clock, 2);
    const reserved = await startMove(desk, b.bookingId, target.id);
    expect(reserved.status).toBe(303);
    const token = moveTokenOf(b.bookingId, reserved.headers.location);
    const confirm = await desk.agent.get(`/bookings/${b.bookingId}/move/${token}`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('>Move the booking</button>');
    const moved = await confirmMove(desk, b.bookingId, token);
    expect(moved.status).toBe(303);
    expect(moved.headers.location).toBe(`/bookings/${b.bookingId}`);

    const after = await bookingRow(b.bookingId);
    expect(after.starts_at).toBe(target.starts_at);
    expect(after.doctor_id).toBe(target.doctor_id);
    expect(after.local_date).toBe(target.local_date);
    for (const k of [
      'partner_id',
      'channel_id',
      'price_minor',
      'commission_minor',
      'patient_id',
      'status',
      'created_by_user_id',
    ])
      expect([k, after[k]]).toEqual([k, before[k]]);
    expect(await occupancy(b.bookingId)).toEqual([target.id]);
    // booking_slots names the slots as they are now; booking_moves keeps the old and new time.
    const slots = (await t.db('booking_slots').where({ booking_id: b.bookingId }).select('slot_id')).map(
      (r) => r.slot_id,
    );
    expect(slots).toEqual([target.id]);
    const moves = await t.db('booking_moves').where({ booking_id: b.bookingId });
    expect(moves).toHaveLength(1);
    expect(moves[0]).toMatchObject({
      old_starts_at: before.starts_at,
      new_starts_at: target.starts_at,
      old_slot_ids: String(b.slotId),
      new_slot_ids: String(target.id),
      idempotency_key: token,
    });
    const auditRows = await t.db('audit_log').where({ action: 'booking.moved', entity_id: b.bookingId });
    expect(auditRows).toHaveLength(1);
    const details = JSON.parse(auditRows[0].details);
    expect(details).toMatchObject({ old_starts_at: before.starts_at, new_starts_at: target.starts_at });
    expect(auditRows[0].actor_username).toBe('desk');
    // The hold is consumed, and the booking page shows the earlier time.
    expect(await t.db('holds').where({ token }).first()).toBeUndefined();
    const page = await desk.agent.get(`/bookings/${b.bookingId}`);
    expect(page.text).toContain('Earlier times');
    expect(page.text).toContain('The booking was moved.');
  });

  it('frees the old slot at once: it can be booked right after', async () => {
    const b = await bookingFor(t.db, ids, clock);
    const target = await otherFreeSlot(t.db, ids, clock, 2);
    expect((await moveTo(desk, b.bookingId, target.id)).status).toBe(303);
    const old = await t.db('slots').where({ id: b.slotId }).first();
    const res = await reserve(desk, {
      partner: ids.alfa,
      institution: ids.buda,
      service: ids.cardioConsult,
      slot: b.slotId,
      week: old.local_date,
    });
    expect(res.status).toBe(303);
    const patient = await fixtures.patient(t.db, 'Újra', 'Foglaló');
    const saved = await save(desk, tokenOf(res.headers.location), patient);
    expect(saved.status).toBe(303);
    const other = await t.db('slot_occupancies').where({ slot_id: b.slotId }).first();
    expect(other.booking_id).not.toBe(b.bookingId);
    expect(await bookingInvariants(t.db)).toEqual([]);
  });

  it('is idempotent: a repeated Move the booking changes nothing more', async () => {
    const b = await bookingFor(t.db, ids, clock);
    const target = await otherFreeSlot(t.db, ids, clock, 2);
    const reserved = await startMove(desk, b.bookingId, target.id);
    const token = moveTokenOf(b.bookingId, reserved.headers.location);
    const [first, second] = await Promise.all([
      confirmMove(desk, b.bookingId, token),
      confirmMove(desk, b.bookingId, token),
    ]);
    expect([first.status, second.status]).toEqual([303, 303]);
    const third = await confirmMove(desk, b.bookingId, token);
    expect(third.status).toBe(303);
    expect(await t.db('booking_moves').where({ booking_id: b.bookingId })).toHaveLength(1);
    expect(await t.db('audit_log').where({ action: 'booking.moved', entity_id: b.bookingId })).toHaveLength(
      1,
    );
    expect((await bookingRow(b.bookingId)).starts_at).toBe(target.starts_at);
    // The reservation page of a move already made leads back to the booking.
    const again = await desk.agent.get(`/bookings/${b.bookingId}/move/${token}`);
    expect(again.status).toBe(303);
  });

  it('refuses to move a booking cancelled meanwhile (409), nothing changed', async () => {
    const b = await bookingFor(t.db, ids, clock);
    const target = await otherFreeSlot(t.db, ids, clock, 2);
    const reserved = await startMove(desk, b.bookingId, target.id);
    const token = moveTokenOf(b.bookingId, reserved.headers.location);
    const cancel = await desk.agent
      .post(`/bookings/${b.bookingId}/cancel`)
      .type('form')
      .send({ reason: 'Patient called', _csrf: desk.csrf });
    expect(cancel.status).toBe(303);
    const res = await confirmMove(desk, b.bookingId, token);
    expect(res.status).toBe(409);
    expect(res.text).toContain('This booking has been cancelled, so it cannot be moved.');
    const row = await bookingRow(b.bookingId);
    expect(row.status).toBe('cancelled');
    expect(row.starts_at).toBe(b.startsAt);
    expect(await occupancy(b.bookingId)).toEqual([]);
    expect(await t.db('booking_moves').where({ booking_id: b.bookingId })).toHaveLength(0);
    // The calendar of a cancelled booking answers 409 too.
    expect((await desk.agent.get(`/bookings/${b.bookingId}/move`)).status).toBe(409);
  });

  it('refuses a missing slot with 422 beside the calendar, nothing held', async () => {
    const b = await bookingFor(t.db, ids, clock);
    const res = await startMove(desk, b.bookingId, undefined);
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="slot-error">Please choose a free slot from the calendar\./);
    expect(Number((await t.db('holds').count({ n: '*' }).first())!.n)).toBe(0);
  });

  it('answers 400 to a malformed slot and 404 to an unknown booking', async () => {
    const b = await bookingFor(t.db, ids, clock);
    expect((await startMove(desk, b.bookingId, 'x' as unknown as number)).status).toBe(400);
    expect((await desk.agent.get('/bookings/999999/move')).status).toBe(404);
    expect((await desk.agent.get(`/bookings/${b.bookingId}/move?week=nope`)).status).toBe(400);
  });

  it('a lost race leaves the booking where it was: the target slot booked elsewhere first (409)', async () => {
    const b = await bookingFor(t.db, ids, clock);
    const target = await otherFreeSlot(t.db, ids, clock, 2);
    const reserved = await startMove(desk, b.bookingId, target.id);
    const token = moveTokenOf(b.bookingId, reserved.headers.location);
    // Another desk books the target slot another way (no hold) before Move the booking.
    const other = await bookElsewhere(t.db, ids, target.id, 'admin', clock);
    const res = await confirmMove(desk, b.bookingId, token);
    expect(res.status).toBe(409);
    expect(res.text).toContain('This slot was just taken.');
    const row = await bookingRow(b.bookingId);
    expect(row.starts_at).toBe(b.startsAt);
    expect(row.status).toBe('booked');
    expect(await occupancy(b.bookingId)).toEqual([b.slotId]);
    expect(await occupancy(other)).toEqual([target.id]);
    expect(await t.db('booking_moves').where({ booking_id: b.bookingId })).toHaveLength(0);
  });

  it('a move racing a booking of the target slot: exactly one wins, the other is refused cleanly', async () => {
    const b = await bookingFor(t.db, ids, clock);
    const target = await otherFreeSlot(t.db, ids, clock, 2);
    const reserved = await startMove(desk, b.bookingId, target.id);
    const token = moveTokenOf(b.bookingId, reserved.headers.location);
    const [move, other] = await Promise.allSettled([
      confirmMove(desk, b.bookingId, token),
      bookElsewhere(t.db, ids, target.id, 'admin', clock),
    ]);
    expect(move.status).toBe('fulfilled');
    const moveStatus = (move as PromiseFulfilledResult<{ status: number }>).value.status;
    const otherWon = other.status === 'fulfilled';
    expect(moveStatus === 303).toBe(!otherWon);
    expect([303, 409]).toContain(moveStatus);
    if (!otherWon)
      expect((other as PromiseRejectedResult).reason).toMatchObject({
        message: expect.stringMatching(/just taken/),
      });
    const holders = await t.db('slot_occupancies').where({ slot_id: target.id });
    expect(holders).toHaveLength(1);
    const row = await bookingRow(b.bookingId);
    if (otherWon) {
      expect(row.starts_at).toBe(b.startsAt);
      expect(await occupancy(b.bookingId)).toEqual([b.slotId]);
    } else {
      expect(row.starts_at).toBe(target.starts_at);
      expect(holders[0].booking_id).toBe(b.bookingId);
    }
    expect(await bookingInvariants(t.db)).toEqual([]);
  });

  it('50 concurrent moves of 50 bookings into one slot: exactly one wins, no 5xx, the others keep their slot', async () => {
    const target = await otherFreeSlot(t.db, ids, clock, 3);
    // The target is taken by the fixtures' bookings otherwise: book 50 others elsewhere first.
    await t.db('slots').where({ id: target.id }).update({ status: 'blocked' });
    const bookings = [];
    for (let i = 0; i < 50; i++)
      bookings.push(await bookingFor(t.db, ids, clock, { partner: null, username: 'desk' }));
    await t.db('slots').where({ id: target.id }).update({ status: 'open' });
    const desks: LoggedIn[] = [];
    for (let i = 0; i < 50; i++) desks.push(await loginAs(t.app, 'desk'));
    const results = await Promise.all(bookings.map((b, i) => moveTo(desks[i], b.bookingId, target.id)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 303)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 303).every((s) => s === 409)).toBe(true);
    const holders = await t.db('slot_occupancies').where({ slot_id: target.id });
    expect(holders).toHaveLength(1);
    for (const b of bookings) {
      const occupied = await occupancy(b.bookingId);
      if (b.bookingId === holders[0].booking_id) expect(occupied).toEqual([target.id]);
      else expect(occupied).toEqual([b.slotId]);
    }
    expect(Number((await t.db('booking_moves').count({ n: '*' }).first())!.n)).toBe(1);
    expect(await bookingInvariants(t.db)).toEqual([]);
  }, 60_000);
});

describe('moving as a partner user (cancellation window)', () => {
  let alfa: LoggedIn;
  beforeEach(async () => {
    alfa = await loginAs(t.app, 'alfa');
    await t.db('partners').where({ id: ids.alfa }).update({ cancel_window_hours: 24 });
  });

  it('lets alfa move its own booking inside the window and refuses it outside (clock moved)', async () => {
    const b = await bookingFor(t.db, ids, clock, { daysAhead: 3 });
    const target = await otherFreeSlot(t.db, ids, clock, 4);
    const page = await alfa.agent.get(`/bookings/${b.bookingId}`);
    expect(page.text).toContain(`href="/bookings/${b.bookingId}/move"`);
    expect((await alfa.agent.get(`/bookings/${b.bookingId}/move`)).status).toBe(200);
    const moved = await moveTo(alfa, b.bookingId, target.id);
    expect(moved.status).toBe(303);
    expect((await bookingRow(b.bookingId)).starts_at).toBe(target.starts_at);

    // Later: less than 24 hours before the (new) appointment.
    clock.set(new Date(Date.parse(target.starts_at) - 23 * 3_600_000));
    // Days later: the idle sessions have ended, so both log in again.
    alfa = await loginAs(t.app, 'alfa');
    desk = await loginAs(t.app, 'desk');
    const later = await otherFreeSlot(t.db, ids, clock, 2);
    const calendar = await alfa.agent.get(`/bookings/${b.bookingId}/move`);
    expect(calendar.status).toBe(403);
    expect(calendar.text).toContain('The cancellation window for this booking has closed');
    const refused = await startMove(alfa, b.bookingId, later.id);
    expect(refused.status).toBe(403);
    expect((await bookingRow(b.bookingId)).starts_at).toBe(target.starts_at);
    const shown = await alfa.agent.get(`/bookings/${b.bookingId}`);
    expect(shown.text).not.toContain(`href="/bookings/${b.bookingId}/move"`);
    expect(shown.text).toContain('The cancellation window for this booking has closed');
    // The desk still may move it.
    expect((await moveTo(desk, b.bookingId, later.id)).status).toBe(303);
  });

  it('refuses Move the booking when the window closed between reservation and move (403)', async () => {
    const b = await bookingFor(t.db, ids, clock, { daysAhead: 2 });
    const target = await otherFreeSlot(t.db, ids, clock, 3);
    const reserved = await startMove(alfa, b.bookingId, target.id);
    expect(reserved.status).toBe(303);
    clock.set(new Date(Date.parse(b.startsAt) - 23 * 3_600_000));
    alfa = await loginAs(t.app, 'alfa');
    const res = await confirmMove(alfa, b.bookingId, moveTokenOf(b.bookingId, reserved.headers.location));
    expect(res.status).toBe(403);
    expect(res.text).toContain('The cancellation window for this booking has closed');
    expect((await bookingRow(b.bookingId)).starts_at).toBe(b.startsAt);
  });

  it("cannot move beta's booking (404) nor a clinic booking", async () => {
    const beta = await bookingFor(t.db, ids, clock, { partner: 'beta' });
    const clinic = await bookingFor(t.db, ids, clock, { partner: null });
    const target = await otherFreeSlot(t.db, ids, clock, 2);
    for (const id of [beta.bookingId, clinic.bookingId]) {
      expect((await alfa.agent.get(`/bookings/${id}/move`)).status).toBe(404);
      expect((await startMove(alfa, id, target.id)).status).toBe(404);
    }
    expect(Number((await t.db('holds').count({ n: '*' }).first())!.n)).toBe(0);
    expect((await bookingRow(beta.bookingId)).starts_at).toBe(beta.startsAt);
  });

  it('may not mark attendance (403) but sees it', async () => {
    const b = await bookingFor(t.db, ids, clock, { daysAhead: 0 });
    const res = await alfa.agent
      .post(`/bookings/${b.bookingId}/attendance`)
      .type('form')
      .send({ mark: 'arrived', _csrf: alfa.csrf });
    expect(res.status).toBe(403);
    expect((await bookingRow(b.bookingId)).attendance).toBeNull();
    const marked = await desk.agent
      .post(`/bookings/${b.bookingId}/attendance`)
      .type('form')
      .send({ mark: 'arrived', _csrf: desk.csrf });
    expect(marked.status).toBe(303);
    const page = await alfa.agent.get(`/bookings/${b.bookingId}`);
    expect(page.text).toContain('<span class="badge attendance-arrived">Arrived</span>');
    expect(page.text).not.toContain('/attendance');
  });
});
