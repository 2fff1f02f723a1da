/**
 * The patient and schedules pages in Hungarian and Romanian with real data: the record (name in the
 * language's order, dates and identifier in its formats), the edit form and a refused edit (422,
 * nothing changed), and a schedule page's flash after generating slots. English stays as it was.
 */
import { makeTestApp, loginAs, type TestApp, type LoggedIn } from './helpers';

let t: TestApp;
let admin: LoggedIn;
let patientId: number;
beforeAll(async () => {
  t = await makeTestApp({ demo: true });
  admin = await loginAs(t.app, 'admin');
  const row = await t.db('patients').where({ family_name: 'Kovács', given_name: 'János' }).first();
  patientId = row.id;
});
afterAll(async () => {
  await t.db.destroy();
});

const get = (path: string, lang: string) => admin.agent.get(path).set('Accept-Language', lang);

describe('patient record', () => {
  it('writes the Hungarian name family first, the date of birth the Hungarian way', async () => {
    const res = await get(`/patients/${patientId}`, 'hu');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>Kovács János</h1>');
    expect(res.text).toContain('<dt>Születési dátum</dt><dd>1968. 03. 14.</dd>');
    expect(res.text).toContain('TAJ 111 222 337');
    expect(res.text).toContain('Időpont foglalása ennek a betegnek');
    expect(res.text).toContain('<dt>Nyilvántartásba vette</dt><dd>Klinika</dd>');
  });

  it('writes the Romanian name given name first, dates as 14.03.1968', async () => {
    const res = await get(`/patients/${patientId}`, 'ro');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>János Kovács</h1>');
    expect(res.text).toContain('<dt>Data nașterii</dt><dd>14.03.1968</dd>');
    expect(res.text).toContain('Programează acest pacient');
  });

  it('writes the English name given name first', async () => {
    const res = await get(`/patients/${patientId}`, 'en');
    expect(res.text).toContain('<h1>János Kovács</h1>');
    expect(res.text).toContain('<dt>Date of birth</dt><dd>1968-03-14</dd>');
    expect(res.text).toContain('Book for this patient');
  });

  it('lists search results with Hungarian labels and the Passport type translated in the form', async () => {
    const res = await get('/patients?q=kov', 'hu');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<th scope="col">Születési dátum</th>');
    expect(res.text).toContain('>Kovács János</a>');
    const form = await get('/patients/new', 'ro');
    expect(form.text).toContain('>Număr de pașaport</option>');
    expect(form.text).toContain('<label for="family_name">Nume de familie</label>');
  });

  it('refuses a bad edit with Hungarian messages (422) and changes nothing', async () => {
    const before = await t.db('patients').where({ id: patientId }).first();
    const res = await admin.agent
      .post(`/patients/${patientId}/edit`)
      .set('Accept-Language', 'hu')
      .type('form')
      .send({
        _csrf: admin.csrf,
        family_name: 'Kovács',
        given_name: '',
        birth_date: '1968-03-14',
        id_type: 'taj',
        id_number: '111222338',
        phone: '',
        email: 'nem-email',
      });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Kérjük, javítsa a megjelölt mezőket.');
    expect(res.text).toContain('Adja meg az utónevet.');
    expect(res.text).toContain('Ez a TAJ-szám érvénytelen (az ellenőrző számjegy nem egyezik).');
    expect(res.text).toContain('Ez nem érvényes e-mail-cím.');
    expect(res.text).not.toMatch(/Please|not valid/);
    expect(await t.db('patients').where({ id: patientId }).first()).toEqual(before);
  });

  it('shows a Romanian duplicate identifier warning on the new patient form', async () => {
    const res = await admin.agent.post('/patients/new').set('Accept-Language', 'ro').type('form').send({
      _csrf: admin.csrf,
      family_name: 'Altul',
      given_name: 'Ion',
      birth_date: '1970-01-01',
      id_type: 'taj',
      id_number: '111 222 337',
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Există deja un pacient înregistrat cu acest număr de identificare.');
    expect(res.text).toContain('János Kovács, născut(ă) la 14.03.1968 (TAJ 111 222 337)');
  });
});

describe('schedules pages', () => {
  it('lists schedules with Hungarian weekdays, minutes and dates', async () => {
    const res = await get('/settings/schedules', 'hu');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>Rendelési idők</h1>');
    expect(res.text).toMatch(/\bSze 08:00-16:00/);
    expect(res.text).toContain('20 perc');
    const en = await get('/settings/schedules', 'en');
    expect(en.text).toMatch(/\bWed 08:00-16:00/);
    expect(en.text).toContain('20 min');
  });

  it("orders the new schedule's doctors by family name in the language's collation (Ábrahám before Zámbó)", async () => {
    await t.db('doctors').insert([
      { name: 'Dr. Béla Zámbó', active: true },
      { name: 'Dr. Zita Ábrahám', active: true },
    ]);
    const at = (html: string, name: string) => html.indexOf(`>${name}</option>`);
    // By given name Béla would come first; in binary order Z before Á: neither.
    const hu = await get('/settings/schedules/new', 'hu');
    expect(hu.status).toBe(200);
    expect(at(hu.text, 'Dr. Ábrahám Zita')).toBeGreaterThan(0);
    expect(at(hu.text, 'Dr. Ábrahám Zita')).toBeLessThan(at(hu.text, 'Dr. Zámbó Béla'));
    const en = await get('/settings/schedules/new', 'en');
    expect(at(en.text, 'Dr. Zita Ábrahám')).toBeGreaterThan(0);
    expect(at(en.text, 'Dr. Zita Ábrahám')).toBeLessThan(at(en.text, 'Dr. Béla Zámbó'));
  });

  it('reports generated slots in Romanian, and a refused range in Romanian (422)', async () => {
    const schedule = await t.db('schedules').orderBy('id').first();
    const bad = await admin.agent
      .post(`/settings/schedules/${schedule.id}/generate`)
      .set('Accept-Language', 'ro')
      .type('form')
      .send({ _csrf: admin.csrf, from: '2027-01-10', to: '2027-01-01' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('cel mult 366 de zile');
    const ok = await admin.agent
      .post(`/settings/schedules/${schedule.id}/generate`)
      .set('Accept-Language', 'ro')
      .type('form')
      .send({ _csrf: admin.csrf, from: '2027-01-04', to: '2027-01-08' });
    expect(ok.status).toBe(303);
    const page = await get(ok.headers.location, 'ro');
    expect(page.text).toMatch(/Intervalele au fost generate\. Create: \d+, păstrate: \d+, eliminate: \d+/);
    expect(page.text).toContain('Intervale în 04.01.2027');
  });
});
