import { makeTestApp, loginAs, type TestApp, type LoggedIn } from './helpers';
import { fixtures } from './fixtures';

let t: TestApp;
let admin: LoggedIn;
beforeEach(async () => {
  t = await makeTestApp();
  await fixtures.user(t.db, 'boss', ['settings']);
  admin = await loginAs(t.app, 'boss');
});
afterEach(() => t.db.destroy());

const tables = [
  'institutions',
  'qualifications',
  'services',
  'doctors',
  'doctor_services',
  'partners',
  'traffic_channels',
  'schedules',
  'schedule_hours',
  'schedule_breaks',
  'schedule_exceptions',
  'audit_log',
];
const snapshot = () =>
  Promise.all(tables.map(async (table) => [table, await t.db(table).orderBy(t.db.raw('1'))]));
const post = (path: string, form: Record<string, unknown>) =>
  admin.agent
    .post(path)
    .type('form')
    .send({ ...form, _csrf: admin.csrf });

/** Expects a 422 that names the problem next to the field, keeps the typed values, and writes nothing. */
async function expectRefused(
  path: string,
  form: Record<string, unknown>,
  message: string,
  kept: string[] = [],
) {
  const before = await snapshot();
  const res = await post(path, form);
  expect([path, res.status]).toEqual([path, 422]);
  expect(res.text).toContain(message);
  expect(res.text).toContain('class="field-error"');
  for (const value of kept) expect(res.text).toContain(`value="${value}"`);
  expect(await snapshot()).toEqual(before);
  return res;
}

function weekForm(overrides: Record<string, string> = {}) {
  const form: Record<string, string> = { slot_minutes: '20', valid_from: '2026-06-01', valid_to: '' };
  for (const d of [1, 2, 3, 4, 5, 6, 7])
    Object.assign(form, { [`start_${d}`]: '', [`end_${d}`]: '', [`breaks_${d}`]: '' });
  return { ...form, start_1: '08:00', end_1: '16:00', ...overrides };
}

describe('settings forms refuse bad input with 422 and change nothing', () => {
  it('refuses an unknown time zone', async () => {
    await expectRefused(
      '/settings/institutions',
      { name: 'Pest Clinic', address: 'Somewhere 1', time_zone: 'Mars/Olympus_Mons' },
      'Choose a time zone from the list.',
      ['Pest Clinic', 'Somewhere 1'],
    );
  });

  it('refuses a duplicate institution name, whatever its case', async () => {
    await fixtures.institution(t.db, 'Pest Clinic');
    await expectRefused(
      '/settings/institutions',
      { name: 'pest clinic', address: '', time_zone: 'Europe/Budapest' },
      'This name is already in use',
      ['pest clinic'],
    );
  });

  it('refuses renaming an institution to another one\u2019s name', async () => {
    await fixtures.institution(t.db, 'Pest Clinic');
    const other = await fixtures.institution(t.db, 'Buda Clinic');
    await expectRefused(
      `/settings/institutions/${other}`,
      { name: 'Pest Clinic', address: '', time_zone: 'Europe/Budapest' },
      'This name is already in use',
    );
  });

  it('refuses a negative price and a duration out of range', async () => {
    const q = await fixtures.qualification(t.db);
    const res = await expectRefused(
      '/settings/services',
      { qualification_id: q, name: 'ECG', duration_minutes: '500', price: '-100' },
      'Enter a price of 0 or more',
      ['ECG', '-100'],
    );
    expect(res.text).toContain('Enter a duration between 5 and 480 minutes.');
  });

  it('refuses a duplicate service name', async () => {
    const q = await fixtures.qualification(t.db);
    await fixtures.service(t.db, q, 'ECG');
    await expectRefused(
      '/settings/services',
      { qualification_id: q, name: 'ECG', duration_minutes: '20', price: '9000' },
      'This name is already in use',
    );
  });

  it('refuses a duplicate partner name and a malformed tax number', async () => {
    await fixtures.partner(t.db, 'Alfa Health');
    const base = { tax_number: '12345678-2-42', commission_type: 'percent', commission_value: '10' };
    await expectRefused(
      '/settings/partners',
      { ...base, name: 'ALFA HEALTH' },
      'A partner with this name already exists',
    );
    await expectRefused(
      '/settings/partners',
      { ...base, name: 'Beta', tax_number: '1234-5' },
      'Enter the tax number as 12345678-2-42',
      ['1234-5'],
    );
    await expectRefused(
      '/settings/partners',
      { ...base, name: 'Beta', commission_value: '120' },
      'Enter a percentage from 0 to 100',
    );
    await expectRefused(
      '/settings/partners',
      { ...base, name: 'Beta', commission_type: 'fixed', commission_value: '-5' },
      'Enter an amount of 0 or more',
    );
    await expectRefused(
      '/settings/partners',
      { ...base, name: 'Beta', contact_email: 'not-an-email' },
      'Enter an e-mail address',
    );
  });

  it('refuses a doctor offering a service outside the doctor\u2019s qualifications', async () => {
    const inst = await fixtures.institution(t.db);
    const cardio = await fixtures.qualification(t.db, 'Cardiology');
    const derm = await fixtures.qualification(t.db, 'Dermatology');
    const mole = await fixtures.service(t.db, derm, 'Mole screening');
    await expectRefused(
      '/settings/doctors',
      {
        name: 'Dr. X',
        qualification_ids: String(cardio),
        institution_ids: String(inst),
        offers: `${inst}:${mole}`,
      },
      'not one of the doctor\u2019s qualifications',
      ['Dr. X'],
    );
    await expectRefused(
      '/settings/doctors',
      { name: 'Dr. X', institution_ids: String(inst) },
      'Tick at least one qualification.',
    );
  });

  describe('schedules', () => {
    let doctorId: number;
    let institutionId: number;
    beforeEach(async () => {
      institutionId = await fixtures.institution(t.db);
      const q = await fixtures.qualification(t.db);
      const s = await fixtures.service(t.db, q);
      doctorId = await fixtures.doctor(t.db, 'Dr. Y', q, [institutionId], [s]);
    });
    const newSchedule = (o: Record<string, string>) => ({
      doctor_id: String(doctorId),
      institution_id: String(institutionId),
      ...weekForm(o),
    });

    it('refuses an end before the start', async () => {
      await expectRefused(
        '/settings/schedules',
        newSchedule({ start_1: '16:00', end_1: '08:00' }),
        'The end must be after the start.',
        ['16:00', '08:00'],
      );
    });

    it('refuses overlapping breaks', async () => {
      await expectRefused(
        '/settings/schedules',
        newSchedule({ breaks_1: '12:00-12:40, 12:30-13:00' }),
        'Breaks must not overlap each other.',
        ['12:00-12:40, 12:30-13:00'],
      );
    });

    it('refuses a break outside the hours and a malformed time', async () => {
      await expectRefused(
        '/settings/schedules',
        newSchedule({ breaks_1: '07:00-07:30' }),
        'Every break must be inside the working hours.',
      );
      await expectRefused(
        '/settings/schedules',
        newSchedule({ start_2: '8am', end_2: '12:00' }),
        'Enter a time as HH:MM',
      );
    });

    it('refuses valid-to before valid-from, and a slot length out of range', async () => {
      const res = await expectRefused(
        '/settings/schedules',
        newSchedule({ valid_to: '2026-05-01', slot_minutes: '300' }),
        'The last day must not be before the first day.',
      );
      expect(res.text).toContain('Enter a slot length between 5 and 240 minutes.');
    });

    it('refuses an institution where the doctor does not work', async () => {
      const other = await fixtures.institution(t.db, 'Elsewhere');
      await expectRefused(
        '/settings/schedules',
        { ...newSchedule({}), institution_id: String(other) },
        'The doctor does not work at this institution.',
      );
    });

    it('refuses a bad edit of an existing schedule and keeps the old plan', async () => {
      const scheduleId = await fixtures.schedule(t.db, doctorId, institutionId);
      await expectRefused(
        `/settings/schedules/${scheduleId}`,
        weekForm({ start_3: '10:00', end_3: '09:00' }),
        'The end must be after the start.',
      );
      expect(await t.db('schedule_hours').where({ schedule_id: scheduleId })).toHaveLength(7);
    });

    it('answers 422 to a reversed generation range, 400 to a malformed day, 404 to an unknown schedule', async () => {
      const scheduleId = await fixtures.schedule(t.db, doctorId, institutionId);
      const bad = await post(`/settings/schedules/${scheduleId}/generate`, {
        from: '2026-06-10',
        to: '2026-06-01',
      });
      expect(bad.status).toBe(422);
      expect(await t.db('slots')).toHaveLength(0);
      expect((await admin.agent.get('/settings/schedules/99999')).status).toBe(404);
      expect((await admin.agent.get('/settings/schedules/abc')).status).toBe(404);
      expect((await admin.agent.get(`/settings/schedules/${scheduleId}?date=yesterday`)).status).toBe(400);
    });
  });

  it('never answers 500 to odd input', async () => {
    const inst = await fixtures.institution(t.db);
    const odd = {
      name: ['a', 'b'],
      time_zone: ['x'],
      price: { a: 1 },
      qualification_id: '99999999999',
      offers: ['1:1:1'],
      duration_minutes: 'NaN',
    };
    for (const path of [
      '/settings/institutions',
      '/settings/qualifications',
      '/settings/services',
      '/settings/doctors',
      '/settings/partners',
      '/settings/schedules',
      `/settings/institutions/${inst}`,
    ]) {
      const res = await post(path, odd);
      expect([path, res.status < 500]).toEqual([path, true]);
    }
    expect((await post('/settings/traffic-channels', { institution: inst, cell: 'garbage' })).status).toBe(
      400,
    );
  });
});
