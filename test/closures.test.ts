/**
 * Closures (issue 16): institution-wide closed days and hours under Settings, applied to every
 * schedule there: slots on them are "Closed" with the reason (calendar, schedule page), never
 * offered, refused by Start the reservation and by Save (a stale form), bookings on them listed;
 * Hungarian and Romanian public holidays loaded for a year with one action.
 */
import { FixedClock } from '../src/lib/clock';
import { holidaysFor, orthodoxEaster, westernEaster } from '../src/closures/holidays';
import { generateSlots } from '../src/schedules/slots.service';
import { makeTestApp, loginAs, type TestApp, type LoggedIn } from './helpers';
import { fixtures } from './fixtures';
import { freeSlotIds, reserve, save, tokenOf } from './booking-helpers';
import { bookSlots, deskClinic, slotAt, type DeskClinic } from './desk-fixtures';

describe('public holidays', () => {
  const dates = (country: 'hu' | 'ro', year: number) => holidaysFor(country, year).map((h) => h.date);

  it('computes Western and Orthodox Easter', () => {
    expect([2024, 2025, 2026, 2027, 2028].map(westernEaster)).toEqual([
      '2024-03-31',
      '2025-04-20',
      '2026-04-05',
      '2027-03-28',
      '2028-04-16',
    ]);
    expect([2024, 2025, 2026, 2027, 2028].map(orthodoxEaster)).toEqual([
      '2024-05-05',
      '2025-04-20',
      '2026-04-12',
      '2027-05-02',
      '2028-04-16',
    ]);
  });

  it('gives Hungary’s fixed and movable holidays for 2027 and 2028', () => {
    const hu2027 = holidaysFor('hu', 2027);
    expect(hu2027.find((h) => h.date === '2027-03-29')?.name).toBe('Húsvéthétfő');
    expect(hu2027.find((h) => h.date === '2027-05-17')?.name).toBe('Pünkösdhétfő');
    expect(hu2027.find((h) => h.date === '2027-03-26')?.name).toBe('Nagypéntek');
    expect(dates('hu', 2027)).toEqual(
      expect.arrayContaining([
        '2027-01-01',
        '2027-03-15',
        '2027-05-01',
        '2027-08-20',
        '2027-10-23',
        '2027-11-01',
        '2027-12-24',
        '2027-12-25',
        '2027-12-26',
      ]),
    );
    expect(dates('hu', 2027)).toHaveLength(14);
    expect(dates('hu', 2028)).toEqual(
      expect.arrayContaining(['2028-04-14', '2028-04-16', '2028-04-17', '2028-06-04', '2028-06-05']),
    );
  });

  it('gives Romania’s holidays with Orthodox Easter and Rusalii for 2027 and 2028', () => {
    const ro2027 = holidaysFor('ro', 2027);
    expect(ro2027.find((h) => h.date === '2027-05-02')?.name).toBe('Paștele');
    expect(ro2027.find((h) => h.date === '2027-05-03')?.name).toBe('A doua zi de Paște');
    expect(ro2027.find((h) => h.date === '2027-04-30')?.name).toBe('Vinerea Mare');
    expect(ro2027.find((h) => h.date === '2027-06-20')?.name).toBe('Rusaliile');
    expect(ro2027.find((h) => h.date === '2027-06-21')?.name).toBe('A doua zi de Rusalii');
    expect(dates('ro', 2027)).toEqual(
      expect.arrayContaining([
        '2027-01-01',
        '2027-01-02',
        '2027-01-06',
        '2027-01-07',
        '2027-01-24',
        '2027-06-01',
        '2027-08-15',
        '2027-11-30',
        '2027-12-01',
        '2027-12-25',
        '2027-12-26',
      ]),
    );
    expect(dates('ro', 2028)).toEqual(
      expect.arrayContaining(['2028-04-14', '2028-04-16', '2028-04-17', '2028-06-04', '2028-06-05']),
    );
    expect(dates('hu', 2027)).not.toContain('2027-05-03');
  });
});

const clock = new FixedClock('2027-01-18T06:00:00.000Z');
let t: TestApp;
let c: DeskClinic;
let admin: LoggedIn;
let desk: LoggedIn;

beforeEach(async () => {
  t = await makeTestApp({ clock });
  c = await deskClinic(t.db);
  admin = await loginAs(t.app, 'admin');
  desk = await loginAs(t.app, 'desk');
});
afterEach(async () => {
  await t.db.destroy();
});

const addClosure = (fields: Record<string, string | number>) =>
  admin.agent
    .post('/settings/closures')
    .type('form')
    .send({ _csrf: admin.csrf, institution: c.north, ...fields });

const calendar = (week: string) =>
  desk.agent.get('/booking').query({ institution: c.north, channel: c.reception, service: c.consult, week });

describe('closures applied to slots', () => {
  it('makes 25 December bookable before the holidays are loaded and closed after, everywhere', async () => {
    const schedule = await fixtures.schedule(t.db, c.apple, c.north, { start: '08:00', end: '10:00' });
    await generateSlots(t.db, clock, { from: '2027-12-20', to: '2027-12-31' });
    const christmas = await t
      .db('slots')
      .where({ doctor_id: c.apple, local_date: '2027-12-25' })
      .orderBy('starts_at');
    expect(christmas).toHaveLength(6);
    const before = await calendar('2027-12-20');
    expect(freeSlotIds(before.text)).toEqual(expect.arrayContaining(christmas.map((s) => s.id)));

    const loaded = await admin.agent
      .post('/settings/closures/holidays')
      .type('form')
      .send({ _csrf: admin.csrf, institution: c.north, country: 'hu', year: 2027 });
    expect(loaded.status).toBe(303);
    const rows = await t.db('closures').where({ institution_id: c.north }).orderBy('date');
    expect(rows).toHaveLength(14);
    expect(rows.find((r) => r.date === '2027-12-25')).toMatchObject({
      reason: 'Karácsony',
      from_time: null,
      source: 'holiday',
    });
    // Budapest midnight to midnight, in UTC.
    expect(rows.find((r) => r.date === '2027-12-25')).toMatchObject({
      starts_at: '2027-12-24T23:00:00.000Z',
      ends_at: '2027-12-25T23:00:00.000Z',
    });
    // Loading again adds nothing.
    await admin.agent
      .post('/settings/closures/holidays')
      .type('form')
      .send({ _csrf: admin.csrf, institution: c.north, country: 'hu', year: 2027 });
    expect(await t.db('closures').where({ institution_id: c.north })).toHaveLength(14);

    const after = await calendar('2027-12-20');
    expect(after.status).toBe(200);
    const offered = freeSlotIds(after.text);
    for (const s of christmas) expect(offered).not.toContain(s.id);
    expect(after.text).toContain('08:00 Closed: Karácsony');
    expect(offered.length).toBeGreaterThan(0); // the 20th-23rd are still open

    const first = await desk.agent
      .get('/booking/first-free')
      .query({ institution: c.north, channel: c.reception, service: c.consult, weekday: 6 });
    expect(first.text).not.toMatch(
      new RegExp(`name="slot" value="(${christmas.map((s) => s.id).join('|')})"`),
    );

    const refused = await reserve(desk, {
      institution: c.north,
      channel: c.reception,
      service: c.consult,
      slot: christmas[0].id,
    });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('The clinic is closed at this time (Karácsony).');
    expect(await t.db('holds')).toHaveLength(0);

    const schedulePage = await admin.agent
      .get(`/settings/schedules/${schedule}`)
      .query({ date: '2027-12-25' });
    expect(schedulePage.text).toContain('Closed: Karácsony');
  });

  it('closes only the hours given, and deleting the closure opens them again', async () => {
    const nine = await slotAt(t.db, c.apple, c.north, '2027-01-20T09:00');
    const ten = await slotAt(t.db, c.apple, c.north, '2027-01-20T10:00');
    const eleven = await slotAt(t.db, c.apple, c.north, '2027-01-20T11:40');
    const noon = await slotAt(t.db, c.apple, c.north, '2027-01-20T12:00');
    const res = await addClosure({ date: '2027-01-20', from: '10:00', to: '12:00', reason: 'Staff meeting' });
    expect(res.status).toBe(303);
    let offered = freeSlotIds((await calendar('2027-01-18')).text);
    expect(offered).toEqual(expect.arrayContaining([nine, noon]));
    expect(offered).not.toContain(ten);
    expect(offered).not.toContain(eleven);
    const closure = await t.db('closures').first();
    expect(closure).toMatchObject({
      from_time: '10:00',
      to_time: '12:00',
      starts_at: '2027-01-20T09:00:00.000Z',
      ends_at: '2027-01-20T11:00:00.000Z',
    });
    const audit = await t.db('audit_log').where({ action: 'closure.created' });
    expect(audit).toHaveLength(1);
    const del = await admin.agent
      .post(`/settings/closures/${closure.id}/delete`)
      .type('form')
      .send({ _csrf: admin.csrf });
    expect(del.status).toBe(303);
    offered = freeSlotIds((await calendar('2027-01-18')).text);
    expect(offered).toEqual(expect.arrayContaining([nine, ten, eleven, noon]));
  });

  it('refuses Save of a hold whose slot was closed meanwhile (stale form), booking nothing', async () => {
    const slot = await slotAt(t.db, c.apple, c.north, '2027-01-21T09:00');
    const held = await reserve(desk, {
      institution: c.north,
      channel: c.reception,
      service: c.consult,
      slot,
    });
    const token = tokenOf(held.headers.location);
    expect((await addClosure({ date: '2027-01-21', from: '', to: '', reason: 'Power cut' })).status).toBe(
      303,
    );
    const patient = await fixtures.patient(t.db, 'Stale', 'Form');
    const res = await save(desk, token, patient);
    expect(res.status).toBe(409);
    expect(res.text).toContain('The clinic is closed at this time (Power cut).');
    expect(await t.db('bookings')).toHaveLength(0);
    expect(await t.db('slot_occupancies')).toHaveLength(0);
  });

  it('lists the standing bookings on a closure for moving', async () => {
    const slot = await slotAt(t.db, c.birch, c.north, '2027-03-29T10:00');
    const other = await slotAt(t.db, c.birch, c.north, '2027-03-30T10:00');
    const patient = await fixtures.patient(t.db, 'Easter', 'Monday');
    const id = await bookSlots(t.db, clock, c, [slot], { patientId: patient, partner: 'alfa' });
    await bookSlots(t.db, clock, c, [other], { patientId: await fixtures.patient(t.db, 'Tuesday', 'Kept') });
    await admin.agent
      .post('/settings/closures/holidays')
      .type('form')
      .send({ _csrf: admin.csrf, institution: c.north, country: 'hu', year: 2027 });
    const page = await admin.agent.get('/settings/closures').query({ institution: c.north, year: 2027 });
    expect(page.status).toBe(200);
    const affected = /<section class="panel" id="affected">[\s\S]*?<\/section>/.exec(page.text)![0];
    expect(affected).toContain(`href="/bookings/${id}"`);
    expect(affected).toContain('Monday Easter');
    expect(affected).toContain('Húsvéthétfő');
    expect(affected).toContain('Alfa Health Insurance');
    expect(affected).not.toContain('Tuesday');
    expect(page.text).toContain('1 standing booking falls on a closure and needs moving.');
    // The booking itself stays (moving it is the desk's decision).
    expect(await t.db('bookings').where({ id }).first()).toMatchObject({ status: 'booked' });
  });
});

describe('closure forms', () => {
  it('refuses bad input with 422 beside the field and saves nothing', async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ date: '2027-13-01', from: '', to: '', reason: 'x' }, 'date', 'Enter the day as YYYY-MM-DD.'],
      [
        { date: '2027-01-20', from: '10:00', to: '', reason: 'x' },
        'to',
        'Enter both times for closed hours, or neither for the whole day.',
      ],
      [
        { date: '2027-01-20', from: '12:00', to: '10:00', reason: 'x' },
        'to',
        'The end must be after the start.',
      ],
      [
        { date: '2027-01-20', from: '25:00', to: '26:00', reason: 'x' },
        'from',
        'Enter a time as HH:MM, like 08:00.',
      ],
      [{ date: '2027-01-20', from: '', to: '', reason: '  ' }, 'reason', 'Enter a reason'],
    ];
    for (const [fields, field, message] of cases) {
      const res = await addClosure(fields);
      expect([fields, res.status]).toEqual([fields, 422]);
      expect(res.text).toContain(`<span class="field-error" id="${field}-error">${message}`);
    }
    const year = await admin.agent
      .post('/settings/closures/holidays')
      .type('form')
      .send({ _csrf: admin.csrf, institution: c.north, country: 'de', year: '20x7' });
    expect(year.status).toBe(422);
    expect(year.text).toContain('Choose Hungary or Romania.');
    expect(year.text).toContain('Enter a year from 1900 to 2099.');
    expect(await t.db('closures')).toHaveLength(0);
  });

  it('refuses a second closure of the same day and start, and edits one', async () => {
    expect((await addClosure({ date: '2027-02-01', from: '', to: '', reason: 'Inventory' })).status).toBe(
      303,
    );
    const dup = await addClosure({ date: '2027-02-01', from: '', to: '', reason: 'Again' });
    expect(dup.status).toBe(422);
    expect(dup.text).toContain('This institution already has a closure starting then on that day.');
    const row = await t.db('closures').first();
    const form = await admin.agent.get(`/settings/closures/${row.id}/edit`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('value="Inventory"');
    const edited = await admin.agent.post(`/settings/closures/${row.id}`).type('form').send({
      _csrf: admin.csrf,
      date: '2027-02-02',
      from: '14:00',
      to: '24:00',
      reason: 'Inventory (afternoon)',
    });
    expect(edited.status).toBe(303);
    expect(await t.db('closures').where({ id: row.id }).first()).toMatchObject({
      date: '2027-02-02',
      from_time: '14:00',
      to_time: '24:00',
      starts_at: '2027-02-02T13:00:00.000Z',
      ends_at: '2027-02-02T23:00:00.000Z',
    });
    expect(await t.db('audit_log').where({ action: 'closure.updated' })).toHaveLength(1);
  });

  it('is for Settings only', async () => {
    expect((await desk.agent.get('/settings/closures')).status).toBe(403);
    const alfa = await loginAs(t.app, 'alfa');
    expect((await alfa.agent.get('/settings/closures')).status).toBe(403);
    const post = await desk.agent
      .post('/settings/closures')
      .type('form')
      .send({ _csrf: desk.csrf, institution: c.north, date: '2027-02-01', reason: 'x' });
    expect(post.status).toBe(403);
    expect(await t.db('closures')).toHaveLength(0);
  });

  it('refuses rows the database checks forbid', async () => {
    const base = {
      institution_id: c.north,
      date: '2027-02-03',
      reason: 'x',
      source: 'manual',
      starts_at: '2027-02-03T08:00:00.000Z',
      ends_at: '2027-02-03T09:00:00.000Z',
      created_at: clock.nowIso(),
    };
    await expect(
      t.db('closures').insert({ ...base, from_time: '10:00', to_time: null }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/check|constraint/i) });
    await expect(t.db('closures').insert({ ...base, ends_at: base.starts_at })).rejects.toMatchObject({
      message: expect.stringMatching(/check|constraint/i),
    });
    await t.db('closures').insert(base);
    await expect(t.db('closures').insert({ ...base, reason: 'y' })).rejects.toMatchObject({
      message: expect.stringMatching(/unique|duplicate/i),
    });
  });
});
