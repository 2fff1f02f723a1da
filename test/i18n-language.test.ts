/**
 * Which language a page is in: the user's own choice, else the login page's choice, else the
 * browser's Accept-Language (when it names en, hu or ro), else the clinic default (Settings, then
 * DEFAULT_LANGUAGE, then en). `<html lang>` follows it; the login page's switch is plain links.
 */
import request from 'supertest';
import { makeTestApp, loginAs, csrfFrom, type TestApp } from './helpers';
import { chooseLanguage, languageFromAcceptLanguage } from '../src/i18n';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp({ demo: true });
});
afterAll(async () => {
  await t.db.destroy();
});

const htmlLang = (html: string) => /<html lang="([^"]+)">/.exec(html)?.[1];

describe('chooseLanguage', () => {
  it('prefers the user, then the chosen cookie, then the browser, then the clinic default', () => {
    expect(
      chooseLanguage({ userLanguage: 'ro', chosen: 'hu', acceptLanguage: 'en', clinicDefault: 'en' }),
    ).toBe('ro');
    expect(
      chooseLanguage({ userLanguage: null, chosen: 'hu', acceptLanguage: 'ro', clinicDefault: 'en' }),
    ).toBe('hu');
    expect(
      chooseLanguage({ userLanguage: null, chosen: 'xx', acceptLanguage: 'ro-RO', clinicDefault: 'en' }),
    ).toBe('ro');
    expect(chooseLanguage({ acceptLanguage: 'de-DE,fr;q=0.8', clinicDefault: 'hu' })).toBe('hu');
    expect(chooseLanguage({ acceptLanguage: 'de-DE' })).toBeNull();
  });

  it('reads Accept-Language by quality and ignores languages we do not have', () => {
    expect(languageFromAcceptLanguage('de-DE,de;q=0.9,hu;q=0.8,en;q=0.7')).toBe('hu');
    expect(languageFromAcceptLanguage('en;q=0.3, ro;q=0.9')).toBe('ro');
    expect(languageFromAcceptLanguage('hu;q=0, en')).toBe('en');
    expect(languageFromAcceptLanguage('*')).toBeNull();
    expect(languageFromAcceptLanguage('')).toBeNull();
  });
});

describe('GET /login in each language', () => {
  it('is English with lang="en" by default', async () => {
    const res = await request(t.app).get('/login');
    expect(res.status).toBe(200);
    expect(htmlLang(res.text)).toBe('en');
    expect(res.text).toContain('<h1>Log in</h1>');
    expect(res.text).toContain('<label for="username">User name</label>');
  });

  it('follows Accept-Language naming Hungarian or Romanian', async () => {
    const hu = await request(t.app).get('/login').set('Accept-Language', 'hu-HU,hu;q=0.9,en;q=0.5');
    expect(htmlLang(hu.text)).toBe('hu');
    expect(hu.text).toContain('<h1>Bejelentkezés</h1>');
    const ro = await request(t.app).get('/login').set('Accept-Language', 'de-DE, ro;q=0.5');
    expect(htmlLang(ro.text)).toBe('ro');
    expect(ro.text).toContain('Nume de utilizator');
  });

  it('switches with plain links that keep the choice for the next pages and the login', async () => {
    const agent = request.agent(t.app);
    const first = await agent.get('/login');
    // Links, not a script: each language is an <a href> to /login?lang=...
    expect(first.text).toMatch(/<a href="\/login\?lang=hu"[^>]*>Magyar<\/a>/);
    expect(first.text).toMatch(/<a href="\/login\?lang=ro"[^>]*>Română<\/a>/);
    const switched = await agent.get('/login?lang=hu');
    expect(htmlLang(switched.text)).toBe('hu');
    const again = await agent.get('/login');
    expect(htmlLang(again.text)).toBe('hu');
    const wrong = await agent
      .post('/login')
      .type('form')
      .send({ username: 'desk', password: 'wrong-password', _csrf: csrfFrom(again.text) });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('Hibás felhasználónév vagy jelszó.');
    await agent
      .post('/login')
      .type('form')
      .send({ username: 'viewer', password: 'demo1234', _csrf: csrfFrom(wrong.text) })
      .expect(302);
    const home = await agent.get('/');
    expect(htmlLang(home.text)).toBe('hu');
    expect(home.text).toContain('<h1>Adminisztráció</h1>');
  });

  it('ignores a language it does not have', async () => {
    const res = await request(t.app).get('/login?lang=de');
    expect(res.status).toBe(200);
    expect(htmlLang(res.text)).toBe('en');
    expect(String(res.headers['set-cookie'] ?? '')).not.toContain('clinic.lang');
  });
});

describe('a user\u2019s own language', () => {
  it('is set on the self-service page, beats Accept-Language, and can be cleared', async () => {
    const s = await loginAs(t.app, 'desk');
    const page = await s.agent.get('/account/language');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<option value="ro" lang="ro">Română</option>');
    await s.agent.post('/account/language').type('form').send({ language: 'ro', _csrf: s.csrf }).expect(303);
    expect((await t.db('users').where({ username: 'desk' }).first()).language).toBe('ro');
    const home = await s.agent.get('/').set('Accept-Language', 'hu');
    expect(htmlLang(home.text)).toBe('ro');
    expect(home.text).toContain('Administrare');
    expect(home.text).toContain('Limba a fost salvată.');
    const bad = await s.agent.post('/account/language').type('form').send({ language: 'de', _csrf: s.csrf });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Alegeți English, Magyar sau Română.');
    expect((await t.db('users').where({ username: 'desk' }).first()).language).toBe('ro');
    await s.agent.post('/account/language').type('form').send({ language: '', _csrf: s.csrf }).expect(303);
    const cleared = await s.agent.get('/').set('Accept-Language', 'hu');
    expect(htmlLang(cleared.text)).toBe('hu');
  });

  it('is a Language select on the Admin users user page, saved and audited', async () => {
    const admin = await loginAs(t.app, 'admin');
    const viewer = await t.db('users').where({ username: 'viewer' }).first();
    const page = await admin.agent.get(`/admin/users/${viewer.id}`);
    expect(page.text).toContain('<label for="language">Language</label>');
    expect(page.text).toMatch(/<option value="en" lang="en">English<\/option>.*Magyar.*Română/s);
    const res = await admin.agent.post(`/admin/users/${viewer.id}`).type('form').send({
      _csrf: admin.csrf,
      displayName: viewer.display_name,
      permissions: 'bookings_view',
      allInstitutions: 'on',
      active: 'on',
      language: 'hu',
    });
    expect(res.status).toBe(303);
    expect((await t.db('users').where({ id: viewer.id }).first()).language).toBe('hu');
    const entry = await t
      .db('audit_log')
      .where({ action: 'user.updated', entity_id: viewer.id })
      .orderBy('id', 'desc')
      .first();
    expect(JSON.parse(entry.details).language).toEqual({ before: null, after: 'hu' });
    const again = await admin.agent.get(`/admin/users/${viewer.id}`);
    expect(again.text).toContain('<option value="hu" lang="hu" selected>Magyar</option>');
    const v = await loginAs(t.app, 'viewer');
    expect(htmlLang((await v.agent.get('/').set('Accept-Language', 'ro')).text)).toBe('hu');
    const bad = await admin.agent.post(`/admin/users/${viewer.id}`).type('form').send({
      _csrf: admin.csrf,
      displayName: viewer.display_name,
      permissions: 'bookings_view',
      allInstitutions: 'on',
      active: 'on',
      language: 'xx',
    });
    expect(bad.status).toBe(422);
    expect((await t.db('users').where({ id: viewer.id }).first()).language).toBe('hu');
  });
});

describe('the clinic default', () => {
  it('comes from Settings when neither the user nor the browser names a language', async () => {
    const admin = await loginAs(t.app, 'admin');
    const settings = await admin.agent.get('/settings');
    expect(settings.text).toContain('Clinic default language');
    await admin.agent
      .post('/settings/language')
      .type('form')
      .send({ language: 'ro', _csrf: admin.csrf })
      .expect(303);
    expect(htmlLang((await request(t.app).get('/login')).text)).toBe('ro');
    expect(htmlLang((await request(t.app).get('/login').set('Accept-Language', 'hu')).text)).toBe('hu');
    const bad = await admin.agent
      .post('/settings/language')
      .type('form')
      .send({ language: 'fr', _csrf: admin.csrf });
    expect(bad.status).toBe(422);
    await admin.agent
      .post('/settings/language')
      .type('form')
      .send({ language: 'en', _csrf: admin.csrf })
      .expect(303);
    expect(htmlLang((await request(t.app).get('/login')).text)).toBe('en');
  });

  it('is DEFAULT_LANGUAGE on a new install', async () => {
    const other = await makeTestApp({ config: { defaultLanguage: 'hu' } });
    try {
      const res = await request(other.app).get('/login');
      expect(htmlLang(res.text)).toBe('hu');
      expect(res.text).toContain('Felhasználónév');
    } finally {
      await other.db.destroy();
    }
  });
});
