/**
 * Every converted page in Hungarian (and Romanian): walks the GET routes from the router, as the
 * access matrix does, renders each as the administrator with Accept-Language hu / ro, and finds no
 * missing key (the ⟦key⟧ marker) and no English left: no text node that is an English catalogue
 * text (one the language translates differently), and no text with common English words.
 *
 * The booking flow is walked with real data: both calendars with a week of slots drawn, a live
 * reservation dialog and its time left, an ended reservation, a confirmation (and, below, the 409
 * "just taken" page).
 * The patient pages and the schedules pages are covered too (with a real patient and schedule;
 * their forms and messages in test/i18n-patients-schedules.test.ts).
 */
import request from 'supertest';
import { listRoutes } from '../src/lib/router';
import { catalogues, type Language, type MessageKey } from '../src/i18n';
import { makeTestApp, loginAs, type TestApp, type LoggedIn } from './helpers';
import { concretePath } from './reliability/support';
import {
  bookElsewhere,
  demoIds,
  freeSlot,
  holdCardioConsult,
  reserve,
  save,
  tokenOf,
  type DemoIds,
} from './booking-helpers';

/** Only ever fragments (htmx polls them): no <html lang>. */
const fragments = [/\/time-left$/];

/** Routes not converted yet: none. */
const notYet: RegExp[] = [];
const notPages = [
  /^\/static\//,
  /^\/healthz$/,
  /^\/statistics\.csv$/,
  /^\/statistics\/bookings\.csv$/,
  /^\/bookings\.csv$/,
  /^\/audit-log\.csv$/,
];

let t: TestApp;
let admin: LoggedIn;
let ids: DemoIds;
/** A live reservation (the dialog), a booking made through the flow (its confirmation). */
let holdToken: string;
let bookedId: string;
/** The calendars with a week of slots drawn, and a reservation that has ended. */
let extraPaths: string[];
/** Another session of the administrator holding a move of the booking (issue 16): its reservation page. */
let mover: LoggedIn;
let movePage: string;
beforeAll(async () => {
  t = await makeTestApp({ demo: true });
  admin = await loginAs(t.app, 'admin');
  ids = await demoIds(t.db);
  const booked = await holdCardioConsult(t.db, admin, ids, { partner: ids.alfa });
  const saved = await save(admin, booked.token, ids.janos);
  expect(saved.status).toBe(303);
  bookedId = /\/booking\/confirmation\/(\d+)$/.exec(saved.headers.location)![1];
  const held = await holdCardioConsult(t.db, admin, ids, { partner: ids.alfa });
  holdToken = held.token;
  const week = held.slot.local_date;
  // Partner contracts on the calendars and their settings pages: validity dates, an allotment, a block.
  const now = new Date(0).toISOString();
  const cell = { institution_id: ids.buda, channel_id: ids.alfaChannel, service_id: ids.cardioConsult };
  await t
    .db('channel_service_validity')
    .insert({ ...cell, valid_from: '2020-01-01', valid_to: '2100-12-31', updated_at: now });
  await t.db('allotments').insert({
    partner_id: ids.alfa,
    institution_id: ids.buda,
    service_id: ids.cardioConsult,
    period: 'month',
    cap: 40,
    created_at: now,
  });
  await t.db('reserved_blocks').insert({
    partner_id: ids.alfa,
    institution_id: ids.buda,
    doctor_id: held.slot.doctor_id,
    weekdays: 127,
    from_time: '00:00',
    to_time: '24:00',
    date_from: week,
    date_to: week,
    release_value: 0,
    release_unit: 'days',
    created_at: now,
  });
  const block = await t.db('reserved_blocks').first('id');
  extraPaths = [
    `/partner-booking?partner=${ids.alfa}&institution=${ids.buda}&service=${ids.cardioConsult}&week=${week}`,
    `/booking?channel=${ids.reception}&institution=${ids.buda}&service=${ids.cardioConsult}&week=${week}`,
    `/booking?channel=${ids.reception}&institution=${ids.buda}`,
    `/reservations/${'A'.repeat(43)}`,
    `/settings/traffic-channels?institution=${ids.buda}&edit=${ids.alfaChannel}:${ids.cardioConsult}`,
    `/settings/reserved-blocks?edit=${block.id}`,
    // Issue 16: First free slots with starts listed, the day list of a day with a booking, a closure.
    `/partner-booking/first-free?partner=${ids.alfa}&institution=${ids.buda}&service=${ids.cardioConsult}`,
    `/booking/first-free?channel=${ids.reception}&institution=${ids.buda}&service=${ids.cardiacUltrasound}`,
    `/day-list?institution=${ids.buda}&date=${week}`,
    `/settings/closures?institution=${ids.buda}&year=${week.slice(0, 4)}`,
  ];
  await admin.agent
    .post('/settings/closures/holidays')
    .type('form')
    .send({
      _csrf: admin.csrf,
      institution: ids.buda,
      country: 'hu',
      year: week.slice(0, 4),
    });
  mover = await loginAs(t.app, 'admin');
  const moveSlot = await freeSlot(t.db, ids.buda, ids.cardioConsult, 3);
  const moving = await mover.agent
    .post(`/bookings/${bookedId}/move`)
    .type('form')
    .send({ slot: moveSlot.id, _csrf: mover.csrf });
  expect(moving.status).toBe(303);
  movePage = moving.headers.location;
  extraPaths.push(movePage, `/bookings/${bookedId}/move?week=${moveSlot.local_date}`);
});
afterAll(async () => {
  await t.db.destroy();
});

/** A real id for each :id route, so the page with data is rendered (999999 renders the 404 page). */
async function realId(path: string): Promise<string> {
  if (path.startsWith('/reservations/:token')) return holdToken;
  if (path === '/booking/confirmation/:id') return bookedId;
  if (path.startsWith('/bookings/:id/move')) return bookedId;
  const table: Record<string, string> = {
    '/admin/users/:id': 'users',
    '/partner/users/:id': 'users',
    '/bookings/:id': 'bookings',
    '/bookings/:id/slip': 'bookings',
    '/bookings/:id/calendar.ics': 'bookings',
    '/settings/institutions/:id': 'institutions',
    '/settings/qualifications/:id': 'qualifications',
    '/settings/services/:id': 'services',
    '/settings/doctors/:id': 'doctors',
    '/settings/partners/:id': 'partners',
    '/patients/:id': 'patients',
    '/settings/schedules/:id': 'schedules',
    '/patients/:id/edit': 'patients',
    '/settings/closures/:id/edit': 'closures',
  };
  const row = await t.db(table[path]).select('id').orderBy('id').first();
  return String(row.id);
}

const decode = (s: string) =>
  s
    .replace(/&#34;|&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The texts a person reads: text nodes, <title>, aria-labels and confirmation questions. */
function visibleTexts(html: string): string[] {
  const body = html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<!--[\s\S]*?-->/g, '');
  const attrs = [...body.matchAll(/(?:aria-label|data-confirm|placeholder)="([^"]*)"/g)].map((m) => m[1]);
  // Options of the language select name each language in itself.
  const withoutOwnNames = body.replace(/<[^>]+lang="(en|hu|ro)"[^>]*>[^<]*</g, '<');
  const nodes = withoutOwnNames.split(/<[^>]*>/);
  return [...nodes, ...attrs].map((s) => decode(s).replace(/\s+/g, ' ').trim()).filter(Boolean);
}

/** English catalogue texts that the language writes differently (so seeing them is a leftover). */
function englishLeftovers(lang: Language) {
  const exact = new Set<string>();
  const long: string[] = [];
  for (const key of Object.keys(catalogues.en) as MessageKey[]) {
    const en = catalogues.en[key];
    if (catalogues[lang][key] === en || en.includes('{')) continue;
    exact.add(en);
    if (en.length >= 25) long.push(en);
  }
  return { exact, long };
}

/** Demo data (names of the demo clinic's records) that happen to be English words. */
const demoData =
  /^(Alfa Health Insurance|Beta Corporate Care|Reception|Phone|Online|Patient asked to cancel)$/;
const englishWords = /(?<!\p{L})(the|and|of|to|with|this|your|you|for|not|yet|here|only|from|by)(?!\p{L})/iu;

async function checkPages(lang: Language): Promise<{ pages: number; problems: string[] }> {
  const { exact, long } = englishLeftovers(lang);
  const problems: string[] = [];
  let pages = 0;
  const routes = listRoutes(t.app).filter(
    (r) => r.method === 'GET' && !notYet.some((p) => p.test(r.path)) && !notPages.some((p) => p.test(r.path)),
  );
  const paths = new Set<string>();
  for (const r of routes) {
    paths.add(concretePath(r.path));
    if (r.path.includes(':')) paths.add(concretePath(r.path, () => '__id__'));
  }
  for (const p of extraPaths) paths.add(p);
  for (const template of paths) {
    const route = routes.find((r) => concretePath(r.path, () => '__id__') === template);
    const path = template.includes('__id__')
      ? template.replace('__id__', await realId(route!.path))
      : template;
    const fragment = fragments.some((p) => p.test(path));
    const agent = path === '/login' ? request.agent(t.app) : path === movePage ? mover.agent : admin.agent;
    for (const htmx of [false, true]) {
      const req = agent.get(path).set('Accept-Language', lang);
      const res = await (htmx ? req.set('HX-Request', 'true') : req);
      if (!/html/.test(res.headers['content-type'] ?? '')) continue;
      pages++;
      const label = `${lang} ${path}${htmx ? ' (htmx)' : ''} ${res.status}`;
      if (!htmx && !fragment && !res.text.includes(`<html lang="${lang}">`))
        problems.push(`${label}: html lang`);
      if (res.text.includes('\u27e6'))
        problems.push(`${label}: missing key ${/\u27e6[^\u27e7]*\u27e7/.exec(res.text)![0]}`);
      for (const text of visibleTexts(res.text)) {
        // IANA zone names (Europe/Isle_of_Man) are identifiers, not sentences.
        if (demoData.test(text) || /^[A-Za-z_]+\/[\w/+-]+$/.test(text)) continue;
        if (exact.has(text) || long.some((en) => text.includes(en)))
          problems.push(`${label}: English "${text}"`);
        else if (englishWords.test(text) && !/^[\d\s:.,–-]+$/.test(text))
          problems.push(`${label}: looks English "${text}"`);
      }
    }
  }
  return { pages, problems: [...new Set(problems)] };
}

describe('every converted page', () => {
  it.each(['hu', 'ro'] as const)('is in %s with no missing key and no English sentence', async (lang) => {
    const { pages, problems } = await checkPages(lang);
    expect(pages).toBeGreaterThan(30);
    expect(problems).toEqual([]);
  });

  it('reaches the booking flow with real data: calendar, dialog, time left, confirmation', async () => {
    const get = (path: string, lang: Language) => admin.agent.get(path).set('Accept-Language', lang);
    const cal = await get(extraPaths[0], 'hu');
    expect(cal.status).toBe(200);
    expect(cal.text).toMatch(/class="free">Szabad: \d\d:\d\d</);
    expect(cal.text).toContain('<button type="submit">Foglalás indítása</button>');
    expect(cal.text).toMatch(/<h2 class="weektitle">\d{4}\. \p{L}+\.? \d+\., \p{L}+\.? – /u);
    const dialog = await get(`/reservations/${holdToken}`, 'hu');
    expect(dialog.status).toBe(200);
    expect(dialog.text).toMatch(/Lefoglalva eddig: <strong>\d\d:\d\d<\/strong>, még \d+ perc van hátra/);
    expect(dialog.text).toContain('Írja be a név legalább 2 betűjét vagy az azonosítót.');
    const ro = await get(`/reservations/${holdToken}/time-left`, 'ro');
    expect(ro.text).toMatch(
      /Rezervat până la <strong>\d\d:\d\d<\/strong>, (a mai rămas 1 minut|au mai rămas \d+ (de )?minute)/,
    );
    const en = await get(`/reservations/${holdToken}/time-left`, 'en');
    expect(en.text).toMatch(/Reserved until <strong>\d\d:\d\d<\/strong>, \d+ minutes? left/);
    const done = await get(`/booking/confirmation/${bookedId}`, 'hu');
    expect(done.status).toBe(200);
    expect(done.text).toContain('A foglalást elmentettük.');
    expect(done.text).toContain('<dd>Kovács János</dd>');
    expect(done.text).toContain('<span class="badge partner">Partneres foglalás</span>');
    const doneRo = await get(`/booking/confirmation/${bookedId}`, 'ro');
    expect(doneRo.text).toContain('<dd>János Kovács</dd>');
    expect(doneRo.text).toMatch(/<dd>\d\d\.\d\d\.\d{4}<\/dd>/);
  });

  it('says "just taken" (409) in Hungarian and books nothing', async () => {
    const slot = await freeSlot(t.db, ids.buda, ids.cardioConsult, 2);
    const res = await reserve(admin, {
      partner: ids.alfa,
      institution: ids.buda,
      service: ids.cardioConsult,
      slot: slot.id,
    });
    const token = tokenOf(res.headers.location);
    await t.db('hold_slots').where({ slot_id: slot.id }).delete();
    await bookElsewhere(t.db, ids, slot.id, 'desk');
    const before = await t.db('bookings').count({ n: '*' }).first();
    const taken = await admin.agent
      .post(`/reservations/${token}/book`)
      .set('Accept-Language', 'hu')
      .type('form')
      .send({ patient_id: ids.janos, _csrf: admin.csrf });
    expect(taken.status).toBe(409);
    expect(taken.text).toContain('<h1>A foglalás nem jött létre</h1>');
    expect(taken.text).toContain('Ezt az időpontot az imént lefoglalták. Kérjük, válasszon másikat.');
    expect(taken.text).toContain('Vissza a naptárhoz</a>');
    expect(await t.db('bookings').count({ n: '*' }).first()).toEqual(before);
  });

  it('shows form validation in Hungarian (422) and changes nothing', async () => {
    const before = await t.db('institutions').count({ n: '*' }).first();
    const res = await admin.agent
      .post('/settings/institutions')
      .set('Accept-Language', 'hu')
      .type('form')
      .send({ _csrf: admin.csrf, name: '', address: '', time_zone: 'Europe/Budapest' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Kérjük, javítsa a megjelölt mezőket. Semmit sem mentettünk.');
    expect(res.text).not.toMatch(/Please correct/);
    expect(await t.db('institutions').count({ n: '*' }).first()).toEqual(before);
  });

  it('answers a missing page with the Hungarian 404 page', async () => {
    const res = await admin.agent.get('/no-such-page').set('Accept-Language', 'hu');
    expect(res.status).toBe(404);
    expect(res.text).toContain('<h1>Nem található</h1>');
    expect(res.text).toContain('Ez az oldal nem létezik.');
  });

  it('writes the statistics CSV the Hungarian way: ";" and a decimal comma, headers translated', async () => {
    const res = await admin.agent
      .get('/statistics.csv?from=2025-01-01&to=2028-12-31&group=partner')
      .set('Accept-Language', 'hu');
    expect(res.status).toBe(200);
    const [header, first] = res.text.replace('\uFEFF', '').split('\r\n');
    expect(header).toBe(
      'Partner;Foglalások;Lemondások;Nettó foglalások;Partneres foglalások (nettó);Bevétel;Partnerjutalék;Meg nem jelenések;Késői lemondások',
    );
    expect(first.split(';')).toHaveLength(9);
    expect(first).toMatch(/;\d+,\d{2};\d+,\d{2};\d+;\d+$/);
    const en = await admin.agent.get('/statistics.csv?from=2025-01-01&to=2028-12-31&group=partner');
    expect(en.text.replace('\uFEFF', '').split('\r\n')[0]).toBe(
      'Partner,Bookings,Cancellations,Net bookings,Partner bookings (net),Revenue,Partner commission,No-shows,Late cancellations',
    );
  });
});
