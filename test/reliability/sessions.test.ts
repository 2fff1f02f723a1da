/**
 * Sessions and authentication under attack (OWASP ASVS L2, V3 and V4): fixation, logout,
 * deactivation, expiry, CSRF on every state change, login throttling, security headers, cookies.
 */
import request from 'supertest';
import { listRoutes } from '../../src/lib/router';
import { createLoginThrottle } from '../../src/auth/login-throttle';
import { systemClock } from '../../src/lib/clock';
import { makeTestApp, loginAs, csrfFrom, type TestApp } from '../helpers';
import { concretePath, dumpDb } from './support';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp({ demo: true });
});
afterEach(async () => {
  await t.db.destroy();
});

function sessionCookie(res: request.Response): string | undefined {
  return ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('clinic.sid='));
}
const cookiePair = (setCookie: string) => setCookie.split(';')[0];
const sidOf = (setCookie: string) =>
  decodeURIComponent(cookiePair(setCookie).slice('clinic.sid='.length)).slice(2).split('.')[0];

/** A request carrying exactly this cookie (no cookie jar). */
const withCookie = (cookie: string, path = '/') => request(t.app).get(path).set('Cookie', cookie);

function expectLoginPage(res: request.Response) {
  expect(res.status).toBe(302);
  expect(res.headers.location).toMatch(/^\/login/);
}

describe('session fixation', () => {
  it('gives a new session id on login, and the planted id never becomes a logged-in session', async () => {
    // Anonymous pages hand out no session id at all (nothing to plant, nothing stored).
    const anonymous = await request(t.app).get('/login');
    expect(sessionCookie(anonymous)).toBeUndefined();
    // So the attacker obtains a session id by logging in as themselves, and plants it (with a
    // CSRF token of that session, which they can read) in the victim's browser.
    const attacker = request.agent(t.app);
    const attackerPage = await attacker.get('/login');
    const attackerLogin = await attacker
      .post('/login')
      .type('form')
      .send({ username: 'viewer', password: 'demo1234', _csrf: csrfFrom(attackerPage.text) });
    expect(attackerLogin.status).toBe(302);
    const planted = sessionCookie(attackerLogin)!;
    expect(planted).toBeDefined();
    const page = await withCookie(cookiePair(planted), '/');
    expect(page.status).toBe(200);
    // The victim logs in with the planted cookie.
    const login = await request(t.app)
      .post('/login')
      .set('Cookie', cookiePair(planted))
      .type('form')
      .send({ username: 'admin', password: 'demo1234', _csrf: csrfFrom(page.text) });
    expect(login.status).toBe(302);
    const issued = sessionCookie(login)!;
    expect(sidOf(issued)).not.toBe(sidOf(planted));
    expect((await withCookie(cookiePair(issued))).status).toBe(200);
    // The attacker's copy of the planted id is not logged in (as anyone).
    expectLoginPage(await withCookie(cookiePair(planted)));
    expect(
      await t
        .db('sessions')
        .where({ sid: sidOf(planted) })
        .first(),
    ).toBeUndefined();
  });

  it('ignores a forged session cookie: login issues a fresh id and stores none under the forged one', async () => {
    const forged = 'clinic.sid=' + encodeURIComponent('s:attacker-chosen-id.not-a-valid-signature');
    const page = await withCookie(forged, '/login');
    expect(sessionCookie(page)).toBeUndefined();
    const csrfCookie = ([] as string[])
      .concat(page.headers['set-cookie'] ?? [])
      .map(cookiePair)
      .find((c) => c.startsWith('clinic.csrf='))!;
    const login = await request(t.app)
      .post('/login')
      .set('Cookie', `${forged}; ${csrfCookie}`)
      .type('form')
      .send({ username: 'admin', password: 'demo1234', _csrf: csrfFrom(page.text) });
    expect(login.status).toBe(302);
    expect(sidOf(sessionCookie(login)!)).not.toBe('attacker-chosen-id');
    expect(await t.db('sessions').where({ sid: 'attacker-chosen-id' }).first()).toBeUndefined();
  });
});

describe('logout', () => {
  it('invalidates the old cookie: replaying it gets the login page', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/login');
    const login = await agent
      .post('/login')
      .type('form')
      .send({ username: 'desk', password: 'demo1234', _csrf: csrfFrom(page.text) });
    const cookie = cookiePair(sessionCookie(login)!);
    expect((await withCookie(cookie)).status).toBe(200);
    const csrf = csrfFrom((await agent.get('/')).text);
    const out = await agent.post('/logout').type('form').send({ _csrf: csrf });
    expect(out.status).toBe(302);
    expectLoginPage(await withCookie(cookie));
    expectLoginPage(await withCookie(cookie, '/bookings'));
    expect(
      await t
        .db('sessions')
        .where({ sid: sidOf(cookie + ';') })
        .first(),
    ).toBeUndefined();
    expect(await t.db('audit_log').where({ action: 'logout', actor_username: 'desk' })).toHaveLength(1);
  });
});

describe('deactivation and expiry', () => {
  it('a deactivated user loses access immediately, on pages and on posts', async () => {
    const { agent, csrf } = await loginAs(t.app, 'desk');
    expect((await agent.get('/bookings')).status).toBe(200);
    await t.db('users').where({ username: 'desk' }).update({ active: false });
    expectLoginPage(await agent.get('/bookings'));
    const post = await agent.post('/logout').type('form').send({ _csrf: csrf });
    expect(post.status).toBeLessThan(500);
    // And cannot log in again.
    const again = request.agent(t.app);
    const page = await again.get('/login');
    const res = await again
      .post('/login')
      .type('form')
      .send({ username: 'desk', password: 'demo1234', _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(422);
  });

  it('users of a deactivated partner lose access immediately', async () => {
    const { agent } = await loginAs(t.app, 'alfa');
    expect((await agent.get('/')).status).toBe(200);
    await t.db('partners').where({ name: 'Alfa Health Insurance' }).update({ active: false });
    expectLoginPage(await agent.get('/'));
  });

  it('an expired session gets the login page', async () => {
    const { agent } = await loginAs(t.app, 'admin');
    expect((await agent.get('/')).status).toBe(200);
    const updated = await t.db('sessions').update({ expired: new Date(Date.now() - 60_000).toISOString() });
    expect(updated).toBeGreaterThan(0);
    expectLoginPage(await agent.get('/'));
  });
});

describe('CSRF', () => {
  it('refuses every POST route without a token (403) and with a wrong one, changing nothing', async () => {
    const { agent } = await loginAs(t.app, 'admin');
    const posts = listRoutes(t.app).filter((r) => r.method === 'POST');
    expect(posts.length).toBeGreaterThanOrEqual(2);
    const before = await dumpDb(t.db);
    const failures: string[] = [];
    for (const route of posts) {
      const path = concretePath(route.path, () => '1');
      for (const token of [undefined, 'forged-token', '']) {
        const body =
          token === undefined ? { reason: 'x', name: 'x' } : { _csrf: token, reason: 'x', name: 'x' };
        const res = await agent.post(path).type('form').send(body);
        if (res.status !== 403 || !res.text.includes('Your form has expired'))
          failures.push(`${route.path} token=${String(token)} -> ${res.status}`);
      }
      // A token in the htmx header must be the real one too.
      const hx = await agent
        .post(path)
        .set('HX-Request', 'true')
        .set('X-CSRF-Token', 'forged')
        .type('form')
        .send({});
      if (hx.status !== 403) failures.push(`${route.path} hx forged -> ${hx.status}`);
    }
    expect(failures).toEqual([]);
    expect(await dumpDb(t.db)).toEqual(before);
    // Still logged in: the refused posts did not log us out.
    expect((await agent.get('/')).status).toBe(200);
  });

  it("refuses another session's token", async () => {
    const admin = await loginAs(t.app, 'admin');
    const desk = await loginAs(t.app, 'desk');
    const res = await admin.agent.post('/logout').type('form').send({ _csrf: desk.csrf });
    expect(res.status).toBe(403);
    expect((await admin.agent.get('/')).status).toBe(200);
  });
});

describe('login throttling', () => {
  it('blocks a user name after 5 failures, even with the right password, and audits it', async () => {
    const agent = request.agent(t.app);
    const csrf = csrfFrom((await agent.get('/login')).text);
    for (let i = 0; i < 5; i++)
      expect(
        (
          await agent
            .post('/login')
            .type('form')
            .send({ username: 'admin', password: `guess-${i}`, _csrf: csrf })
        ).status,
      ).toBe(422);
    const blocked = await agent
      .post('/login')
      .type('form')
      .send({ username: 'ADMIN ', password: 'demo1234', _csrf: csrf });
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain('Too many failed logins');
    expect(await t.db('audit_log').where({ action: 'login.throttled' })).toHaveLength(1);
    expect(await t.db('audit_log').where({ action: 'login.succeeded' })).toHaveLength(0);
  });

  it('blocks an address that sprays many user names (1000 attempts in 15 minutes), for 15 minutes', async () => {
    // A clinic behind one NAT address shares it, so the limit is high. After one failure through
    // the form, 989 more are recorded straight through the throttle (the same database table),
    // not through Argon2.
    const agent = request.agent(t.app);
    const csrf = csrfFrom((await agent.get('/login')).text);
    expect(
      (await agent.post('/login').type('form').send({ username: 'nobody', password: 'x', _csrf: csrf }))
        .status,
    ).toBe(422);
    const { address } = await t.db('login_throttle').where({ scope: 'address' }).first();
    const throttle = createLoginThrottle(t.db, systemClock);
    for (let i = 1; i < 990; i++) {
      const begun = await throttle.begin(`sprayed${i}`, address);
      if (!('attempt' in begun)) throw new Error(`blocked early at ${i}`);
      await begun.attempt.failed();
    }
    let blockedAt = -1;
    for (let i = 990; i < 1010 && blockedAt < 0; i++) {
      const res = await agent
        .post('/login')
        .type('form')
        .send({ username: `nobody${i}`, password: 'x', _csrf: csrf });
      if (res.status === 429) blockedAt = i;
      else expect(res.status).toBe(422);
    }
    expect(blockedAt).toBe(1000);
    const real = await agent
      .post('/login')
      .type('form')
      .send({ username: 'viewer', password: 'demo1234', _csrf: csrf });
    expect(real.status).toBe(429);
    expect(Number(real.headers['retry-after'])).toBeGreaterThan(840);
    expect(real.text).toMatch(/Please wait (about )?15 minutes and try again/);
  }, 120_000);
});

describe('security headers', () => {
  function checkHeaders(res: request.Response, label: string): string[] {
    const problems: string[] = [];
    const csp = String(res.headers['content-security-policy'] ?? '');
    const scriptSrc =
      csp
        .split(';')
        .map((d) => d.trim())
        .find((d) => d.startsWith('script-src')) ??
      csp
        .split(';')
        .map((d) => d.trim())
        .find((d) => d.startsWith('default-src'));
    if (!scriptSrc) problems.push(`${label}: no script-src/default-src in CSP`);
    else if (/unsafe-inline|unsafe-eval|\*/.test(scriptSrc)) problems.push(`${label}: weak ${scriptSrc}`);
    if (
      !/frame-ancestors 'none'/.test(csp) &&
      !/^(DENY|SAMEORIGIN)$/i.test(String(res.headers['x-frame-options'] ?? ''))
    )
      problems.push(`${label}: framing allowed`);
    if (res.headers['x-content-type-options'] !== 'nosniff') problems.push(`${label}: no nosniff`);
    if (!res.headers['referrer-policy']) problems.push(`${label}: no Referrer-Policy`);
    if (res.headers['x-powered-by']) problems.push(`${label}: X-Powered-By leaks`);
    return problems;
  }

  it('sends them on every page, error, fragment and static file', async () => {
    const { agent, csrf } = await loginAs(t.app, 'admin');
    const home = await agent.get('/');
    const assets = [...home.text.matchAll(/(?:href|src)="(\/static\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThan(0);
    const problems: string[] = [];
    const gets = listRoutes(t.app)
      .filter((r) => r.method === 'GET')
      .map((r) => concretePath(r.path));
    for (const path of [...gets, ...assets, '/no-such-page', '/static/no-such.css']) {
      problems.push(...checkHeaders(await agent.get(path), `GET ${path}`));
      problems.push(...checkHeaders(await agent.get(path).set('HX-Request', 'true'), `htmx GET ${path}`));
      problems.push(...checkHeaders(await request(t.app).get(path), `anonymous GET ${path}`));
    }
    problems.push(
      ...checkHeaders(await agent.post('/logout').type('form').send({}), 'POST without CSRF (403)'),
    );
    problems.push(
      ...checkHeaders(
        await agent
          .post('/login')
          .type('form')
          .send({ _csrf: csrf, username: 'x'.repeat(200_000) }),
        'POST too large (413)',
      ),
    );
    problems.push(...checkHeaders(await agent.get('/bookings?from=%FF'), 'bad encoding'));
    expect(problems).toEqual([]);
  });
});

describe('session cookie', () => {
  it('is HttpOnly and SameSite=Lax, and is not sent on a plain HTTP request as Secure', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/login');
    // The login form's CSRF cookie too.
    const csrfCookie = ([] as string[])
      .concat(page.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('clinic.csrf='))!;
    const login = await agent
      .post('/login')
      .type('form')
      .send({ username: 'desk', password: 'demo1234', _csrf: csrfFrom(page.text) });
    const cookie = sessionCookie(login)!;
    for (const c of [cookie, csrfCookie]) {
      expect(c).toMatch(/;\s*HttpOnly/i);
      expect(c).toMatch(/;\s*SameSite=Lax/i);
      expect(c).not.toMatch(/;\s*Secure/i);
    }
  });

  it('is Secure when the app sits behind a TLS proxy', async () => {
    const proxied = await makeTestApp({ demo: true, config: { trustProxy: true } });
    try {
      const agent = request.agent(proxied.app);
      const page = await agent.get('/login').set('X-Forwarded-Proto', 'https');
      expect(page.headers['strict-transport-security']).toBeDefined();
      const csrfCookie = ([] as string[])
        .concat(page.headers['set-cookie'] ?? [])
        .find((c) => c.startsWith('clinic.csrf='));
      expect(csrfCookie).toMatch(/;\s*Secure/i);
      const res = await agent
        .post('/login')
        .set('X-Forwarded-Proto', 'https')
        .set('Cookie', cookiePair(csrfCookie!))
        .type('form')
        .send({ username: 'desk', password: 'demo1234', _csrf: csrfFrom(page.text) });
      expect(res.status).toBe(302);
      expect(sessionCookie(res)).toMatch(/;\s*Secure/i);
      expect(res.headers['strict-transport-security']).toBeDefined();
    } finally {
      await proxied.db.destroy();
    }
  });
});
