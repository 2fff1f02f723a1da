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

describe('Day list: status, reference and Arrived from the list', () => {
  const today = '2027-01-18';
  let d: Record<string, number>;
  const listUrl = () => `/day-list?institution=${c.north}&date=${today}`;
  /** The table row of a booking. */
  const rowOf = (html: string, id: number) =>
    new RegExp(`<tr[^>]*>(?:(?!</tr>)[\\s\\S])*?href="/bookings/${id}">#(?:(?!</tr>)[\\s\\S])*</tr>`).exec(
      html,
    )?.[0] ?? '';

  beforeAll(async () => {
    const at = (doctor: number, local: string) => slotAt(t.db, doctor, c.north, local);
    const patient = (family: string, given: string) => fixtures.patient(t.db, family, given);
    d = {
      standing: await bookSlots(t.db, clock, c, [await at(c.apple, `${today}T09:00`)], {
        patientId: await patient('Ma', 'Mihály'),
      }),
      alfaRef: await bookSlots(t.db, clock, c, [await at(c.apple, `${today}T09:20`)], {
        patientId: await patient('Ref', 'Rita'),
        partner: 'alfa',
      }),
      noShow: await bookSlots(t.db, clock, c, [await at(c.apple, `${today}T09:40`)], {
        patientId: await patient('Nem', 'Nándor'),
      }),
      completed: await bookSlots(t.db, clock, c, [await at(c.apple, `${today}T10:00`)], {
        patientId: await patient('Kész', 'Kata'),
      }),
    };
    await t.db('bookings').where({ id: d.alfaRef }).update({ reference: 'AB123456' });
    await t
      .db('bookings')
      .where({ id: d.noShow })
      .update({ attendance: 'no_show', attendance_marked_at: clock.nowIso() });
    await t
      .db('bookings')
      .where({ id: d.completed })
      .update({ attendance: 'completed', attendance_marked_at: clock.nowIso() });
  });

  it('shows each booking’s status and the partner’s reference number', async () => {
    const desk = await loginAs(t.app, 'desk');
    const res = await desk.agent.get(listUrl());
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<th scope="col">Reference<\/th><th scope="col">Status<\/th>/);
    expect(rowOf(res.text, d.standing)).toMatch(/<td class="status-booked">Booked<\/td>/);
    expect(rowOf(res.text, d.noShow)).toMatch(
      /class="status-no_show"><span class="badge attendance-no_show">No-show</,
    );
    expect(rowOf(res.text, d.completed)).toMatch(/status-completed"><span[^>]*>Completed</);
    expect(rowOf(res.text, d.alfaRef)).toContain('<td>AB123456</td>');
    const old = await desk.agent.get('/day-list').query({ institution: c.north, date: '2027-01-20' });
    expect(rowOf(old.text, b.appleLate)).toMatch(/status-cancelled"><span class="badge cancelled">Cancelled/);
  });

  it('gives the desk an Arrived button per standing unmarked row of the day, none on marked or future rows', async () => {
    const desk = await loginAs(t.app, 'desk');
    const res = await desk.agent.get(listUrl());
    expect(res.text).toContain('<th scope="col" class="no-print">Attendance</th>');
    const form = rowOf(res.text, d.standing);
    expect(form).toContain(`<form method="post" action="/bookings/${d.standing}/attendance"`);
    expect(form).toMatch(/<button type="submit" name="mark" value="arrived">Arrived<\/button>/);
    expect(form).toContain(`name="back" value="/day-list?institution=${c.north}&amp;date=${today}"`);
    expect(rowOf(res.text, d.noShow)).not.toContain('<form');
    expect(rowOf(res.text, d.completed)).not.toContain('<form');
    // A future day: the attendance service would refuse the mark, so no button.
    const future = await desk.agent.get('/day-list').query({ institution: c.north, date: '2027-01-20' });
    expect(future.text).not.toContain('value="arrived"');
  });

  it('marks the arrival from the list and comes back to the same day list, the row now Arrived', async () => {
    const desk = await loginAs(t.app, 'desk');
    const back = `/day-list?institution=${c.north}&date=${today}`;
    const res = await desk.agent
      .post(`/bookings/${d.standing}/attendance`)
      .type('form')
      .send({ mark: 'arrived', back, _csrf: desk.csrf });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(back);
    const row = await t.db('bookings').where({ id: d.standing }).first('attendance', 'status');
    expect(row).toMatchObject({ attendance: 'arrived', status: 'booked' });
    const after = await desk.agent.get(back);
    expect(rowOf(after.text, d.standing)).toMatch(
      /status-arrived"><span class="badge attendance-arrived">Arrived</,
    );
    expect(rowOf(after.text, d.standing)).not.toContain('<form');
    expect(after.text).toContain('Marked as arrived.');
  });

  it('never leaves the site through back: anything but a local day list returns to the booking', async () => {
    const desk = await loginAs(t.app, 'desk');
    const bad = [
      'https://evil.example/day-list',
      '//evil.example/day-list',
      '/\\evil.example',
      '/day-list/../login',
      '/day-list?x=1#frag',
      '/day-list?x=1\r\nSet-Cookie: a=b',
      '/bookings',
      ' /day-list',
    ];
    for (const [i, back] of bad.entries()) {
      const id = await bookSlots(
        t.db,
        clock,
        c,
        [await slotAt(t.db, c.birch, c.north, `${today}T1${i}:00`)],
        {
          patientId: await fixtures.patient(t.db, 'Vissza', `V${i}`),
        },
      );
      const res = await desk.agent
        .post(`/bookings/${id}/attendance`)
        .type('form')
        .send({ mark: 'arrived', back, _csrf: desk.csrf });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/bookings/${id}`);
    }
  });

  it('shows partner users and viewers the status but no buttons', async () => {
    const alfa = await loginAs(t.app, 'alfa');
    const res = await alfa.agent.get(listUrl());
    expect(res.status).toBe(200);
    expect(rowOf(res.text, d.alfaRef)).toContain('<td>AB123456</td>');
    expect(rowOf(res.text, d.alfaRef)).toMatch(/status-booked">Booked</);
    expect(res.text).not.toContain('/attendance"');
    expect(res.text).not.toContain('>Attendance</th>');
    const viewer = await loginAs(t.app, 'viewer');
    const v = await viewer.agent.get(listUrl());
    expect(v.status).toBe(200);
    expect(v.text).not.toContain('/attendance"');
    // And the route itself refuses a partner user.
    const post = await alfa.agent
      .post(`/bookings/${d.alfaRef}/attendance`)
      .type('form')
      .send({ mark: 'arrived', back: listUrl(), _csrf: alfa.csrf });
    expect(post.status).toBe(403);
    expect((await t.db('bookings').where({ id: d.alfaRef }).first('attendance')).attendance).toBeNull();
  });

  it('keeps the buttons out of print', async () => {
    const css = await (await loginAs(t.app, 'desk')).agent.get('/static/app.css');
    expect(css.text).toMatch(/@media print \{[\s\S]*\.no-print,[\s\S]*display: none !important;/);
    expect(css.text).toMatch(
      /@media print \{[\s\S]*\.day-list form,\s*\.day-list button \{\s*display: none !important;/,
    );
  });
});
