/**
 * Findings of the outside attack (issue 15) on logins, sessions, the audit log and headers:
 * each test here failed before its fix.
 */
import request from 'supertest';
import pino from 'pino';
import { createApp } from '../src/app';
import { FixedClock } from '../src/lib/clock';
import { makeTestApp, csrfFrom, loginAs, type TestApp } from './helpers';
import { pruneExpired } from '../src/auth/pruning';
import { createLoginThrottle } from '../src/auth/login-throttle';

let t: TestApp;
let clock: FixedClock;
beforeEach(async () => {
  clock = new FixedClock('2030-01-15T09:00:00Z');
  t = await makeTestApp({ staff: true, config: { trustProxy: true }, clock });
});
afterEach(async () => {
  await t.db.destroy();
});

type App = TestApp['app'];

/** A login form's token, as a browser at `ip` gets it, and a poster for that browser. */
async function browserAt(app: App, ip: string) {
  const agent = request.agent(app);
  const csrf = csrfFrom((await agent.get('/login').set('X-Forwarded-For', ip)).text);
  return (username: string, password: string) =>
    agent.post('/login').set('X-Forwarded-For', ip).type('form').send({ username, password, _csrf: csrf });
}

/** Attempts whose password was verified: each leaves exactly one of these audit rows. */
async function verifiedCount(): Promise<number> {
  const failed = await t.db('audit_log').where({ action: 'login.failed' }).select('details');
  const wrong = failed.filter((r) => JSON.parse(r.details).reason === 'wrong password').length;
  const ok = await t.db('audit_log').where({ action: 'login.succeeded' });
  return wrong + ok.length;
}

describe('login throttle under parallel guesses (finding 2)', () => {
  it('verifies at most 5 of 50 simultaneous wrong guesses against one account', async () => {
    const post = await browserAt(t.app, '203.0.113.7');
    const res = await Promise.all(Array.from({ length: 50 }, (_, i) => post('desk', `guess-${i}`)));
    const statuses = res.map((r) => r.status);
    expect(statuses.filter((s) => s === 422)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(45);
    expect(await verifiedCount()).toBe(5);
    expect(await t.db('audit_log').where({ action: 'login.throttled' })).toHaveLength(45);
    // And the right password afterwards is refused too.
    expect((await post('desk', 'demo1234')).status).toBe(429);
  });

  it('does not let the right guess among 50 in after the limit', async () => {
    const post = await browserAt(t.app, '203.0.113.7');
    const guesses = Array.from({ length: 50 }, (_, i) => (i === 49 ? 'demo1234' : `guess-${i}`));
    const res = await Promise.all(guesses.map((g) => post('desk', g)));
    const verified = await verifiedCount();
    expect(verified).toBeLessThanOrEqual(5);
    const succeeded = await t.db('audit_log').where({ action: 'login.succeeded' });
    // If the right one got in, it was one of the verified few, never one past the limit.
    expect(res[49].status === 302).toBe(succeeded.length === 1);
    expect(res.filter((r) => r.status === 429).length).toBe(50 - verified);
  });
});

describe('lockout that cannot be turned against a user (finding 3)', () => {
  it('counts a case variant as the same user and audits it as that user', async () => {
    const desk = await t.db('users').where({ username: 'desk' }).first();
    const post = await browserAt(t.app, '203.0.113.7');
    for (let i = 0; i < 5; i++) expect((await post(i % 2 ? 'DESK' : ' Desk ', `nope-${i}`)).status).toBe(422);
    const blocked = await post('desk', 'demo1234');
    expect(blocked.status).toBe(429);
    const failed = await t.db('audit_log').where({ action: 'login.failed' });
    expect(failed).toHaveLength(5);
    for (const row of failed) {
      expect(row).toMatchObject({ entity_id: desk.id, actor_username: 'desk' });
      expect(JSON.parse(row.details)).toEqual({ reason: 'wrong password' });
    }
    const throttled = await t.db('audit_log').where({ action: 'login.throttled' });
    expect(throttled).toHaveLength(1);
    expect(throttled[0]).toMatchObject({ entity_id: desk.id, actor_username: 'desk', ip: '203.0.113.7' });
  });

  it('audits a throttled attempt with the partner of the user it named', async () => {
    const beta = await t.db('users').where({ username: 'beta' }).first();
    const post = await browserAt(t.app, '203.0.113.7');
    for (let i = 0; i < 5; i++) await post('BETA', `nope-${i}`);
    expect((await post('beta', 'demo1234')).status).toBe(429);
    const row = await t.db('audit_log').where({ action: 'login.throttled' }).first();
    expect(row).toMatchObject({ entity_id: beta.id, actor_partner_id: beta.partner_id, actor_user_id: null });
  });

  it('failures from one address do not block the same user from another address', async () => {
    const attacker = await browserAt(t.app, '198.51.100.66');
    for (let i = 0; i < 5; i++) expect((await attacker('desk', `nope-${i}`)).status).toBe(422);
    expect((await attacker('desk', 'demo1234')).status).toBe(429);
    const desk = await browserAt(t.app, '203.0.113.7');
    const res = await desk('desk', 'demo1234');
    expect(res.status).toBe(302);
    expect(await t.db('audit_log').where({ action: 'login.succeeded', actor_username: 'desk' })).toHaveLength(
      1,
    );
  });

  it('slows guesses spread over many addresses with a growing delay, never a block', async () => {
    for (let i = 0; i < 11; i++) {
      const post = await browserAt(t.app, `198.51.100.${i + 1}`);
      expect((await post('desk', `nope-${i}`)).status).toBe(422);
    }
    // 11 failures: the next attempt waits 2 seconds, from any address.
    const desk = await browserAt(t.app, '203.0.113.7');
    const early = await desk('desk', 'demo1234');
    expect(early.status).toBe(429);
    expect(early.headers['retry-after']).toBe('2');
    expect(early.text).toContain('Please wait 2 seconds and try again.');
    clock.advance({ seconds: 2 });
    expect((await desk('desk', 'demo1234')).status).toBe(302);
  });

  it('caps the per-account delay at 30 seconds however many addresses fail', async () => {
    for (let i = 0; i < 40; i++) {
      const post = await browserAt(t.app, `198.51.100.${i + 1}`);
      const res = await post('desk', `nope-${i}`);
      if (res.status === 429) {
        expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(30);
        clock.advance({ seconds: Number(res.headers['retry-after']) });
        expect((await post('desk', `nope-${i}`)).status).toBe(422);
      } else expect(res.status).toBe(422);
    }
    const row = await t.db('login_throttle').where({ scope: 'user', username: 'desk' }).first();
    expect(Number(row.blocked_until) - clock.nowMs()).toBe(30_000);
  }, 60_000);

  it('lets a clinic behind one address make 1000 attempts in 15 minutes', async () => {
    // Many desks at one NAT address: more than the old limit of 100 never blocks the address.
    for (let i = 0; i < 101; i++) {
      const post = await browserAt(t.app, '203.0.113.7');
      expect((await post(`nobody${i}`, 'x')).status).toBe(422);
    }
    expect((await (await browserAt(t.app, '203.0.113.7'))('admin', 'demo1234')).status).toBe(302);
  });
});

describe('throttle storage (finding 2)', () => {
  it('keeps the counters in the database: a new app instance on the same database still blocks', async () => {
    const post = await browserAt(t.app, '203.0.113.7');
    for (let i = 0; i < 5; i++) await post('desk', `nope-${i}`);
    const restarted = createApp(t.db, t.config, { logger: pino({ level: 'silent' }), clock });
    const again = await browserAt(restarted, '203.0.113.7');
    const res = await again('desk', 'demo1234');
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBe(300);
    expect(res.text).toContain('Please wait 5 minutes and try again.');
    // The block ends after its 5 minutes.
    clock.advance({ minutes: 5 });
    expect((await again('desk', 'demo1234')).status).toBe(302);
  });
});

describe('security headers (finding 11)', () => {
  const expectHeaders = (res: request.Response) => {
    const csp = String(res.headers['content-security-policy'] ?? '');
    expect(csp).toMatch(/(^|;)\s*font-src 'self'(;|$)/);
    expect(csp).not.toMatch(/font-src[^;]*(https:|data:)/);
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-powered-by']).toBeUndefined();
  };

  it("allows fonts from the app's own origin only, on pages", async () => {
    const res = await request(t.app).get('/login');
    expect(res.status).toBe(200);
    expectHeaders(res);
  });

  it('sends them on error answers: 404, 413, malformed body, 403 and 429', async () => {
    const notFound = await request(t.app).get('/no-such-page');
    expect(notFound.status).toBe(404);
    expectHeaders(notFound);
    const tooLarge = await request(t.app)
      .post('/login')
      .type('form')
      .send({ username: 'x'.repeat(200_000) });
    expect(tooLarge.status).toBe(413);
    expectHeaders(tooLarge);
    const badCharset = await request(t.app)
      .post('/login')
      .set('Content-Type', 'application/x-www-form-urlencoded; charset=klingon')
      .send('username=a');
    expect(badCharset.status).toBe(415);
    expect(badCharset.text).toContain('The request was malformed.');
    expectHeaders(badCharset);
    const noToken = await request(t.app).post('/login').type('form').send({ username: 'a', password: 'b' });
    expect(noToken.status).toBe(403);
    expectHeaders(noToken);
    const post = await browserAt(t.app, '203.0.113.7');
    for (let i = 0; i < 5; i++) await post('desk', `nope-${i}`);
    const throttled = await post('desk', 'nope');
    expect(throttled.status).toBe(429);
    expectHeaders(throttled);
    const staticMissing = await request(t.app).get('/static/no-such.css');
    expect(staticMissing.status).toBe(404);
    expectHeaders(staticMissing);
  });
});

describe('anonymous visitors store nothing (finding 6)', () => {
  const sessionRows = async () => Number((await t.db('sessions').count({ n: '*' }).first())!.n);
  const csrfCookieOf = (res: request.Response) =>
    ([] as string[])
      .concat(res.headers['set-cookie'] ?? [])
      .map((c) => c.split(';')[0])
      .find((c) => c.startsWith('clinic.csrf='));

  it('1,000 anonymous GET /login create no session row', async () => {
    for (let i = 0; i < 1000; i++) {
      const res = await request(t.app).get('/login');
      expect(res.status).toBe(200);
    }
    expect(await sessionRows()).toBe(0);
    // A failed login stores none either; a successful one stores exactly one.
    const post = await browserAt(t.app, '203.0.113.7');
    expect((await post('desk', 'nope')).status).toBe(422);
    expect(await sessionRows()).toBe(0);
    expect((await post('desk', 'demo1234')).status).toBe(302);
    expect(await sessionRows()).toBe(1);
  }, 120_000);

  it('refuses a login without a token, with a wrong token, or with a token of another browser (403)', async () => {
    const message = 'Your form has expired or was sent from elsewhere.';
    const page = await request(t.app).get('/login');
    const cookie = csrfCookieOf(page)!;
    const token = csrfFrom(page.text);
    const other = await request(t.app).get('/login');
    const attempts = [
      { cookie, body: {} },
      { cookie, body: { _csrf: 'forged' } },
      { cookie, body: { _csrf: '' } },
      { cookie: csrfCookieOf(other)!, body: { _csrf: token } },
      { cookie: undefined, body: { _csrf: token } },
      // A cookie of the attacker's choosing, with a token they made up: no secret, no match.
      { cookie: 'clinic.csrf=' + 'a'.repeat(43), body: { _csrf: 'a'.repeat(43) } },
    ];
    for (const a of attempts) {
      const req = request(t.app).post('/login');
      if (a.cookie) req.set('Cookie', a.cookie);
      const res = await req.type('form').send({ username: 'desk', password: 'demo1234', ...a.body });
      expect(res.status).toBe(403);
      expect(res.text).toContain(message);
    }
    expect(await t.db('audit_log').where({ action: 'login.succeeded' })).toHaveLength(0);
    expect(await sessionRows()).toBe(0);
    // The matching pair logs in.
    const ok = await request(t.app)
      .post('/login')
      .set('Cookie', cookie)
      .type('form')
      .send({ username: 'desk', password: 'demo1234', _csrf: token });
    expect(ok.status).toBe(302);
  });

  it('ends a session whose expiry has passed on the app clock, even before pruning', async () => {
    const desk = await loginAs(t.app, 'desk');
    clock.advance({ hours: 11 });
    // A request rolls the expiry forward: 12 hours from the app's now again.
    expect((await desk.agent.get('/')).status).toBe(200);
    expect((await t.db('sessions').pluck('expired')).map((e) => new Date(e).toISOString())).toEqual([
      new Date(clock.nowMs() + 12 * 3600_000).toISOString(),
    ]);
    clock.advance({ hours: 12, minutes: 1 });
    const late = await desk.agent.get('/');
    expect(late.status).toBe(302);
    expect(late.headers.location).toMatch(/^\/login/);
  });

  it('prunes expired sessions and spent throttle counters on the app clock', async () => {
    await loginAs(t.app, 'desk');
    await (
      await browserAt(t.app, '203.0.113.7')
    )('desk', 'nope');
    // The session store dates its rows on the app clock: 12 hours past the app's now.
    expect((await t.db('sessions').pluck('expired')).map((e) => new Date(e).toISOString())).toEqual([
      new Date(clock.nowMs() + 12 * 3600_000).toISOString(),
    ]);
    const throttle = createLoginThrottle(t.db, clock);
    expect(await pruneExpired(t.db, clock, throttle)).toEqual({ sessions: 0, throttle: 0 });
    expect(await sessionRows()).toBe(1);
    // Sessions last 12 hours; the throttle window is 15 minutes.
    clock.advance({ hours: 13 });
    const pruned = await pruneExpired(t.db, clock, throttle);
    expect(pruned.sessions).toBe(1);
    expect(pruned.throttle).toBeGreaterThanOrEqual(3);
    expect(await sessionRows()).toBe(0);
    expect(await t.db('login_throttle')).toHaveLength(0);
  });
});
