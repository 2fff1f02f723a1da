/** Correcting a patient's record: validated like registration, duplicate-checked, audited, scoped. */
import { makeTestApp, loginAs, type TestApp, type LoggedIn } from './helpers';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp({ demo: true });
});
afterEach(() => t.db.destroy());

async function grantPatients(username: string) {
  const row = await t.db('users').select('id').where({ username }).first();
  await t.db('user_permissions').insert({ user_id: row.id, permission: 'patients' });
}

const patientNamed = (family: string, given: string) =>
  t.db('patients').where({ family_name: family, given_name: given }).first();

function formOf(p: Record<string, string>) {
  return {
    family_name: p.family_name,
    given_name: p.given_name,
    birth_date: p.birth_date,
    id_type: p.id_type,
    id_number: p.id_number,
    phone: p.phone,
    email: p.email,
  };
}

const edit = (u: LoggedIn, id: number, fields: Record<string, string>) =>
  u.agent
    .post(`/patients/${id}/edit`)
    .type('form')
    .send({ ...fields, _csrf: u.csrf });

describe('POST /patients/:id/edit', () => {
  it('corrects a phone number and audits the old and new value', async () => {
    const desk = await loginAs(t.app, 'desk');
    const janos = await patientNamed('Kovács', 'János');
    const form = await desk.agent.get(`/patients/${janos.id}/edit`);
    expect(form.status).toBe(200);
    expect(form.text).toContain(`value="${janos.phone}"`);
    const res = await edit(desk, janos.id, { ...formOf(janos), phone: '+36 1 999 8888' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/patients/${janos.id}`);
    expect((await patientNamed('Kovács', 'János')).phone).toBe('+36 1 999 8888');
    const entry = await t.db('audit_log').where({ action: 'patient.updated', entity_id: janos.id }).first();
    expect(JSON.parse(entry.details)).toEqual({
      before: { phone: janos.phone },
      after: { phone: '+36 1 999 8888' },
    });
    const page = await desk.agent.get(res.headers.location);
    expect(page.text).toContain('The patient\u2019s record was corrected.');
    expect(page.text).toContain('+36 1 999 8888');
  });

  it('fixes a misspelled name (search finds the new spelling)', async () => {
    const desk = await loginAs(t.app, 'desk');
    const janos = await patientNamed('Kovács', 'János');
    expect((await edit(desk, janos.id, { ...formOf(janos), given_name: 'János Péter' })).status).toBe(303);
    expect((await desk.agent.get('/patients?q=kovacs janos p')).text).toContain('János Péter Kovács');
  });

  it('refuses bad values as on registration (422), keeps them, changes nothing', async () => {
    const desk = await loginAs(t.app, 'desk');
    const janos = await patientNamed('Kovács', 'János');
    const res = await edit(desk, janos.id, { ...formOf(janos), phone: 'abc', birth_date: '2999-01-01' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('id="phone-error"');
    expect(res.text).toContain('id="birth_date-error"');
    expect(res.text).toContain('value="abc"');
    expect(await patientNamed('Kovács', 'János')).toEqual(janos);
    expect(await t.db('audit_log').where({ action: 'patient.updated' }).first()).toBeUndefined();
  });

  it("refuses another patient's identifier (422) and keeps uniqueness", async () => {
    const desk = await loginAs(t.app, 'desk');
    const janos = await patientNamed('Kovács', 'János');
    const maria = await patientNamed('Szabó', 'Mária');
    const res = await edit(desk, janos.id, { ...formOf(janos), id_number: maria.id_number });
    expect(res.status).toBe(422);
    expect(res.text).toContain('A patient with this identifier is already registered.');
    expect((await patientNamed('Kovács', 'János')).id_number).toBe(janos.id_number);
  });

  it('asks before making the record a name-and-birth-date twin of another patient', async () => {
    const desk = await loginAs(t.app, 'desk');
    const janos = await patientNamed('Kovács', 'János');
    const maria = await patientNamed('Szabó', 'Mária');
    const twin = {
      ...formOf(janos),
      family_name: 'Szabó',
      given_name: 'Mária',
      birth_date: maria.birth_date,
    };
    const res = await edit(desk, janos.id, twin);
    expect(res.status).toBe(422);
    expect(res.text).toContain('Create anyway');
    expect((await edit(desk, janos.id, { ...twin, confirm_duplicate: '1' })).status).toBe(303);
  });

  it("lets a partner user edit their partner's patient but never a clinic patient they may not see (404)", async () => {
    await grantPatients('alfa');
    const alfa = await loginAs(t.app, 'alfa');
    const anna = await patientNamed('Müller', 'Anna');
    expect((await edit(alfa, anna.id, { ...formOf(anna), phone: '+43 1 234567' })).status).toBe(303);
    const janos = await patientNamed('Kovács', 'János');
    // Alfa may not see clinic records in the demo unless the partner allows it: then 404 and nothing changed.
    const sees = (await t.db('partners').where({ name: 'Alfa Health Insurance' }).first())
      .can_see_patient_records;
    if (!sees) {
      expect((await alfa.agent.get(`/patients/${janos.id}/edit`)).status).toBe(404);
      expect((await edit(alfa, janos.id, { ...formOf(janos), phone: '+36 1 000 0000' })).status).toBe(404);
      expect((await patientNamed('Kovács', 'János')).phone).toBe(janos.phone);
    }
    const laszlo = await patientNamed('Varga', 'László');
    expect((await edit(alfa, laszlo.id, { ...formOf(laszlo), phone: '+36 1 000 0000' })).status).toBe(404);
    expect((await patientNamed('Varga', 'László')).phone).toBe(laszlo.phone);
  });

  it('forbids users without the patients permission (403)', async () => {
    const viewer = await loginAs(t.app, 'viewer');
    const janos = await patientNamed('Kovács', 'János');
    expect((await viewer.agent.get(`/patients/${janos.id}/edit`)).status).toBe(403);
  });
});

describe('GET /patients/:id', () => {
  it('offers Edit and Book for this patient, which opens the choice form with the patient chosen', async () => {
    const desk = await loginAs(t.app, 'desk');
    const janos = await patientNamed('Kovács', 'János');
    const page = await desk.agent.get(`/patients/${janos.id}`);
    expect(page.text).toContain(`href="/patients/${janos.id}/edit">Edit</a>`);
    expect(page.text).toContain(`href="/partner-booking?patient=${janos.id}">Book for this patient</a>`);
    const calendar = await desk.agent.get(`/partner-booking?patient=${janos.id}`);
    expect(calendar.status).toBe(200);
    expect(calendar.text).toMatch(
      /Booking for <strong>János Kovács, born 1968-03-14 \(TAJ \d{3} \d{3} \d{3}\)<\/strong>/,
    );
  });
});
