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

const names = (results: { familyName: string; givenName: string }[]) => results.map((p) => `${p.familyName} ${p.givenName}`).sort();

describe('searchPatients', () => {
  beforeEach(async () => {
    t = await makeTestApp({ demo: true });
  });

  it('finds accented names from plain, upper-case and accented input', async () => {
    const desk = await userNamed('desk');
    expect(names((await searchPatients(t.db, desk, 'kovacs')).results)).toEqual(['Kovacs Janos', 'Kovács János']);
    expect(names((await searchPatients(t.db, desk, 'KOVÁCS')).results)).toEqual(['Kovacs Janos', 'Kovács János']);
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
    expect(names((await searchPatients(t.db, desk, `${taj.slice(0, 3)} ${taj.slice(3, 6)} ${taj.slice(6)}`)).results)).toEqual(['Kovács János']);
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

  it('lets alfa (may see clinic records) find clinic patients by name, but not Beta\'s', async () => {
    const alfa = await userNamed('alfa');
    expect(names((await searchPatients(t.db, alfa, 'kovacs')).results)).toEqual(['Kovacs Janos', 'Kovács János']);
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
    expect(results[0]).toMatchObject({ familyName: 'Kovács', givenName: 'János', birthYear: 1968, birthDate: null, idNumber: null, restricted: true });
    const visible = await findVisiblePatient(t.db, beta, results[0].id);
    expect(visible).toMatchObject({ restricted: true, birthDate: null });
  });

  it('counts patients a partner booked as its own', async () => {
    const beta = await userNamed('beta');
    const maria = await t.db('patients').where({ family_name: 'Szabó' }).first();
    expect((await searchPatients(t.db, beta, 'szabo')).results).toHaveLength(0);
    const booking = await t.db('bookings').where({ patient_id: maria.id }).first();
    const betaPartner = await t.db('partners').where({ name: 'Beta Corporate Care' }).first();
    await t.db('bookings').where({ id: booking.id }).update({ partner_id: betaPartner.id });
    const found = (await searchPatients(t.db, beta, 'szabo')).results;
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ restricted: false, birthDate: '1975-11-02' });
  });
});

describe('createPatient', () => {
  beforeEach(async () => {
    t = await makeTestApp({ demo: true });
  });
  const valid = { family_name: 'Tóth', given_name: 'Zsófia', birth_date: '1993-06-01', id_type: 'taj', id_number: makeTaj('77788899'), phone: '+36 30 123 4567', email: 'zsofia@example.com' };

  it('creates a patient with search columns, partner attribution and an audit row', async () => {
    const alfa = await userNamed('alfa');
    const res = await createPatient(t.db, alfa, valid, { confirmDuplicate: false });
    expect(res.status).toBe('created');
    const row = await t.db('patients').where({ family_name: 'Tóth' }).first();
    expect(row).toMatchObject({ search_name: 'toth zsofia', search_name_reversed: 'zsofia toth', registered_by_partner_id: alfa.partnerId, created_by_user_id: alfa.id });
    const audit = await t.db('audit_log').where({ action: 'patient.created', entity_id: row.id }).first();
    expect(audit.actor_partner_id).toBe(alfa.partnerId);
  });

  it('refuses the same identifier even when confirmed, showing beta only name and year', async () => {
    const beta = await userNamed('beta');
    const res = await createPatient(t.db, beta, { ...valid, id_number: makeTaj('11122233') }, { confirmDuplicate: true });
    expect(res.status).toBe('duplicate');
    if (res.status !== 'duplicate') return;
    expect(res.identifierTaken).toBe(true);
    expect(res.duplicates[0]).toMatchObject({ familyName: 'Kovács', restricted: true, birthDate: null });
    expect(await t.db('patients').where({ family_name: 'Tóth' })).toHaveLength(0);
  });
});
