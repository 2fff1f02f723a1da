/**
 * First free slots (issue 16): the next free starts of the chosen service across the doctors
 * offering it, soonest first, with the calendar's rules (booked, held, blocked, closed, past,
 * consecutive slots for a longer service, the partner's ticked services), and each one a POST
 * away from Start the reservation.
 */
import request from 'supertest';
import { FixedClock } from '../src/lib/clock';
import { firstFreeSlots } from '../src/booking/first-free';
import { makeTestApp, loginAs, type TestApp, type LoggedIn } from './helpers';
import { fixtures } from './fixtures';
import { reserve, tokenOf } from './booking-helpers';
import { bookSlots, deskClinic, slotAt, zone, type DeskClinic } from './desk-fixtures';

const clock = new FixedClock('2027-01-18T06:00:00.000Z'); // Monday 07:00 in Budapest
let t: TestApp;
let c: DeskClinic;
let desk: LoggedIn;
let s: Record<string, number>;

/** The offered starts as "doctor id@slot id" in page order. */
function offered(html: string): number[] {
  return [...html.matchAll(/<input type="hidden" name="slot" value="(\d+)">/g)].map((m) => Number(m[1]));
}

const page = (
  u: LoggedIn,
  q: Record<string, string | number>,
  mode: 'booking' | 'partner-booking' = 'booking',
) => u.agent.get(`/${mode}/first-free`).query(q);

beforeAll(async () => {
  t = await makeTestApp({ clock });
  c = await deskClinic(t.db);
  desk = await loginAs(t.app, 'desk');
  const at = (doctor: number, local: string) => slotAt(t.db, doctor, c.north, local);
  s = {
    applePast: await at(c.apple, '2027-01-18T07:00'), // starts now: past
    apple0900: await at(c.apple, '2027-01-18T09:00'),
    apple0920: await at(c.apple, '2027-01-18T09:20'),
    apple0940: await at(c.apple, '2027-01-18T09:40'),
    birch0800: await at(c.birch, '2027-01-18T08:00'),
    birch0820: await at(c.birch, '2027-01-18T08:20'),
    birchTue1400: await at(c.birch, '2027-01-19T14:00'),
    appleTue1500: await at(c.apple, '2027-01-19T15:00'),
    cedar0730: await at(c.cedar, '2027-01-18T07:30'), // Cedar does not offer the consultation
    apple91days: await at(c.apple, '2027-04-20T09:00'), // beyond the 90 days
  };
});
afterAll(async () => {
  await t.db.destroy();
});

const consultAtNorth = () => ({ institution: c.north, channel: c.reception, service: c.consult });

describe('GET /booking/first-free', () => {
  it('lists the free starts of the service across its doctors, soonest first, not past ones nor beyond 90 days', async () => {
    const res = await page(desk, consultAtNorth());
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>First free slots</h1>');
    expect(offered(res.text)).toEqual([
      s.birch0800,
      s.birch0820,
      s.apple0900,
      s.apple0920,
      s.apple0940,
      s.birchTue1400,
      s.appleTue1500,
    ]);
    expect(res.text).toMatch(/Dr\. Bela Birch[\s\S]*Dr\. Ada Apple/);
    expect(res.text).toContain('08:00\u201308:20');
  });

  it('filters by doctor, time of day and weekday', async () => {
    expect(offered((await page(desk, { ...consultAtNorth(), doctor: c.apple })).text)).toEqual([
      s.apple0900,
      s.apple0920,
      s.apple0940,
      s.appleTue1500,
    ]);
    expect(offered((await page(desk, { ...consultAtNorth(), from: '09:10', to: '15:00' })).text)).toEqual([
      s.apple0920,
      s.apple0940,
      s.birchTue1400,
    ]);
    expect(offered((await page(desk, { ...consultAtNorth(), weekday: 2 })).text)).toEqual([
      s.birchTue1400,
      s.appleTue1500,
    ]);
    const bad = await page(desk, { ...consultAtNorth(), from: '10:00', to: '09:00' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('The end must be after the start.');
  });

  it('answers htmx with the fragment only', async () => {
    const res = await page(desk, consultAtNorth()).set('HX-Request', 'true');
    expect(res.status).toBe(200);
    expect(res.text.trimStart()).toMatch(/^<section id="first-free"/);
    expect(res.text).not.toContain('<html');
  });

  it('sends a form submitted from the choice form (CSRF, drawn choices) to the plain address', async () => {
    const res = await page(desk, {
      ...consultAtNorth(),
      _csrf: desk.csrf,
      drawn_service: c.consult,
      slot: '',
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(
      `/booking/first-free?institution=${c.north}&channel=${c.reception}&service=${c.consult}`,
    );
  });

  it('only offers services ticked for the partner', async () => {
    const alfa = await loginAs(t.app, 'alfa');
    const ok = await page(alfa, { institution: c.north, service: c.consult }, 'partner-booking');
    expect(ok.status).toBe(200);
    expect(offered(ok.text)[0]).toBe(s.birch0800);
    const notTicked = await page(alfa, { institution: c.north, service: c.ultrasound }, 'partner-booking');
    expect(notTicked.status).toBe(200);
    expect(offered(notTicked.text)).toEqual([]);
    expect(notTicked.text).toContain(
      'This service is not enabled for your organisation at this institution.',
    );
    // Who may ask at all: the booking permission of each calendar; a viewer and a visitor may not.
    const viewer = await loginAs(t.app, 'viewer');
    expect((await page(viewer, consultAtNorth())).status).toBe(403);
    expect((await page(alfa, consultAtNorth())).status).toBe(403);
    expect((await request(t.app).get('/booking/first-free')).status).toBe(302);
    // A partner user cannot ask for another partner's list.
    const other = await page(
      alfa,
      { institution: c.north, service: c.consult, partner: c.partners.beta.partnerId },
      'partner-booking',
    );
    expect(other.status).toBe(403);
  });

  it('starts the reservation from a listed start through the calendar’s hold (POST /reservations)', async () => {
    const list = await page(desk, consultAtNorth());
    const form = /<form method="post" action="\/reservations"[\s\S]*?<\/form>/.exec(list.text)![0];
    const fields = Object.fromEntries(
      [...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]]),
    );
    expect(fields).toMatchObject({
      institution: String(c.north),
      channel: String(c.reception),
      service: String(c.consult),
      slot: String(s.birch0800),
    });
    const res = await desk.agent.post('/reservations').type('form').send(fields);
    expect(res.status).toBe(303);
    const token = tokenOf(res.headers.location);
    const hold = await t.db('holds').where({ token }).first();
    expect(hold).toMatchObject({ doctor_id: c.birch, service_id: c.consult, channel_id: c.reception });
    // Now held: the list no longer offers it.
    const after = offered((await page(desk, consultAtNorth())).text);
    expect(after).not.toContain(s.birch0800);
    expect(after[0]).toBe(s.birch0820);
    await desk.agent.post(`/reservations/${token}/cancel`).type('form').send({ _csrf: desk.csrf });
    expect(offered((await page(desk, consultAtNorth())).text)[0]).toBe(s.birch0800);
  });

  it('leaves out booked, held, blocked and closed slots', async () => {
    const patient = await fixtures.patient(t.db, 'Free', 'Finder');
    const booking = await bookSlots(t.db, clock, c, [s.apple0900], { patientId: patient });
    await t
      .db('slots')
      .where({ id: s.apple0920 })
      .update({ status: 'blocked', blocked_reason: 'Doctor ill' });
    const beta = await loginAs(t.app, 'beta');
    const held = await reserve(beta, { institution: c.north, service: c.consult, slot: s.birch0820 });
    expect(held.status).toBe(303);
    const admin = await loginAs(t.app, 'admin');
    const closed = await admin.agent.post('/settings/closures').type('form').send({
      _csrf: admin.csrf,
      institution: c.north,
      date: '2027-01-19',
      from: '13:00',
      to: '14:30',
      reason: 'Staff training',
    });
    expect(closed.status).toBe(303);
    try {
      expect(offered((await page(desk, consultAtNorth())).text)).toEqual([
        s.birch0800,
        s.apple0940,
        s.appleTue1500,
      ]);
    } finally {
      await t.db('closures').del();
      await t.db('holds').del();
      await t.db('slot_occupancies').where({ booking_id: booking }).del();
      await t.db('slots').where({ id: s.apple0920 }).update({ status: 'open', blocked_reason: null });
    }
  });

  it('offers a longer service only where enough consecutive free slots of one doctor start', async () => {
    // Ultrasound (40 min): Apple 09:00+09:20 and 09:20+09:40 are runs; 09:40 alone is too short;
    // Birch 08:00+08:20; Cedar's 07:30 has no next slot; Tuesday's single slots are too short.
    const q = { institution: c.north, channel: c.reception, service: c.ultrasound };
    expect(offered((await page(desk, q)).text)).toEqual([s.birch0800, s.apple0900, s.apple0920]);
    const patient = await fixtures.patient(t.db, 'Run', 'Breaker');
    const booking = await bookSlots(t.db, clock, c, [s.apple0920], { patientId: patient });
    try {
      expect(offered((await page(desk, q)).text)).toEqual([s.birch0800]);
    } finally {
      await t.db('slot_occupancies').where({ booking_id: booking }).del();
    }
  });
});

describe('firstFreeSlots (batched reads)', () => {
  it('decides a run that continues in the next batch, and stops at the limit', async () => {
    const base = {
      institutionId: c.north,
      zone,
      doctorIds: [c.apple, c.birch],
      nowIso: clock.nowIso(),
      today: '2027-01-18',
      filter: { doctorId: null, from: null, to: null, weekday: null },
    };
    const long = await firstFreeSlots(t.db, { ...base, durationMinutes: 40, batchSize: 1 });
    expect(long.slots.map((x) => x.slotId)).toEqual([s.birch0800, s.apple0900, s.apple0920]);
    expect(long.slots[0].endsAt).toBe('2027-01-18T07:40:00.000Z');
    const two = await firstFreeSlots(t.db, { ...base, durationMinutes: 20, batchSize: 2, limit: 2 });
    expect(two.slots.map((x) => x.slotId)).toEqual([s.birch0800, s.birch0820]);
    expect(two.rowsRead).toBe(2);
  });
});
