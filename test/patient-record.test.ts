/**
 * The patient record's second part (issues 12 and 14): the address, "no identifier" with its
 * reason, the Romanian CNP, and the clinic's "Identifier types offered". Forms are posted as a
 * browser without JavaScript would; every answer is checked in the HTML and in the database.
 */
import { FixedClock } from '../src/lib/clock';
import { cnpCheckDigit } from '../src/lib/identifiers';
import { keyOfEnglish } from '../src/i18n';
import { cnpMessages, makeTaj } from '../src/patients/identifiers';
import { formMessages } from '../src/patients/patients.forms';
import { identifierSettingMessages } from '../src/patients/identifier-settings';
import { fixtures } from './fixtures';
import { makeTestApp, loginAs, type TestApp, type LoggedIn } from './helpers';
import { demoIds, holdCardioConsult, type DemoIds } from './booking-helpers';

let t: TestApp;
let ids: DemoIds;
beforeEach(async () => {
  t = await makeTestApp({ demo: true, clock: new FixedClock('2027-01-18T06:00:00.000Z') });
  ids = await demoIds(t.db);
});
afterEach(() => t.db.destroy());

/** A CNP from its first 12 digits and the right check digit. */
const cnp = (first12: string) => first12 + String(cnpCheckDigit(first12));
const validCnp = '1960529400019';

const address = { postal_code: '1051', city: 'Budapest', street_address: 'Nádor utca 7.' };
const base = {
  family_name: 'Tóth',
  given_name: 'Zsófia',
  birth_date: '1993-04-05',
  id_type: 'passport',
  id_number: 'TZ1234567',
  phone: '+36 20 111 2222',
  email: 'zsofia@example.com',
};

const post = (u: LoggedIn, path: string, fields: Record<string, string | number>) =>
  u.agent
    .post(path)
    .type('form')
    .send({ ...fields, _csrf: u.csrf });

const esc = (s: string) => s.replace(/[.+()]/g, '\\$&');
/** The input `name` shows `value` again. */
const shows = (html: string, name: string, value: string) =>
  expect(html).toMatch(new RegExp(`name="${name}"[^>]*value="${esc(value)}"`));

const patientBy = (where: Record<string, unknown>) => t.db('patients').where(where).first();
const count = async () => Number((await t.db('patients').count({ n: '*' }).first())!.n);

describe('the address', () => {
  it('is kept by Search, Add new patient (422) and Save in the reservation dialog, then stored trimmed', async () => {
    const u = await loginAs(t.app, 'desk');
    const { token } = await holdCardioConsult(t.db, u, ids, { partner: ids.alfa }, t.clock);
    const typed = { ...base, ...address, street_address: '  Nádor utca 7.  ' };
    const search = await post(u, `/reservations/${token}/search`, { q: 'kovacs', ...typed });
    expect(search.status).toBe(200);
    for (const [k, v] of Object.entries(address))
      shows(search.text, k, k === 'street_address' ? typed[k] : v);
    const bad = await post(u, `/reservations/${token}/patients`, { ...typed, city: 'x'.repeat(101) });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('id="city-error"');
    shows(bad.text, 'postal_code', '1051');
    shows(bad.text, 'street_address', typed.street_address);
    expect(await patientBy({ id_number: 'TZ1234567' })).toBeUndefined();
    const saved = await post(u, `/reservations/${token}/book`, typed);
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toMatch(/^\/booking\/confirmation\/\d+$/);
    const row = await patientBy({ id_number: 'TZ1234567' });
    expect(row).toMatchObject(address);
    expect((await t.db('bookings').where({ idempotency_key: token }).first()).patient_id).toBe(row.id);
  });

  it('refuses a malformed postal code beside the field (422) and changes nothing', async () => {
    const u = await loginAs(t.app, 'desk');
    const before = await count();
    const res = await post(u, '/patients/new', { ...base, ...address, postal_code: '1$' });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="postal_code-error">Use 3 to 12 letters, digits, spaces or hyphens\./);
    shows(res.text, 'city', 'Budapest');
    expect(await count()).toBe(before);
  });

  it('is corrected on the edit form, audited with old and new values, and shown on the patient page', async () => {
    const u = await loginAs(t.app, 'desk');
    const janos = await patientBy({ id: ids.janos });
    const form = await u.agent.get(`/patients/${janos.id}/edit`);
    expect(form.text).toContain('<label for="street_address">Street address</label>');
    const res = await post(u, `/patients/${janos.id}/edit`, {
      family_name: janos.family_name,
      given_name: janos.given_name,
      birth_date: janos.birth_date,
      id_type: janos.id_type,
      id_number: janos.id_number,
      phone: '+36 1 222 3333',
      email: janos.email,
      ...address,
    });
    expect(res.status).toBe(303);
    expect(await patientBy({ id: janos.id })).toMatchObject({ ...address, phone: '+36 1 222 3333' });
    const entry = await t.db('audit_log').where({ action: 'patient.updated', entity_id: janos.id }).first();
    expect(JSON.parse(entry.details)).toEqual({
      before: { phone: janos.phone, postal_code: '', city: '', street_address: '' },
      after: { phone: '+36 1 222 3333', ...address },
    });
    const page = await u.agent.get(`/patients/${janos.id}`);
    expect(page.text).toContain('<dt>Address</dt><dd>Nádor utca 7.<br>1051 Budapest</dd>');
    expect((await u.agent.get(`/patients/${janos.id}/edit`)).text).toMatch(
      /name="city"[^>]*value="Budapest"/,
    );
  });
});

describe('no identifier, with a reason', () => {
  const newborn = { ...base, id_number: '', no_identifier_reason: 'newborn', birth_date: '2027-01-10' };

  it('needs the reason: neither identifier nor reason is refused beside the identifier (422)', async () => {
    const u = await loginAs(t.app, 'desk');
    const before = await count();
    const res = await post(u, '/patients/new', { ...newborn, no_identifier_reason: '' });
    expect(res.status).toBe(422);
    expect(res.text).toContain(
      'id="id_number-error">Enter the identifier, or choose why the patient has none.</span>',
    );
    const junk = await post(u, '/patients/new', { ...newborn, no_identifier_reason: 'lost' });
    expect(junk.status).toBe(422);
    expect(junk.text).toContain('id="no_identifier_reason-error"');
    expect(await count()).toBe(before);
  });

  it('registers a newborn without an identifier; the page says why, in the reader\u2019s language', async () => {
    const u = await loginAs(t.app, 'desk');
    const res = await post(u, '/patients/new', newborn);
    expect(res.status).toBe(303);
    const row = await patientBy({ family_name: 'Tóth', given_name: 'Zsófia' });
    expect(row).toMatchObject({ id_type: null, id_number: null, no_identifier_reason: 'newborn' });
    const created = await t.db('audit_log').where({ action: 'patient.created', entity_id: row.id }).first();
    expect(JSON.parse(created.details)).toMatchObject({ idType: null, noIdentifierReason: 'newborn' });
    const page = await u.agent.get(`/patients/${row.id}`);
    expect(page.text).toContain('<dt>Identifier</dt><dd>No identifier: newborn</dd>');
    const hu = await u.agent.get(`/patients/${row.id}`).set('Accept-Language', 'hu');
    expect(hu.text).toContain('Nincs azonosító: újszülött');
    const ro = await u.agent.get(`/patients/${row.id}`).set('Accept-Language', 'ro');
    expect(ro.text).toContain('Fără identificator: nou-născut');
  });

  it('is found by name, and the list says why there is no identifier', async () => {
    const u = await loginAs(t.app, 'desk');
    expect((await post(u, '/patients/new', newborn)).status).toBe(303);
    const list = await u.agent.get('/patients?q=toth zs');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Zsófia Tóth');
    expect(list.text).toContain('<td>No identifier: newborn</td>');
  });

  it('lets several patients be without one, and still warns about a name-and-birth-date twin', async () => {
    const u = await loginAs(t.app, 'desk');
    expect((await post(u, '/patients/new', newborn)).status).toBe(303);
    expect(
      (await post(u, '/patients/new', { ...newborn, given_name: 'Zsuzsa', no_identifier_reason: 'unknown' }))
        .status,
    ).toBe(303);
    const twin = await post(u, '/patients/new', { ...newborn, no_identifier_reason: 'foreign' });
    expect(twin.status).toBe(422);
    expect(twin.text).toContain('A patient with the same name and date of birth already exists.');
    expect(await t.db('patients').whereNull('id_number').count({ n: '*' }).first()).toEqual({ n: 2 });
    const anyway = await post(u, '/patients/new', { ...newborn, confirm_duplicate: '1' });
    expect(anyway.status).toBe(303);
  });

  it('is registered and booked in one go by Save in the dialog (JS off), keeping the reason on a 422', async () => {
    const u = await loginAs(t.app, 'alfa');
    const { token } = await holdCardioConsult(t.db, u, ids, {}, t.clock);
    const typed = { ...newborn, ...address };
    const bad = await post(u, `/reservations/${token}/book`, { ...typed, email: 'nope' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('<option value="newborn" selected>Newborn</option>');
    shows(bad.text, 'postal_code', '1051');
    const res = await post(u, `/reservations/${token}/book`, typed);
    expect(res.status).toBe(303);
    const row = await patientBy({ family_name: 'Tóth', given_name: 'Zsófia' });
    expect(row).toMatchObject({ no_identifier_reason: 'newborn', id_number: null, ...address });
    expect((await t.db('bookings').where({ idempotency_key: token }).first()).patient_id).toBe(row.id);
  });

  it('is refused by the database with neither an identifier nor a reason, or with both', async () => {
    const row = (over: Record<string, unknown>) =>
      t.db('patients').insert({
        family_name: 'Kis',
        given_name: 'Ádám',
        search_name: 'kis adam',
        search_name_reversed: 'adam kis',
        birth_date: '2026-12-30',
        phone: '',
        email: '',
        created_at: '2027-01-18T06:00:00.000Z',
        ...over,
      });
    const refused = { message: expect.stringMatching(/check|constraint/i) };
    await expect(row({ id_type: null, id_number: null, no_identifier_reason: null })).rejects.toMatchObject(
      refused,
    );
    await expect(row({ id_type: 'taj', id_number: null, no_identifier_reason: null })).rejects.toMatchObject(
      refused,
    );
    await expect(
      row({ id_type: 'passport', id_number: 'KA123456', no_identifier_reason: 'newborn' }),
    ).rejects.toMatchObject(refused);
    await expect(row({ id_type: null, id_number: null, no_identifier_reason: 'lost' })).rejects.toMatchObject(
      refused,
    );
    await row({ id_type: null, id_number: null, no_identifier_reason: 'newborn' });
    await row({ id_type: null, id_number: null, no_identifier_reason: 'newborn', given_name: 'Ábel' });
    expect(await t.db('patients').where({ family_name: 'Kis' }).count({ n: '*' }).first()).toEqual({ n: 2 });
  });

  it('can have the identifier filled in later: the reason is cleared and both changes are audited', async () => {
    const u = await loginAs(t.app, 'desk');
    expect((await post(u, '/patients/new', newborn)).status).toBe(303);
    const row = await patientBy({ family_name: 'Tóth', given_name: 'Zsófia' });
    const form = await u.agent.get(`/patients/${row.id}/edit`);
    expect(form.text).toContain('<option value="newborn" selected>Newborn</option>');
    // The reason is still chosen in the form; typing the identifier is enough.
    const taj = makeTaj('12345678');
    const res = await post(u, `/patients/${row.id}/edit`, {
      ...newborn,
      id_type: 'taj',
      id_number: taj.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3'),
    });
    expect(res.status).toBe(303);
    expect(await patientBy({ id: row.id })).toMatchObject({
      id_type: 'taj',
      id_number: taj,
      no_identifier_reason: null,
    });
    const entry = await t.db('audit_log').where({ action: 'patient.updated', entity_id: row.id }).first();
    expect(JSON.parse(entry.details)).toEqual({
      before: { id_type: '', id_number: '', no_identifier_reason: 'newborn' },
      after: { id_type: 'taj', id_number: taj, no_identifier_reason: '' },
    });
    expect((await u.agent.get(`/patients/${row.id}`)).text).toContain(
      `<dd>TAJ ${taj.slice(0, 3)} ${taj.slice(3, 6)} ${taj.slice(6)}</dd>`,
    );
  });
});

describe('the Romanian CNP', () => {
  const withCnp = (number: string) => ({ ...base, id_type: 'cnp', id_number: number });

  it('registers a valid CNP (digits only), shows it grouped and finds it by identifier', async () => {
    const u = await loginAs(t.app, 'desk');
    const form = await u.agent.get('/patients/new');
    expect(form.text).toContain('<option value="cnp">CNP (Romanian personal numeric code)</option>');
    const res = await post(u, '/patients/new', withCnp('1 960529 400019'));
    expect(res.status).toBe(303);
    const row = await patientBy({ id_type: 'cnp' });
    expect(row.id_number).toBe(validCnp);
    expect((await u.agent.get(`/patients/${row.id}`)).text).toContain('<dd>CNP 1 960529 400019</dd>');
    for (const q of [validCnp, '1 960529 400019']) {
      const found = await u.agent.get(`/patients?q=${encodeURIComponent(q)}`);
      expect(found.text).toContain(`href="/patients/${row.id}"`);
    }
  });

  it('counts a check remainder of 10 as 1', async () => {
    let first12 = '';
    for (let serial = 1; serial < 1000 && !first12; serial++) {
      const s = `196052940${String(serial).padStart(3, '0')}`;
      const sum = [...s].reduce((a, d, i) => a + Number(d) * [2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9][i], 0);
      if (sum % 11 === 10) first12 = s;
    }
    expect(first12).not.toBe('');
    const u = await loginAs(t.app, 'desk');
    const zero = await post(u, '/patients/new', withCnp(first12 + '0'));
    expect(zero.status).toBe(422);
    expect(zero.text).toContain(cnpMessages.checksum);
    expect((await post(u, '/patients/new', withCnp(first12 + '1'))).status).toBe(303);
    expect(await patientBy({ id_number: first12 + '1' })).toMatchObject({ id_type: 'cnp' });
  });

  it.each([
    ['a wrong check digit', '1960529400018', cnpMessages.checksum],
    ['a date that does not exist (30 February)', cnp('199023040001'), cnpMessages.date],
    ['an unknown county (49)', cnp('196052949001'), cnpMessages.county],
    ['too few digits', '196052940001', cnpMessages.format],
    ['a first digit 0', cnp('096052940001'), cnpMessages.format],
  ])('refuses %s beside the field (422), nothing stored', async (_what, number, message) => {
    const u = await loginAs(t.app, 'desk');
    const before = await count();
    const res = await post(u, '/patients/new', withCnp(number));
    expect(res.status).toBe(422);
    expect(res.text).toContain(`id="id_number-error">${message}</span>`);
    expect(await count()).toBe(before);
  });

  it('shows the CNP messages in Hungarian and Romanian', async () => {
    const u = await loginAs(t.app, 'desk');
    const hu = await u.agent
      .post('/patients/new')
      .set('Accept-Language', 'hu')
      .type('form')
      .send({ ...withCnp(cnp('196052949001')), _csrf: u.csrf });
    expect(hu.text).toContain('Ebben a CNP-ben nincs érvényes megyekód.');
    const ro = await u.agent
      .post('/patients/new')
      .set('Accept-Language', 'ro')
      .type('form')
      .send({ ...withCnp('1960529400018'), _csrf: u.csrf });
    expect(ro.text).toContain('Acest CNP nu este valid (cifra de control nu se potrivește).');
  });

  it('refuses a CNP that is already registered (422), and so does the database', async () => {
    const u = await loginAs(t.app, 'desk');
    expect((await post(u, '/patients/new', withCnp(validCnp))).status).toBe(303);
    const again = await post(u, '/patients/new', { ...withCnp(validCnp), family_name: 'Popescu' });
    expect(again.status).toBe(422);
    expect(again.text).toContain('A patient with this identifier is already registered.');
    await expect(
      fixtures.patient(t.db, 'Popescu', 'Ion', { id_type: 'cnp' as 'taj', id_number: validCnp }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/unique|duplicate/i) });
    expect(await t.db('patients').where({ id_number: validCnp }).count({ n: '*' }).first()).toEqual({ n: 1 });
  });
});

describe('Identifier types offered (Settings)', () => {
  /** Posts the ticked boxes as a browser does: one id_types=... pair per box. */
  const setTypes = (u: LoggedIn, types: string[]) =>
    u.agent
      .post('/settings/identifier-types')
      .type('form')
      .send(new URLSearchParams([...types.map((v) => ['id_types', v]), ['_csrf', u.csrf]]).toString());

  it('is on the Settings page, saved and audited; the forms then offer only those types', async () => {
    const admin = await loginAs(t.app, 'admin');
    const page = await admin.agent.get('/settings');
    expect(page.text).toContain('<legend>Identifier types offered</legend>');
    expect(page.text).toMatch(/id="id_types-cnp" name="id_types" value="cnp" checked/);
    const res = await setTypes(admin, ['taj', 'passport']);
    expect(res.status).toBe(303);
    const entry = await t.db('audit_log').where({ action: 'settings.identifier_types' }).first();
    expect(JSON.parse(entry.details)).toEqual({
      before: ['taj', 'passport', 'cnp'],
      after: ['taj', 'passport'],
    });
    const after = await admin.agent.get('/settings');
    expect(after.text).toContain('The identifier types offered were saved.');
    expect(after.text).toMatch(/id="id_types-cnp" name="id_types" value="cnp">/);

    const desk = await loginAs(t.app, 'desk');
    const form = await desk.agent.get('/patients/new');
    expect(form.text).toContain('<option value="passport">Passport number</option>');
    expect(form.text).not.toContain('<option value="cnp"');
    const { token } = await holdCardioConsult(t.db, desk, ids, { partner: ids.alfa }, t.clock);
    const dialog = await desk.agent.get(`/reservations/${token}`);
    expect(dialog.text).toContain('<option value="taj" selected>');
    expect(dialog.text).not.toContain('<option value="cnp"');
    // A stale form (or a hand-made post) with a type no longer offered is refused beside the field.
    const refused = await post(desk, '/patients/new', { ...base, id_type: 'cnp', id_number: validCnp });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain(
      'id="id_type-error">This identifier type is not offered by the clinic.</span>',
    );
    const inDialog = await post(desk, `/reservations/${token}/book`, {
      ...base,
      id_type: 'cnp',
      id_number: validCnp,
    });
    expect(inDialog.status).toBe(422);
    expect(await patientBy({ id_number: validCnp })).toBeUndefined();
  });

  it('keeps showing and editing a patient whose type is no longer offered', async () => {
    const desk = await loginAs(t.app, 'desk');
    expect((await post(desk, '/patients/new', { ...base, id_type: 'cnp', id_number: validCnp })).status).toBe(
      303,
    );
    const row = await patientBy({ id_number: validCnp });
    const admin = await loginAs(t.app, 'admin');
    expect((await setTypes(admin, ['taj'])).status).toBe(303);
    expect((await desk.agent.get(`/patients/${row.id}`)).text).toContain('<dd>CNP 1 960529 400019</dd>');
    const form = await desk.agent.get(`/patients/${row.id}/edit`);
    expect(form.text).toContain('<option value="cnp" selected>');
    expect(form.text).not.toContain('<option value="passport"');
    const res = await post(desk, `/patients/${row.id}/edit`, {
      ...base,
      id_type: 'cnp',
      id_number: '1 960529 400019',
      phone: '+40 21 555 0000',
    });
    expect(res.status).toBe(303);
    expect(await patientBy({ id: row.id })).toMatchObject({ id_type: 'cnp', phone: '+40 21 555 0000' });
    // Another patient may not be switched to a type that is not offered.
    const janos = await patientBy({ id: ids.janos });
    const other = await post(desk, `/patients/${janos.id}/edit`, {
      ...base,
      family_name: janos.family_name,
      given_name: janos.given_name,
      birth_date: janos.birth_date,
      id_type: 'passport',
      id_number: 'KJ1234567',
    });
    expect(other.status).toBe(422);
    expect((await patientBy({ id: janos.id })).id_type).toBe('taj');
  });

  it('needs at least one known type (422 beside the boxes), the setting unchanged', async () => {
    const admin = await loginAs(t.app, 'admin');
    const none = await post(admin, '/settings/identifier-types', {});
    expect(none.status).toBe(422);
    expect(none.text).toContain('id="id_types-error">Choose at least one identifier type.</span>');
    const unknown = await setTypes(admin, ['taj', 'ssn']);
    expect(unknown.status).toBe(422);
    expect(unknown.text).toContain('id="id_types-error">Unknown identifier type.</span>');
    expect(await t.db('app_meta').where({ key: 'identifier_types' }).first()).toBeUndefined();
    expect(await t.db('audit_log').where({ action: 'settings.identifier_types' }).first()).toBeUndefined();
  });

  it('is for the settings permission only (403, nothing saved)', async () => {
    const desk = await loginAs(t.app, 'desk');
    expect((await setTypes(desk, ['taj'])).status).toBe(403);
    expect(await t.db('app_meta').where({ key: 'identifier_types' }).first()).toBeUndefined();
  });
});

describe('the new messages', () => {
  it('are catalogue texts, so every language shows them', () => {
    const texts = [
      ...Object.values(cnpMessages),
      ...Object.values(identifierSettingMessages),
      formMessages.identifierOrReason,
      formMessages.noIdentifierReason,
      formMessages.postalCodeFormat,
    ];
    expect(texts.filter((text) => !keyOfEnglish(text))).toEqual([]);
  });
});
