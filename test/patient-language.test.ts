/**
 * The patient's language for messages (patients.language, migration 031): set on the patient forms
 * (Add new patient, the New patient form in the reservation dialog, Edit), validated (422 beside
 * the field, nothing changed), kept across every dialog button, audited on edit, shown on the
 * patient's page, and followed by the e-mail a booking queues (mail_outbox.language).
 */
import { FixedClock } from '../src/lib/clock';
import { makeTestApp, loginAs, type TestApp, type LoggedIn } from './helpers';
import {
  demoIds,
  freeSlot,
  holdCardioConsult,
  reserve,
  save,
  tokenOf,
  type DemoIds,
} from './booking-helpers';

let t: TestApp;
let ids: DemoIds;
let desk: LoggedIn;

beforeEach(async () => {
  t = await makeTestApp({ demo: true, clock: new FixedClock('2027-01-18T06:00:00.000Z') });
  ids = await demoIds(t.db);
  desk = await loginAs(t.app, 'desk');
});
afterEach(() => t.db.destroy());

let n = 0;
/** A New patient form's fields: a unique passport number each time. */
function patientForm(extra: Record<string, string> = {}): Record<string, string> {
  n += 1;
  return {
    family_name: 'Nyelvész',
    given_name: `Ilona${'abcdefghij'[n % 10]}`,
    birth_date: '1984-05-06',
    id_type: 'passport',
    id_number: `LG${String(1000000 + n)}`,
    phone: '',
    email: `ilona${n}@example.org`,
    ...extra,
  };
}

const post = (u: LoggedIn, path: string, fields: Record<string, string | number>) =>
  u.agent
    .post(path)
    .type('form')
    .send({ ...fields, _csrf: u.csrf });

const patientCount = async () => Number((await t.db('patients').count({ n: '*' }).first())!.n);
const byPassport = (number: string) =>
  t.db('patients').where({ id_type: 'passport', id_number: number }).first();

/** The option of the language select that is selected ('' for the clinic's default). */
function selectedLanguage(html: string): string | null {
  const select = /<select id="patient_language" name="language"[^>]*>([\s\S]*?)<\/select>/.exec(html);
  if (!select) return null;
  return /<option value="([a-z]*)"(?: lang="[a-z]+")? selected>/.exec(select[1])?.[1] ?? '';
}

async function enableMail() {
  const admin = await loginAs(t.app, 'admin');
  const res = await post(admin, '/settings/outbox/enabled', { enabled: '1' });
  expect(res.status).toBe(303);
}

describe('Add new patient (/patients/new)', () => {
  it('offers the clinic\u2019s default, English, Magyar and Română, the default chosen', async () => {
    const page = await desk.agent.get('/patients/new');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<label for="patient_language">Language for messages</label>');
    const select = /<select id="patient_language"[^>]*>([\s\S]*?)<\/select>/.exec(page.text)![1];
    expect([...select.matchAll(/<option value="([a-z]*)"/g)].map((m) => m[1])).toEqual([
      '',
      'en',
      'hu',
      'ro',
    ]);
    expect(select).toContain('>The clinic\u2019s default</option>');
    expect(select).toContain('>Română</option>');
    expect(selectedLanguage(page.text)).toBe('');
  });

  it('saves the chosen language, audits it, and shows it on the patient page', async () => {
    const form = patientForm({ language: 'hu' });
    const res = await post(desk, '/patients/new', form);
    expect(res.status).toBe(303);
    const row = await byPassport(form.id_number);
    expect(row.language).toBe('hu');
    const entry = await t.db('audit_log').where({ action: 'patient.created', entity_id: row.id }).first();
    expect(JSON.parse(entry.details).language).toBe('hu');
    const page = await desk.agent.get(`/patients/${row.id}`);
    expect(page.text).toMatch(/<dt>Language for messages<\/dt><dd class="patient-language">Magyar<\/dd>/);
  });

  it('stores no language (null) when the clinic\u2019s default is chosen', async () => {
    const form = patientForm({ language: '' });
    expect((await post(desk, '/patients/new', form)).status).toBe(303);
    const row = await byPassport(form.id_number);
    expect(row.language).toBeNull();
    const page = await desk.agent.get(`/patients/${row.id}`);
    expect(page.text).toContain('<dd class="patient-language">The clinic\u2019s default</dd>');
  });

  it.each([
    ['de', 'de'],
    ['EN', 'EN'],
    ['english', 'english'],
    ['300 characters', 'x'.repeat(300)],
  ])('refuses the language %s (422 beside the field), registers nobody', async (_name, bad) => {
    const before = await patientCount();
    const form = patientForm({ language: bad });
    const res = await post(desk, '/patients/new', form);
    expect(res.status).toBe(422);
    expect(res.text).toContain(
      '<span class="field-error" id="language-error">Choose English, Magyar or Română, or the clinic\u2019s default.</span>',
    );
    expect(res.text).toMatch(/<select id="patient_language"[^>]*aria-invalid="true"/);
    // What was typed comes back.
    expect(res.text).toContain(`value="${form.id_number}"`);
    expect(await patientCount()).toBe(before);
  });

  it('says the refusal in Hungarian on a Hungarian page', async () => {
    await post(desk, '/account/language', { language: 'hu' });
    const res = await post(desk, '/patients/new', patientForm({ language: 'de' }));
    expect(res.status).toBe(422);
    expect(res.text).toContain(
      'id="language-error">Válasszon: English, Magyar vagy Română, vagy a klinika alapértelmezése.</span>',
    );
    expect(res.text).toContain('<label for="patient_language">Üzenetek nyelve</label>');
  });
});

describe('Edit patient (/patients/:id/edit)', () => {
  async function registered(language = '') {
    const form = patientForm({ language });
    expect((await post(desk, '/patients/new', form)).status).toBe(303);
    return { form, id: (await byPassport(form.id_number)).id as number };
  }

  it('shows the stored language chosen, changes it, and audits the old and the new value', async () => {
    const { form, id } = await registered('hu');
    const page = await desk.agent.get(`/patients/${id}/edit`);
    expect(page.status).toBe(200);
    expect(selectedLanguage(page.text)).toBe('hu');

    const res = await post(desk, `/patients/${id}/edit`, { ...form, language: 'ro' });
    expect(res.status).toBe(303);
    expect((await t.db('patients').where({ id }).first()).language).toBe('ro');
    const entry = await t.db('audit_log').where({ action: 'patient.updated', entity_id: id }).first();
    expect(JSON.parse(entry.details)).toEqual({ before: { language: 'hu' }, after: { language: 'ro' } });

    // Back to the clinic's default: stored as null, audited as ''.
    expect((await post(desk, `/patients/${id}/edit`, { ...form, language: '' })).status).toBe(303);
    expect((await t.db('patients').where({ id }).first()).language).toBeNull();
    const entries = await t.db('audit_log').where({ action: 'patient.updated', entity_id: id }).orderBy('id');
    expect(JSON.parse(entries[1].details)).toEqual({ before: { language: 'ro' }, after: { language: '' } });
  });

  it('leaves an unchanged language out of the audit entry', async () => {
    const { form, id } = await registered('en');
    expect(
      (await post(desk, `/patients/${id}/edit`, { ...form, language: 'en', phone: '+36 1 234 5678' })).status,
    ).toBe(303);
    const entry = await t.db('audit_log').where({ action: 'patient.updated', entity_id: id }).first();
    expect(Object.keys(JSON.parse(entry.details).after)).toEqual(['phone']);
  });

  it('refuses a language that is not one of the three (422 beside the field), changes nothing', async () => {
    const { form, id } = await registered('hu');
    const res = await post(desk, `/patients/${id}/edit`, {
      ...form,
      language: 'fr',
      phone: '+36 1 234 5678',
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('id="language-error">Choose English, Magyar or Română');
    const row = await t.db('patients').where({ id }).first();
    expect([row.language, row.phone]).toEqual(['hu', '']);
    expect(await t.db('audit_log').where({ action: 'patient.updated', entity_id: id })).toHaveLength(0);
  });
});

describe('the New patient form in the reservation dialog', () => {
  it('keeps the chosen language across Search, a refused Add new patient and a refused Save', async () => {
    const { token } = await holdCardioConsult(t.db, desk, ids, { channel: ids.reception }, t.clock);
    const typed = patientForm({ language: 'ro' });

    const searched = await post(desk, `/reservations/${token}/search`, { q: 'Nyelv', ...typed });
    expect(searched.status).toBe(200);
    expect(selectedLanguage(searched.text)).toBe('ro');

    const badAdd = await post(desk, `/reservations/${token}/patients`, { ...typed, given_name: '' });
    expect(badAdd.status).toBe(422);
    expect(selectedLanguage(badAdd.text)).toBe('ro');

    const badSave = await post(desk, `/reservations/${token}/book`, { ...typed, birth_date: 'yesterday' });
    expect(badSave.status).toBe(422);
    expect(selectedLanguage(badSave.text)).toBe('ro');

    const wrongLanguage = await post(desk, `/reservations/${token}/patients`, { ...typed, language: 'xx' });
    expect(wrongLanguage.status).toBe(422);
    expect(wrongLanguage.text).toContain('id="language-error">Choose English, Magyar or Română');
    expect(await byPassport(typed.id_number)).toBeUndefined();

    const added = await post(desk, `/reservations/${token}/patients`, typed);
    expect(added.status).toBe(303);
    expect((await byPassport(typed.id_number)).language).toBe('ro');
  });
});

describe('the e-mail a booking queues', () => {
  it('is written in the language set on the form (Save registers and books in one go), then the edited one', async () => {
    await enableMail();
    const first = await holdCardioConsult(t.db, desk, ids, { channel: ids.reception }, t.clock);
    const typed = patientForm({ language: 'hu' });
    const saved = await post(desk, `/reservations/${first.token}/book`, typed);
    expect(saved.status).toBe(303);
    const patient = await byPassport(typed.id_number);
    expect(patient.language).toBe('hu');
    const firstMail = await t.db('mail_outbox').orderBy('id', 'desc').first();
    expect(firstMail).toMatchObject({ kind: 'booked', recipient: typed.email, language: 'hu' });

    expect((await post(desk, `/patients/${patient.id}/edit`, { ...typed, language: 'ro' })).status).toBe(303);
    // A day after the first appointment, so the same patient has no overlapping booking.
    const later = await freeSlot(
      t.db,
      ids.buda,
      ids.cardioConsult,
      1,
      new FixedClock(String(first.slot.starts_at)),
    );
    const held = await reserve(desk, {
      channel: ids.reception,
      institution: ids.buda,
      service: ids.cardioConsult,
      slot: later.id,
      week: later.local_date,
    });
    const booked = await save(desk, tokenOf(held.headers.location), patient.id);
    expect(booked.status).toBe(303);
    const secondMail = await t.db('mail_outbox').orderBy('id', 'desc').first();
    expect(secondMail.id).not.toBe(firstMail.id);
    expect(secondMail).toMatchObject({ kind: 'booked', language: 'ro' });
  });
});
