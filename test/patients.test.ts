import { makeTestApp, loginAs, type TestApp } from './helpers';
import { fixtures } from './fixtures';
import { loadCurrentUser } from '../src/users/users.queries';
import { searchPatients, findVisiblePatient, createPatient } from '../src/patients/patients.service';
import { makeTaj } from '../src/patients/identifiers';
import type { CurrentUser } from '../src/lib/permissions';

let t: TestApp;
afterEach(async () => {
  await t.db.destroy();
});

async function userNamed(username: string): Promise<CurrentUser> {
  const row = await t.db('users').select('id').where({ username }).first();
  return (await loadCurrentUser(t.db, row.id))!;
}

/** The demo partner users lack `patients`; these tests grant it to reach the patient pages. */
async function grantPatients(...usernames: string[]) {
  for (const username of usernames) {
    const row = await t.db('users').select('id').where({ username }).first();
    await t.db('user_permissions').insert({ user_id: row.id, permission: 'patients' });
  }
}

const names = (results: { familyName: string; givenName: string }[]) =>
  results.map((p) => `${p.familyName} ${p.givenName}`).sort();

describe('searchPatients', () => {
  beforeEach(async () => {
    t = await makeTestApp({ demo: true });
  });

  it('finds accented names from plain, upper-case and accented input', async () => {
    const desk = await userNamed('desk');
    expect(names((await searchPatients(t.db, desk, 'kovacs')).results)).toEqual([
      'Kovacs Janos',
      'Kovács János',
    ]);
    expect(names((await searchPatients(t.db, desk, 'KOVÁCS')).results)).toEqual([
      'Kovacs Janos',
      'Kovács János',
    ]);
    expect(names((await searchPatients(t.db, desk, 'szabo')).results)).toEqual(['Szabó Mária']);
    expect(names((await searchPatients(t.db, desk, 'maria sz')).results)).toEqual(['Szabó Mária']);
    expect(names((await searchPatients(t.db, desk, 'horvath ev')).results)).toEqual(['Horváth Éva']);
  });

  it('asks for at least 2 letters', async () => {
    const desk = await userNamed('desk');
    const res = await searchPatients(t.db, desk, 'k');
    expect(res.results).toHaveLength(0);
    expect(res.message).toBe('Type at least 2 letters');
  });

  it('finds identifiers only by exact match', async () => {
    const desk = await userNamed('desk');
    const taj = makeTaj('11122233');
    expect(names((await searchPatients(t.db, desk, taj)).results)).toEqual(['Kovács János']);
    expect(
      names(
        (await searchPatients(t.db, desk, `${taj.slice(0, 3)} ${taj.slice(3, 6)} ${taj.slice(6)}`)).results,
      ),
    ).toEqual(['Kovács János']);
    expect((await searchPatients(t.db, desk, taj.slice(0, 8))).results).toHaveLength(0);
    expect(names((await searchPatients(t.db, desk, 'pa1234567')).results)).toEqual(['Müller Anna']);
  });

  it('matches LIKE wildcards literally', async () => {
    const desk = await userNamed('desk');
    expect((await searchPatients(t.db, desk, '%%')).results).toHaveLength(0);
    expect((await searchPatients(t.db, desk, 'k%')).results).toHaveLength(0);
    expect((await searchPatients(t.db, desk, '__')).results).toHaveLength(0);
    expect((await searchPatients(t.db, desk, 'ko_acs')).results).toHaveLength(0);
    await fixtures.patient(t.db, 'O_Brien%', 'Pat');
    expect(names((await searchPatients(t.db, desk, 'o_b')).results)).toEqual(['O_Brien% Pat']);
  });
});

describe('patient tenancy', () => {
  beforeEach(async () => {
    t = await makeTestApp({ demo: true });
  });

  it("lets alfa (may see clinic records) find clinic patients by name, but not Beta's", async () => {
    const alfa = await userNamed('alfa');
    expect(names((await searchPatients(t.db, alfa, 'kovacs')).results)).toEqual([
      'Kovacs Janos',
      'Kovács János',
    ]);
    expect(names((await searchPatients(t.db, alfa, 'muller')).results)).toEqual(['Müller Anna']);
    expect((await searchPatients(t.db, alfa, 'varga')).results).toHaveLength(0);
  });

  it('lets beta (may not see clinic records) find only its own patients by name', async () => {
    const beta = await userNamed('beta');
    expect((await searchPatients(t.db, beta, 'kovacs')).results).toHaveLength(0);
    expect((await searchPatients(t.db, beta, 'muller')).results).toHaveLength(0);
    expect(names((await searchPatients(t.db, beta, 'varga')).results)).toEqual(['Varga László']);
  });

  it('shows beta a clinic patient found by exact identifier with name and birth year only', async () => {
    const beta = await userNamed('beta');
    const { results } = await searchPatients(t.db, beta, makeTaj('11122233'));
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      familyName: 'Kovács',
      givenName: 'János',
      birthYear: 1968,
      birthDate: null,
      idNumber: null,
      restricted: true,
    });
    const visible = await findVisiblePatient(t.db, beta, results[0].id);
    expect(visible).toMatchObject({ restricted: true, birthDate: null });
  });

  it('counts another partner\u2019s patients a partner booked as its own', async () => {
    const beta = await userNamed('beta');
    const anna = await t.db('patients').where({ family_name: 'Müller' }).first();
    expect(anna.registered_by_partner_id).not.toBeNull();
    expect((await searchPatients(t.db, beta, 'muller')).results).toHaveLength(0);
    const booking = await t.db('bookings').first();
    const betaPartner = await t.db('partners').where({ name: 'Beta Corporate Care' }).first();
    await t
      .db('bookings')
      .where({ id: booking.id })
      .update({ partner_id: betaPartner.id, patient_id: anna.id, status: 'booked' });
    const found = (await searchPatients(t.db, beta, 'muller')).results;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ restricted: false, birthDate: '1990-05-09' });
  });

  it('does not count a clinic patient booked by a partner that may not see clinic records (issue 15)', async () => {
    const beta = await userNamed('beta');
    const maria = await t.db('patients').where({ family_name: 'Szabó' }).first();
    expect(maria.registered_by_partner_id).toBeNull();
    const booking = await t.db('bookings').where({ patient_id: maria.id }).first();
    const betaPartner = await t.db('partners').where({ name: 'Beta Corporate Care' }).first();
    await t.db('bookings').where({ id: booking.id }).update({ partner_id: betaPartner.id, status: 'booked' });
    expect((await searchPatients(t.db, beta, 'szabo')).results).toHaveLength(0);
    expect(await findVisiblePatient(t.db, beta, maria.id)).toMatchObject({
      restricted: true,
      birthDate: null,
      idNumber: null,
    });
  });
});

describe('createPatient', () => {
  beforeEach(async () => {
    t = await makeTestApp({ demo: true });
  });
  const valid = {
    family_name: 'Tóth',
    given_name: 'Zsófia',
    birth_date: '1993-06-01',
    id_type: 'taj',
    id_number: makeTaj('77788899'),
    phone: '+36 30 123 4567',
    email: 'zsofia@example.com',
  };

  it('creates a patient with search columns, partner attribution and an audit row', async () => {
    const alfa = await userNamed('alfa');
    const res = await createPatient(t.db, alfa, valid, { confirmDuplicate: false, clock: t.clock });
    expect(res.status).toBe('created');
    const row = await t.db('patients').where({ family_name: 'Tóth' }).first();
    expect(row).toMatchObject({
      search_name: 'toth zsofia',
      search_name_reversed: 'zsofia toth',
      registered_by_partner_id: alfa.partnerId,
      created_by_user_id: alfa.id,
    });
    const audit = await t.db('audit_log').where({ action: 'patient.created', entity_id: row.id }).first();
    expect(audit.actor_partner_id).toBe(alfa.partnerId);
  });

  it('refuses the same identifier even when confirmed, showing beta only name and year', async () => {
    const beta = await userNamed('beta');
    const res = await createPatient(
      t.db,
      beta,
      { ...valid, id_number: makeTaj('11122233') },
      { confirmDuplicate: true, clock: t.clock },
    );
    expect(res.status).toBe('duplicate');
    if (res.status !== 'duplicate') return;
    expect(res.identifierTaken).toBe(true);
    expect(res.duplicates[0]).toMatchObject({ familyName: 'Kovács', restricted: true, birthDate: null });
    expect(await t.db('patients').where({ family_name: 'Tóth' })).toHaveLength(0);
  });
});

describe('GET /patients', () => {
  beforeEach(async () => {
    t = await makeTestApp({ demo: true });
  });

  it('finds "kovacs" as clinic staff, as a page and as an htmx fragment', async () => {
    const { agent } = await loginAs(t.app, 'desk');
    const page = await agent.get('/patients?q=kovacs');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<label for="q">Search patient</label>');
    expect(page.text).toContain('János Kovács');
    expect(page.text).toContain('1968-03-14');
    expect(page.text).not.toContain('Szabó');
    const fragment = await agent.get('/patients?q=szabo').set('HX-Request', 'true');
    expect(fragment.status).toBe(200);
    expect(fragment.headers.vary).toMatch(/HX-Request/);
    expect(fragment.text.trim().startsWith('<div id="patient-results"')).toBe(true);
    expect(fragment.text).toContain('Mária Szabó');
    expect(fragment.text).not.toContain('<html');
  });

  it('names identifiers the one way everywhere: "TAJ 111 222 337" in the list and on the record', async () => {
    const { agent } = await loginAs(t.app, 'desk');
    const janos = await t.db('patients').where({ family_name: 'Kovács' }).first();
    expect(janos.id_type).toBe('taj');
    const grouped = janos.id_number.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3');
    expect(grouped).toMatch(/^\d{3} \d{3} \d{3}$/);
    expect((await agent.get('/patients?q=kovacs')).text).toContain(`<td>TAJ ${grouped}</td>`);
    expect((await agent.get(`/patients/${janos.id}`)).text).toContain(`<dd>TAJ ${grouped}</dd>`);
  });

  it('matches wildcards literally and asks for 2 letters', async () => {
    const { agent } = await loginAs(t.app, 'desk');
    const wild = await agent.get('/patients?q=%25%25');
    expect(wild.status).toBe(200);
    expect(wild.text).toContain('No patient found');
    expect(wild.text).not.toContain('Kovács');
    const short = await agent.get('/patients?q=k');
    expect(short.text).toContain('Type at least 2 letters');
  });

  it('forbids users without the patients permission (403)', async () => {
    const { agent } = await loginAs(t.app, 'viewer');
    expect((await agent.get('/patients?q=kovacs')).status).toBe(403);
  });

  it("gives beta nothing of Alfa's patients: no search hit and 404 for the record", async () => {
    await grantPatients('beta');
    const anna = await t.db('patients').where({ family_name: 'Müller' }).first();
    const { agent } = await loginAs(t.app, 'beta');
    const search = await agent.get('/patients?q=muller');
    expect(search.status).toBe(200);
    expect(search.text).toContain('No patient found');
    expect(search.text).not.toContain('Müller');
    const record = await agent.get(`/patients/${anna.id}`);
    expect(record.status).toBe(404);
    expect(record.text).not.toContain('Müller');
    // Knowing her exact passport number reveals name and year only, never the birth date.
    const byId = await agent.get(`/patients?q=${anna.id_number}`);
    expect(byId.text).toContain('Anna Müller');
    expect(byId.text).not.toContain(anna.birth_date);
  });

  it('shows beta a clinic patient found by exact identifier with name and year of birth only', async () => {
    await grantPatients('beta');
    const janos = await t.db('patients').where({ family_name: 'Kovács' }).first();
    const { agent } = await loginAs(t.app, 'beta');
    expect((await agent.get('/patients?q=kovacs')).text).toContain('No patient found');
    // The record page is 404 until the user has found the patient by identifier.
    expect((await agent.get(`/patients/${janos.id}`)).status).toBe(404);
    const found = await agent.get(`/patients?q=${janos.id_number}`);
    expect(found.status).toBe(200);
    expect(found.text).toContain('János Kovács');
    expect(found.text).toContain('1968');
    expect(found.text).not.toContain('1968-03-14');
    const record = await agent.get(`/patients/${janos.id}`);
    expect(record.status).toBe(200);
    expect(record.text).toContain('Year of birth');
    expect(record.text).not.toContain('1968-03-14');
    expect(record.text).not.toContain(janos.phone);
  });

  it('shows alfa (may see clinic records) clinic patients in full', async () => {
    await grantPatients('alfa');
    const janos = await t.db('patients').where({ family_name: 'Kovács' }).first();
    const { agent } = await loginAs(t.app, 'alfa');
    expect((await agent.get('/patients?q=kovacs')).text).toContain('1968-03-14');
    const record = await agent.get(`/patients/${janos.id}`);
    expect(record.status).toBe(200);
    expect(record.text).toContain(`TAJ ${janos.id_number.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3')}`);
    expect((await agent.get('/patients/abc')).status).toBe(404);
  });
});

describe('POST /patients/new (Add new patient)', () => {
  beforeEach(async () => {
    t = await makeTestApp({ demo: true });
  });
  const form = {
    family_name: 'Kiss',
    given_name: 'Réka',
    birth_date: '1991-02-03',
    id_type: 'taj',
    id_number: makeTaj('12312312'),
    phone: '+36 20 555 1234',
    email: 'reka@example.com',
  };
  const count = async () => Number((await t.db('patients').count({ n: '*' }).first())!.n);

  it('shows the form with real labels', async () => {
    const { agent } = await loginAs(t.app, 'desk');
    const res = await agent.get('/patients/new');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>Add new patient</h1>');
    for (const [id, label] of [
      ['family_name', 'Family name'],
      ['given_name', 'Given name'],
      ['birth_date', 'Date of birth'],
      ['id_type', 'Identifier type'],
      ['id_number', 'Identifier'],
      ['phone', 'Phone'],
      ['email', 'E-mail'],
    ]) {
      expect(res.text).toContain(`<label for="${id}">${label}</label>`);
    }
  });

  it('offers the identifier types from one list, keeping the submitted choice', async () => {
    const { agent, csrf } = await loginAs(t.app, 'desk');
    const blank = await agent.get('/patients/new');
    expect(blank.text).toMatch(
      /<option value="taj" selected>TAJ \(social security number\)<\/option>\s*<option value="passport">Passport number<\/option>/,
    );
    const bad = await agent
      .post('/patients/new')
      .type('form')
      .send({ ...form, id_type: 'passport', id_number: 'x', _csrf: csrf });
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(
      /<option value="taj">TAJ \(social security number\)<\/option>\s*<option value="passport" selected>Passport number<\/option>/,
    );
  });

  it('creates a patient and shows the record', async () => {
    const { agent, csrf } = await loginAs(t.app, 'desk');
    const before = await count();
    const res = await agent
      .post('/patients/new')
      .type('form')
      .send({ ...form, _csrf: csrf });
    expect(res.status).toBe(303);
    const row = await t.db('patients').where({ family_name: 'Kiss' }).first();
    expect(res.headers.location).toBe(`/patients/${row.id}`);
    expect(await count()).toBe(before + 1);
    expect(row).toMatchObject({
      given_name: 'Réka',
      search_name: 'kiss reka',
      registered_by_partner_id: null,
      phone: '+36 20 555 1234',
    });
    const page = await agent.get(res.headers.location);
    expect(page.text).toContain('The patient was registered.');
    expect(page.text).toContain('1991-02-03');
  });

  it('refuses an invalid TAJ check digit, a future birth date and a bad e-mail (422, nothing inserted)', async () => {
    const { agent, csrf } = await loginAs(t.app, 'desk');
    const before = await count();
    const badTaj = makeTaj('12312312').slice(0, 8) + String((Number(makeTaj('12312312')[8]) + 1) % 10);
    const res = await agent
      .post('/patients/new')
      .type('form')
      .send({
        ...form,
        id_number: badTaj,
        birth_date: '2999-01-01',
        email: 'not-an-email',
        given_name: '',
        _csrf: csrf,
      });
    expect(res.status).toBe(422);
    expect(res.text).toContain('check digit does not match');
    expect(res.text).toContain('The date of birth must be in the past.');
    expect(res.text).toContain('This is not a valid e-mail address.');
    expect(res.text).toContain('Please enter the given name.');
    expect(res.text).toContain('value="Kiss"');
    expect(await count()).toBe(before);
  });

  it('rejects an impossible date and a name with digits', async () => {
    const { agent, csrf } = await loginAs(t.app, 'desk');
    const res = await agent
      .post('/patients/new')
      .type('form')
      .send({ ...form, birth_date: '1990-02-30', family_name: 'K1ss', phone: 'abc', _csrf: csrf });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Use the format YYYY-MM-DD');
    expect(res.text).toContain('Use letters, spaces, hyphens and apostrophes only.');
    expect(res.text).toContain('Use 6 to 20 digits');
    expect(await t.db('patients').where({ given_name: 'Réka' })).toHaveLength(0);
  });

  it('warns about the same name and birth date, and creates after "Create anyway"', async () => {
    const { agent, csrf } = await loginAs(t.app, 'desk');
    const before = await count();
    const twin = { ...form, family_name: 'Nagy', given_name: 'Istvan', birth_date: '1959-07-21' };
    const warned = await agent
      .post('/patients/new')
      .type('form')
      .send({ ...twin, _csrf: csrf });
    expect(warned.status).toBe(422);
    expect(warned.text).toContain('same name and date of birth');
    expect(warned.text).toContain('István Nagy, born 1959-07-21');
    expect(warned.text).toContain('name="confirm_duplicate" value="1"');
    expect(warned.text).toContain('Create anyway');
    expect(await count()).toBe(before);
    const created = await agent
      .post('/patients/new')
      .type('form')
      .send({ ...twin, confirm_duplicate: '1', _csrf: csrf });
    expect(created.status).toBe(303);
    expect(await count()).toBe(before + 1);
  });

  it('refuses the same identifier, even when confirmed', async () => {
    const { agent, csrf } = await loginAs(t.app, 'desk');
    const janos = await t.db('patients').where({ family_name: 'Kovács' }).first();
    const before = await count();
    const spaced = `${janos.id_number.slice(0, 3)} ${janos.id_number.slice(3, 6)} ${janos.id_number.slice(6)}`;
    const res = await agent
      .post('/patients/new')
      .type('form')
      .send({ ...form, id_number: spaced, confirm_duplicate: '1', _csrf: csrf });
    expect(res.status).toBe(422);
    expect(res.text).toContain('A patient with this identifier is already registered.');
    expect(res.text).not.toContain('Create anyway');
    expect(await count()).toBe(before);
  });

  it("attributes a partner user's new patient to the partner", async () => {
    await grantPatients('beta');
    const { agent, csrf } = await loginAs(t.app, 'beta');
    const res = await agent
      .post('/patients/new')
      .type('form')
      .send({ ...form, _csrf: csrf });
    expect(res.status).toBe(303);
    const beta = await t.db('partners').where({ name: 'Beta Corporate Care' }).first();
    expect((await t.db('patients').where({ family_name: 'Kiss' }).first()).registered_by_partner_id).toBe(
      beta.id,
    );
    expect((await agent.get('/patients?q=kiss')).text).toContain('Réka Kiss');
  });
});
