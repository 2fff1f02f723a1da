/**
 * The calendar's one form without JavaScript: Start the reservation carries what the calendar was
 * drawn for, and a choice changed without pressing Show is refused instead of reserving the old one.
 */
import { FixedClock } from '../src/lib/clock';
import { makeTestApp, loginAs, type TestApp } from './helpers';
import { demoIds, freeSlot, freeSlotIds, reserve, tokenOf, type DemoIds } from './booking-helpers';

let t: TestApp;
let ids: DemoIds;
beforeEach(async () => {
  // A Monday at 07:00 in Budapest: this week's calendar has free slots (on a weekend it would not).
  t = await makeTestApp({ demo: true, clock: new FixedClock('2027-01-18T06:00:00.000Z') });
  ids = await demoIds(t.db);
});
afterEach(() => t.db.destroy());

describe('POST /reservations (Start the reservation)', () => {
  it('reserves when the choices are those the calendar was drawn for', async () => {
    const u = await loginAs(t.app, 'alfa');
    const slot = await freeSlot(t.db, ids.buda, ids.cardioConsult, 1, t.clock);
    const res = await reserve(u, {
      institution: ids.buda,
      service: ids.cardioConsult,
      drawn_institution: ids.buda,
      drawn_service: ids.cardioConsult,
      drawn_doctor: '',
      doctor: '',
      slot: slot.id,
    });
    expect(res.status).toBe(303);
    expect(
      await t
        .db('holds')
        .where({ token: tokenOf(res.headers.location) })
        .first(),
    ).toBeDefined();
  });

  it('refuses a service changed without pressing Show (422), reserves nothing, shows the new calendar', async () => {
    const u = await loginAs(t.app, 'alfa');
    const slot = await freeSlot(t.db, ids.buda, ids.cardioConsult, 1, t.clock);
    const res = await reserve(u, {
      institution: ids.buda,
      service: ids.cardiacUltrasound,
      drawn_institution: ids.buda,
      drawn_service: ids.cardioConsult,
      drawn_week: slot.local_date,
      slot: slot.id,
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain(
      'The choices were changed after this calendar was shown, so nothing was reserved.',
    );
    expect(res.text).toMatch(new RegExp(`<option value="${ids.cardiacUltrasound}" selected>`));
    expect(res.text).toContain(`name="drawn_service" value="${ids.cardiacUltrasound}"`);
    expect(res.text).not.toMatch(/name="slot" id="s\d+" value="\d+" required checked/);
    expect(await t.db('holds').count({ n: '*' }).first()).toEqual({ n: 0 });
  });

  it('refuses a doctor changed without pressing Show (422)', async () => {
    const u = await loginAs(t.app, 'alfa');
    const slot = await freeSlot(t.db, ids.buda, ids.cardioConsult, 1, t.clock);
    const res = await reserve(u, {
      institution: ids.buda,
      service: ids.cardioConsult,
      doctor: slot.doctor_id,
      drawn_institution: ids.buda,
      drawn_service: ids.cardioConsult,
      drawn_doctor: '',
      slot: slot.id,
    });
    expect(res.status).toBe(422);
    expect(await t.db('holds').count({ n: '*' }).first()).toEqual({ n: 0 });
  });

  it('carries the patient booked for into the dialog, chosen', async () => {
    const u = await loginAs(t.app, 'desk');
    const slot = await freeSlot(t.db, ids.buda, ids.cardioConsult, 1, t.clock);
    const res = await reserve(u, {
      partner: ids.alfa,
      institution: ids.buda,
      service: ids.cardioConsult,
      patient: ids.janos,
      slot: slot.id,
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(new RegExp(`\\?patient=${ids.janos}$`));
    const dialog = await u.agent.get(res.headers.location);
    expect(dialog.text).toMatch(
      new RegExp(`id="patient-${ids.janos}" name="patient_id" value="${ids.janos}" checked`),
    );
  });
});

describe('GET /partner-booking', () => {
  it('sends Show without JavaScript (the whole form as a GET) to the plain address, without the CSRF token', async () => {
    const u = await loginAs(t.app, 'alfa');
    const res = await u.agent.get(
      `/partner-booking?_csrf=${u.csrf}&institution=${ids.buda}&service=${ids.ecg}&drawn_institution=${ids.buda}&drawn_service=${ids.cardioConsult}&slot=5`,
    );
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/partner-booking?institution=${ids.buda}&service=${ids.ecg}`);
  });

  it('says whom it books for and keeps the patient in the week links', async () => {
    const u = await loginAs(t.app, 'desk');
    const res = await u.agent.get(
      `/partner-booking?partner=${ids.alfa}&institution=${ids.buda}&service=${ids.cardioConsult}&patient=${ids.janos}`,
    );
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/Booking for <strong>János Kovács, born/);
    expect(res.text).toContain(`name="patient" value="${ids.janos}"`);
    expect(res.text).toMatch(new RegExp(`href="[^"]*&amp;patient=${ids.janos}" hx-get=[^>]*>Next week`));
    expect(freeSlotIds(res.text).length).toBeGreaterThan(0);
  });

  it('ignores a patient the partner user may not see', async () => {
    const beta = await loginAs(t.app, 'beta');
    const res = await beta.agent.get(`/partner-booking?institution=${ids.buda}&patient=${ids.janos}`);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('Booking for');
    expect(res.text).not.toContain('János Kovács');
  });
});
