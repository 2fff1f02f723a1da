/**
 * Day list (issue 16): one institution's bookings of a day per doctor in time order, with patient,
 * service, partner badge, booking number and status; partner users see only their own partner's.
 */
import request from 'supertest';
import { FixedClock } from '../src/lib/clock';
import { makeTestApp, loginAs, type TestApp } from './helpers';
import { fixtures } from './fixtures';
import { bookSlots, deskClinic, slotAt, type DeskClinic } from './desk-fixtures';

const clock = new FixedClock('2027-01-18T06:00:00.000Z');
let t: TestApp;
let c: DeskClinic;
let b: Record<string, number>;

beforeAll(async () => {
  t = await makeTestApp({ clock });
  c = await deskClinic(t.db);
  const at = (doctor: number, local: string) => slotAt(t.db, doctor, c.north, local);
  const patient = (family: string, given: string) => fixtures.patient(t.db, family, given);
  b = {
    birchLate: await bookSlots(t.db, clock, c, [await at(c.birch, '2027-01-20T11:00')], {
      patientId: await patient('Zöld', 'Zita'),
      partner: 'beta',
    }),
    appleLate: await bookSlots(t.db, clock, c, [await at(c.apple, '2027-01-20T10:20')], {
      patientId: await patient('Alfa', 'Aladár'),
      partner: 'alfa',
    }),
    appleEarly: await bookSlots(t.db, clock, c, [await at(c.apple, '2027-01-20T08:00')], {
      patientId: await patient('Kovács', 'Klára'),
    }),
    birchEarly: await bookSlots(
      t.db,
      clock,
      c,
      [await at(c.birch, '2027-01-20T09:00'), await at(c.birch, '2027-01-20T09:20')],
      { patientId: await patient('Béta', 'Bence'), partner: 'beta', serviceId: c.ultrasound },
    ),
    otherDay: await bookSlots(t.db, clock, c, [await at(c.apple, '2027-01-21T08:00')], {
      patientId: await patient('Másnap', 'Mária'),
    }),
  };
  await t
    .db('bookings')
    .where({ id: b.appleLate })
    .update({ status: 'cancelled', cancelled_at: clock.nowIso() });
});
afterAll(async () => {
  await t.db.destroy();
});

/** The booking numbers in page order, per doctor section. */
function sections(html: string): { doctor: string; ids: number[] }[] {
  return [...html.matchAll(/<section class="day-doctor">\s*<h2>([^<]*)<[\s\S]*?<\/section>/g)].map((m) => ({
    doctor: m[1].trim(),
    ids: [...m[0].matchAll(/href="\/bookings\/(\d+)">#/g)].map((x) => Number(x[1])),
  }));
}

describe('GET /day-list', () => {
  it('lists every booking of the day per doctor in time order with its facts', async () => {
    const desk = await loginAs(t.app, 'desk');
    const res = await desk.agent.get('/day-list').query({ institution: c.north, date: '2027-01-20' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1 class="no-print">Day list</h1>');
    expect(sections(res.text)).toEqual([
      { doctor: 'Dr. Ada Apple', ids: [b.appleEarly, b.appleLate] },
      { doctor: 'Dr. Bela Birch', ids: [b.birchEarly, b.birchLate] },
    ]);
    const birch = /<h2>Dr\. Bela Birch[\s\S]*?<\/section>/.exec(res.text)![0];
    expect(birch).toContain('09:00\u201309:40'); // the ultrasound: two slots from 09:00
    expect(res.text).toContain('Bence Béta');
    expect(res.text).toContain('Ultrasound');
    expect(res.text).toMatch(/<span class="badge partner">Partner booking<\/span> Beta Corporate Care/);
    expect(res.text).toMatch(/<tr class="cancelled">[\s\S]*?Aladár Alfa[\s\S]*?Cancelled/);
    expect(res.text).not.toContain('Mária');
  });

  it('shows one doctor when asked', async () => {
    const desk = await loginAs(t.app, 'desk');
    const res = await desk.agent
      .get('/day-list')
      .query({ institution: c.north, date: '2027-01-20', doctor: c.birch });
    expect(sections(res.text)).toEqual([{ doctor: 'Dr. Bela Birch', ids: [b.birchEarly, b.birchLate] }]);
  });

  it('gives a partner user only their own partner’s bookings', async () => {
    const alfa = await loginAs(t.app, 'alfa');
    const res = await alfa.agent.get('/day-list').query({ institution: c.north, date: '2027-01-20' });
    expect(res.status).toBe(200);
    expect(sections(res.text)).toEqual([{ doctor: 'Dr. Ada Apple', ids: [b.appleLate] }]);
    for (const foreign of ['Beta Corporate Care', 'Bence', 'Zita', 'Klára'])
      expect(res.text).not.toContain(foreign);
    const beta = await loginAs(t.app, 'beta');
    const betaPage = await beta.agent.get('/day-list').query({ institution: c.north, date: '2027-01-20' });
    expect(sections(betaPage.text)).toEqual([{ doctor: 'Dr. Bela Birch', ids: [b.birchEarly, b.birchLate] }]);
    expect(betaPage.text).not.toContain('Alfa Health Insurance</');
    expect(betaPage.text).not.toContain('Aladár');
  });

  it('answers by role: bookings_view users in, others out, institutions limited', async () => {
    const viewer = await loginAs(t.app, 'viewer');
    expect((await viewer.agent.get('/day-list')).status).toBe(200);
    expect((await request(t.app).get('/day-list')).status).toBe(302);
    await fixtures.user(t.db, 'south-desk', ['bookings_view'], null, {
      institutionIds: [c.institutions.south],
    });
    const south = await loginAs(t.app, 'south-desk');
    expect((await south.agent.get('/day-list').query({ institution: c.north })).status).toBe(403);
    const own = await south.agent.get('/day-list').query({ date: '2027-01-20' });
    expect(own.status).toBe(200);
    expect(sections(own.text)).toEqual([]);
    await fixtures.user(t.db, 'no-list', ['patients']);
    const none = await loginAs(t.app, 'no-list');
    expect((await none.agent.get('/day-list')).status).toBe(403);
    expect((await viewer.agent.get('/day-list').query({ date: '2027-02-30' })).status).toBe(400);
  });

  it('prints a page per doctor: the stylesheet breaks before every doctor but the first', async () => {
    const css = await (await loginAs(t.app, 'desk')).agent.get('/static/app.css');
    expect(css.text).toMatch(
      /@media print \{[\s\S]*size: A4[\s\S]*\.day-doctor \+ \.day-doctor \{\s*break-before: page;/,
    );
  });
});
