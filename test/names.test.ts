/**
 * Names of persons in the reader's language's order, from one rule (src/i18n/formats.ts):
 * Hungarian family name first ("Kovács János"), English and Romanian given name first ("János
 * Kovács"); doctors (one name field, "Dr. Anna Kovács") likewise ("Dr. Kovács Anna" in Hungarian),
 * and lists of doctors by family name in the language's collation.
 */
import { formatsFor, nameParts, personNameIn } from '../src/i18n/formats';
import { FixedClock } from '../src/lib/clock';
import { makeTestApp, loginAs, type LoggedIn, type TestApp } from './helpers';
import { demoIds, holdCardioConsult, save, type DemoIds } from './booking-helpers';

const f = (lang: 'en' | 'hu' | 'ro') => formatsFor(lang, { currency: 'HUF', enLocale: 'en-GB' });

describe('the name formatter', () => {
  it('orders a patient name by language: hu family first, en and ro given first', () => {
    expect(f('hu').personName('János', 'Kovács')).toBe('Kovács János');
    expect(f('en').personName('János', 'Kovács')).toBe('János Kovács');
    expect(f('ro').personName('Ion', 'Popescu')).toBe('Ion Popescu');
    expect(f('hu').personName('Anna Mária', 'Nagy-Kovács')).toBe('Nagy-Kovács Anna Mária');
    expect(personNameIn('en', 'Anna', 'Kovács')).toBe('Anna Kovács');
    expect(personNameIn('hu', 'Anna', 'Kovács')).toBe('Kovács Anna');
  });

  it('reads a one-field name as title, given names, family name (last word), suffix', () => {
    expect(nameParts('Dr. Anna Kovács')).toEqual({
      title: 'Dr.',
      given: 'Anna',
      family: 'Kovács',
      suffix: '',
    });
    expect(nameParts('Prof. Dr. Anna Mária Kovács-Nagy, PhD')).toEqual({
      title: 'Prof. Dr.',
      given: 'Anna Mária',
      family: 'Kovács-Nagy',
      suffix: ', PhD',
    });
    expect(nameParts('Dr Adams')).toEqual({ title: 'Dr', given: '', family: 'Adams', suffix: '' });
    expect(nameParts('Huber')).toEqual({ title: '', given: '', family: 'Huber', suffix: '' });
  });

  it('writes a doctor in the language\u2019s order, the title in front, the suffix at the end', () => {
    expect(f('hu').writtenName('Dr. Anna Kovács')).toBe('Dr. Kovács Anna');
    expect(f('en').writtenName('Dr. Anna Kovács')).toBe('Dr. Anna Kovács');
    expect(f('ro').writtenName('Dr. Ion Popescu')).toBe('Dr. Ion Popescu');
    expect(f('hu').writtenName('Prof. Dr.  Anna Mária Kovács, PhD')).toBe('Prof. Dr. Kovács Anna Mária, PhD');
    expect(f('ro').writtenName('Prof. Dr.  Anna Mária Kovács, PhD')).toBe('Prof. Dr. Anna Mária Kovács, PhD');
    // One word, or a text that is no name at all, stays as it is.
    expect(f('hu').writtenName('Huber')).toBe('Huber');
    expect(f('hu').writtenName('=HYPERLINK("http://x.example","Dr")')).toBe(
      '=HYPERLINK("http://x.example","Dr")',
    );
  });

  it('lists persons by family name in the language\u2019s collation (hu: Cs after C, Ö after O)', () => {
    const doctors = [
      { name: 'Dr. Béla Ökrös' },
      { name: 'Dr. Anna Csonka' },
      { name: 'Dr. Zita Cseh' },
      { name: 'Dr. Ádám Oláh' },
      { name: 'Dr. Ödön Cirok' },
    ];
    expect(
      f('hu')
        .peopleByFamily(doctors)
        .map((d) => d.name),
    ).toEqual(['Dr. Cirok Ödön', 'Dr. Cseh Zita', 'Dr. Csonka Anna', 'Dr. Oláh Ádám', 'Dr. Ökrös Béla']);
    // English collation: Ö is an O, Cs a C followed by s.
    expect(
      f('en')
        .peopleByFamily(doctors)
        .map((d) => d.name),
    ).toEqual(['Dr. Ödön Cirok', 'Dr. Zita Cseh', 'Dr. Anna Csonka', 'Dr. Béla Ökrös', 'Dr. Ádám Oláh']);
    // Same family name: by given name.
    expect(
      f('ro')
        .sortByFamily(['Dr. Radu Pop', 'Dr. Ana Pop', 'Dr. Ștefan Ene'], nameParts)
        .map((n) => f('ro').writtenName(n)),
    ).toEqual(['Dr. Ștefan Ene', 'Dr. Ana Pop', 'Dr. Radu Pop']);
  });
});

describe('pages in en, hu and ro', () => {
  let t: TestApp;
  let admin: LoggedIn;
  let ids: DemoIds;
  let bookedId: string;
  let doctor: string;
  const given = (lang: 'en' | 'hu' | 'ro') => (lang === 'hu' ? 'Kovács János' : 'János Kovács');
  const other = (lang: 'en' | 'hu' | 'ro') => (lang === 'hu' ? 'János Kovács' : 'Kovács János');
  const get = (path: string, lang: string) => admin.agent.get(path).set('Accept-Language', lang);

  beforeAll(async () => {
    t = await makeTestApp({ demo: true, clock: new FixedClock('2027-01-18T06:00:00.000Z') });
    admin = await loginAs(t.app, 'admin');
    ids = await demoIds(t.db);
    const booked = await holdCardioConsult(t.db, admin, ids, { partner: ids.alfa }, t.clock);
    const saved = await save(admin, booked.token, ids.janos);
    expect(saved.status).toBe(303);
    bookedId = /\/booking\/confirmation\/(\d+)$/.exec(saved.headers.location)![1];
    doctor = (await t.db('doctors').where({ id: booked.slot.doctor_id }).first()).name;
    expect(doctor).toMatch(/^Dr\. \p{L}+ \p{L}+$/u);
  });
  afterAll(async () => {
    await t.db.destroy();
  });

  const doctorIn = (lang: 'en' | 'hu' | 'ro') => f(lang).writtenName(doctor);

  it.each(['en', 'hu', 'ro'] as const)('patient page (%s): heading and facts in the order', async (lang) => {
    const res = await get(`/patients/${ids.janos}`, lang);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<h1>${given(lang)}</h1>`);
    expect(res.text).not.toContain(other(lang));
    // The patient's bookings name their doctor the same way.
    expect(res.text).toContain(`<td>${doctorIn(lang)}</td>`);
  });

  it.each(['en', 'hu', 'ro'] as const)('confirmation (%s): patient and doctor in the order', async (lang) => {
    const res = await get(`/booking/confirmation/${bookedId}`, lang);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<dd>${given(lang)}</dd>`);
    expect(res.text).toContain(`<dd>${doctorIn(lang)}</dd>`);
    expect(res.text).not.toContain(other(lang));
  });

  it('writes the Hungarian doctor family first, the English and Romanian given first', () => {
    expect(doctorIn('hu')).not.toBe(doctor);
    expect(doctorIn('en')).toBe(doctor);
    expect(doctorIn('ro')).toBe(doctor);
  });

  it.each(['en', 'hu', 'ro'] as const)(
    'bookings list (%s): rows and booking page in the order, doctors filter by family name',
    async (lang) => {
      const res = await get('/bookings', lang);
      expect(res.status).toBe(200);
      const row = new RegExp(`<tr data-booking-id="${bookedId}">[\\s\\S]*?</tr>`).exec(res.text);
      expect(row).not.toBeNull();
      expect(row![0]).toContain(`<td>${given(lang)}</td>`);
      expect(row![0]).toContain(`<td>${doctorIn(lang)}</td>`);
      expect(res.text).not.toContain(other(lang));
      const select = /<select id="doctor"[^>]*>([\s\S]*?)<\/select>/.exec(res.text)![1];
      const names = [...select.matchAll(/<option value="\d+"[^>]*>([^<]+)<\/option>/g)].map((m) => m[1]);
      // By family name (Huber, Kovács, Nagy, Szabó, Tóth), not by the given name the field starts with.
      expect(names).toEqual(
        lang === 'hu'
          ? ['Dr. Huber Lukas', 'Dr. Kovács Anna', 'Dr. Nagy Péter', 'Dr. Szabó Eszter', 'Dr. Tóth Gábor']
          : ['Dr. Lukas Huber', 'Dr. Anna Kovács', 'Dr. Péter Nagy', 'Dr. Eszter Szabó', 'Dr. Gábor Tóth'],
      );
      const detail = await get(`/bookings/${bookedId}`, lang);
      expect(detail.status).toBe(200);
      expect(detail.text).toContain(given(lang));
      expect(detail.text).toContain(`<dd>${doctorIn(lang)}</dd>`);
    },
  );

  it.each(['en', 'hu', 'ro'] as const)(
    'patient search results (%s): the page, the fragment and the dialog',
    async (lang) => {
      const page = await get('/patients?q=kovacs', lang);
      expect(page.status).toBe(200);
      expect(page.text).toContain(`>${given(lang)}</a>`);
      expect(page.text).not.toContain(other(lang));
      const fragment = await get('/patients?q=kov%C3%A1cs%20j', lang).set('HX-Request', 'true');
      expect(fragment.status).toBe(200);
      expect(fragment.text).toContain(`>${given(lang)}</a>`);
      const held = await holdCardioConsult(t.db, admin, ids, { partner: ids.alfa }, t.clock);
      const search = await get(`/reservations/${held.token}?q=kovacs`, lang);
      expect(search.status).toBe(200);
      expect(search.text).toMatch(new RegExp(`<label for="patient-\\d+">${given(lang)}, `));
      expect(search.text).toContain(`<dd>${doctorIn(lang)}</dd>`);
    },
  );

  it.each(['en', 'hu', 'ro'] as const)(
    'statistics CSV by doctor (%s): doctors in the order, rows by family name',
    async (lang) => {
      const res = await get('/statistics.csv?from=2027-01-01&to=2027-03-31&group=doctor', lang);
      expect(res.status).toBe(200);
      const sep = lang === 'en' ? ',' : ';';
      const lines = res.text
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      const labels = lines.slice(1, -1).map((l) => l.split(sep)[0]);
      expect(labels.length).toBeGreaterThan(1);
      expect(labels).toContain(doctorIn(lang));
      const parts = labels.map((l) => (lang === 'hu' ? l.split(' ')[1] : nameParts(l).family));
      expect(parts).toEqual([...parts].sort(new Intl.Collator(lang === 'en' ? 'en-GB' : lang).compare));
      for (const l of labels) expect(l).toMatch(/^Dr\. \S+ \S+$/);
      if (lang === 'hu') expect(labels).not.toContain(doctor);
      // The page's table says the same as the CSV.
      const html = await get('/statistics?from=2027-01-01&to=2027-03-31&group=doctor', lang);
      expect(html.status).toBe(200);
      for (const l of labels) expect(html.text).toContain(l);
    },
  );

  it('titles a doctor\u2019s and a service\u2019s edit page in the language (the title is not matched back from English)', async () => {
    const id = (await t.db('doctors').where({ name: 'Dr. Anna Kovács' }).first()).id;
    const hu = await get(`/settings/doctors/${id}`, 'hu');
    expect(hu.status).toBe(200);
    expect(hu.text).toContain('<h1>Orvos: Dr. Anna Kovács</h1>');
    const ro = await get(`/settings/services/${ids.cardioConsult}`, 'ro');
    expect(ro.text).toContain('<h1>Serviciu: Cardiology consultation</h1>');
    const en = await get(`/settings/doctors/${id}`, 'en');
    expect(en.text).toContain('<h1>Doctor: Dr. Anna Kovács</h1>');
  });
});
