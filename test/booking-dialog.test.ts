/** The reservation dialog as a receptionist meets it: Back after it ended, late saves, messages. */
import { makeTestApp, loginAs, type TestApp } from './helpers';
import {
  demoIds,
  freeSlotIds,
  reserve,
  save,
  type DemoIds,
  holdCardioConsult,
  bookElsewhere,
} from './booking-helpers';
import { formatLocalTime } from '../src/lib/time';

let t: TestApp;
let ids: DemoIds;
beforeEach(async () => {
  t = await makeTestApp({ demo: true });
  ids = await demoIds(t.db);
});
afterEach(() => t.db.destroy());

const amp = (s: string) => s.replace(/&/g, '&amp;');

async function expire(token: string): Promise<void> {
  await t
    .db('holds')
    .where({ token })
    .update({ expires_at: new Date(t.clock.nowMs() - 60_000).toISOString() });
}

describe('GET /reservations/:token after the reservation ended', () => {
  it('sends Back after Save to the booking\u2019s confirmation (303)', async () => {
    const u = await loginAs(t.app, 'alfa');
    const { token } = await holdCardioConsult(t.db, u, ids);
    const saved = await save(u, token, ids.janos);
    expect(saved.status).toBe(303);
    const back = await u.agent.get(`/reservations/${token}`);
    expect(back.status).toBe(303);
    expect(back.headers.location).toBe(saved.headers.location);
    const booking = await t.db('bookings').where({ idempotency_key: token }).first();
    expect(back.headers.location).toBe(`/booking/confirmation/${booking.id}`);
  });

  it('says the reservation ended after Cancel reservation, with a link to the same calendar (404, not the error page)', async () => {
    const u = await loginAs(t.app, 'alfa');
    const { token } = await holdCardioConsult(t.db, u, ids);
    expect((await u.agent.get(`/reservations/${token}`)).status).toBe(200);
    const cancelled = await u.agent
      .post(`/reservations/${token}/cancel`)
      .type('form')
      .send({ _csrf: u.csrf });
    expect(cancelled.status).toBe(303);
    const back = await u.agent.get(`/reservations/${token}`);
    expect(back.status).toBe(404);
    expect(back.text).toContain('This reservation has ended: it was saved, cancelled, or it expired.');
    expect(back.text).toContain(`href="${amp(cancelled.headers.location)}">Back to the calendar`);
    expect(back.text).not.toContain('Not found');
    expect(back.text).not.toContain('Error 404');
  });

  it('links a reservation this session never saw to the default calendar', async () => {
    const desk = await loginAs(t.app, 'desk');
    const res = await desk.agent.get(`/reservations/${'A'.repeat(43)}`);
    expect(res.status).toBe(404);
    expect(res.text).toContain('This reservation has ended');
    expect(res.text).toContain('href="/partner-booking">Back to the calendar');
  });

  it('does not lead another user to someone else\u2019s booking', async () => {
    const alfa = await loginAs(t.app, 'alfa');
    const desk = await loginAs(t.app, 'desk');
    const { token } = await holdCardioConsult(t.db, alfa, ids);
    expect((await save(alfa, token, ids.janos)).status).toBe(303);
    const res = await desk.agent.get(`/reservations/${token}`);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('/booking/confirmation/');
  });
});

describe('POST /reservations/:token/book after the hold expired', () => {
  it('still books when nobody took the slot', async () => {
    const u = await loginAs(t.app, 'alfa');
    const { slot, token } = await holdCardioConsult(t.db, u, ids);
    await expire(token);
    const res = await save(u, token, ids.janos);
    expect(res.status).toBe(303);
    const booking = await t.db('bookings').where({ idempotency_key: token }).first();
    expect(booking).toMatchObject({ patient_id: ids.janos, partner_id: ids.alfa, status: 'booked' });
    expect(res.headers.location).toBe(`/booking/confirmation/${booking.id}`);
    expect(await t.db('slot_occupancies').where({ slot_id: slot.id }).first()).toMatchObject({
      booking_id: booking.id,
    });
    expect(await t.db('holds').where({ token }).first()).toBeUndefined();
  });

  it('refuses (409) when another session held the slot meanwhile, and books nothing', async () => {
    const desk = await loginAs(t.app, 'desk');
    const alfa = await loginAs(t.app, 'alfa');
    const { slot, token } = await holdCardioConsult(t.db, desk, ids, { partner: ids.alfa });
    await expire(token);
    expect(
      (await reserve(alfa, { institution: ids.buda, service: ids.cardioConsult, slot: slot.id })).status,
    ).toBe(303);
    const res = await save(desk, token, ids.janos);
    expect(res.status).toBe(409);
    expect(res.text).toContain('Back to the calendar');
    expect(await t.db('bookings').where({ idempotency_key: token }).first()).toBeUndefined();
  });

  it('refuses (409) when the slot was booked another way meanwhile', async () => {
    const u = await loginAs(t.app, 'alfa');
    const { slot, token } = await holdCardioConsult(t.db, u, ids);
    await expire(token);
    await bookElsewhere(t.db, ids, slot.id, 'admin');
    const res = await save(u, token, ids.janos);
    expect(res.status).toBe(409);
    expect(res.text).toContain('This slot was just taken');
    expect(await t.db('bookings').where({ idempotency_key: token }).first()).toBeUndefined();
  });

  it('refuses (409) once the slot has started', async () => {
    const u = await loginAs(t.app, 'alfa');
    const { slot, token } = await holdCardioConsult(t.db, u, ids);
    await expire(token);
    // Only the start moves into the past; the doctor's other slots in between go, so the slot
    // overlaps none of them (PostgreSQL refuses overlapping slots of one doctor).
    const startsAt = new Date(t.clock.nowMs() - 1000).toISOString();
    const { doctor_id: doctorId } = await t.db('slots').where({ id: slot.id }).first();
    await t
      .db('slots')
      .where({ doctor_id: doctorId })
      .whereNot({ id: slot.id })
      .where('ends_at', '>', startsAt)
      .where('starts_at', '<', slot.starts_at)
      .whereNotExists(t.db('booking_slots').whereRaw('booking_slots.slot_id = slots.id'))
      .whereNotExists(t.db('hold_slots').whereRaw('hold_slots.slot_id = slots.id'))
      .del();
    await t.db('slots').where({ id: slot.id }).update({ starts_at: startsAt });
    const res = await save(u, token, ids.janos);
    expect(res.status).toBe(409);
    expect(res.text).toContain('This slot is in the past');
    expect(await t.db('bookings').where({ idempotency_key: token }).first()).toBeUndefined();
  });
});

describe('GET /reservations/:token (the dialog)', () => {
  it('says until when and for how long the slot is reserved', async () => {
    const u = await loginAs(t.app, 'alfa');
    const { token } = await holdCardioConsult(t.db, u, ids);
    const hold = await t.db('holds').where({ token }).first();
    const res = await u.agent.get(`/reservations/${token}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(
      `Reserved until <strong>${formatLocalTime(hold.expires_at, 'Europe/Budapest')}</strong>, 10 minutes left`,
    );
    await t
      .db('holds')
      .where({ token })
      .update({ expires_at: new Date(t.clock.nowMs() + 30_000).toISOString() });
    expect((await u.agent.get(`/reservations/${token}`)).text).toMatch(
      /Reserved until <strong>\d\d:\d\d<\/strong>, 1 minute left\. Press Save now/,
    );
  });

  it('keeps the patient step of an expired reservation and says Save still works if the slot is free', async () => {
    const u = await loginAs(t.app, 'alfa');
    const { slot, token } = await holdCardioConsult(t.db, u, ids);
    await expire(token);
    const res = await u.agent.get(`/reservations/${token}`);
    expect(res.status).toBe(200);
    expect(res.text).toMatch(
      /The reservation time ended at \d\d:\d\d\. Save will still work if nobody has taken the slot meanwhile\./,
    );
    expect(res.text).toContain('<button type="submit">Save</button>');
    expect(res.text).toContain('<label for="q">Search patient</label>');
    const search = await u.agent.get(`/reservations/${token}?q=kovacs`).set('HX-Request', 'true');
    expect(search.text).toContain(`id="patient-${ids.janos}"`);
    // The calendar already offers the slot to others again.
    const page = await u.agent.get(
      `/partner-booking?institution=${ids.buda}&service=${ids.cardioConsult}&doctor=${slot.doctor_id}&week=${slot.local_date}`,
    );
    expect(freeSlotIds(page.text)).toContain(slot.id);
  });

  it('shows the search hint, not "No patient found", after a failed Add new patient', async () => {
    const u = await loginAs(t.app, 'alfa');
    const { token } = await holdCardioConsult(t.db, u, ids);
    const res = await u.agent.post(`/reservations/${token}/patients`).type('form').send({ _csrf: u.csrf });
    expect(res.status).toBe(422);
    const results = res.text.slice(
      res.text.indexOf('<div id="patient-results"'),
      res.text.indexOf('<div id="patient-choice-error"'),
    );
    expect(results).toContain('Type at least 2 letters of the name, or the identifier.');
    expect(res.text).not.toContain('No patient found');
  });

  it('clears "Please choose a patient" when search results are swapped in', async () => {
    const u = await loginAs(t.app, 'alfa');
    const { token } = await holdCardioConsult(t.db, u, ids);
    const refused = await u.agent.post(`/reservations/${token}/book`).type('form').send({ _csrf: u.csrf });
    expect(refused.status).toBe(422);
    // Said once, beside the patient list (the place the search answer empties).
    expect(refused.text.split('Please choose a patient or add a new one.').length).toBe(2);
    expect(refused.text).toMatch(
      /<div id="patient-choice-error"><span class="field-error" id="patient_id-error">Please choose a patient or add a new one\.<\/span>/,
    );
    const search = await u.agent.get(`/reservations/${token}?q=kovacs`).set('HX-Request', 'true');
    expect(search.status).toBe(200);
    expect(search.text).toContain(`id="patient-${ids.janos}"`);
    expect(search.text).toContain('<div id="patient-choice-error" hx-swap-oob="true"></div>');
    expect(search.text).toContain('<div id="dialog-message" hx-swap-oob="true"></div>');
    expect(search.text).not.toContain('Please choose a patient');
  });
});
