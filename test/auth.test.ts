import request from 'supertest';
import { makeTestApp, loginAs, csrfFrom, type TestApp } from './helpers';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp({ staff: true });
});
afterEach(async () => {
  await t.db.destroy();
});

function sessionCookie(res: request.Response): string | undefined {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return cookies.find((c) => c.startsWith('clinic.sid='))?.split(';')[0];
}

describe('POST /login', () => {
  it('logs in with the right password and regenerates the session id', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/login');
    const before = sessionCookie(page);
    const res = await agent
      .post('/login')
      .type('form')
      .send({ username: 'desk', password: 'demo1234', _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/');
    const after = sessionCookie(res);
    // An anonymous visitor has no session (and no session row); login issues a new one.
    expect(before).toBeUndefined();
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    // Logging in again on a logged-in session regenerates its id too (no fixation).
    const home = await agent.get('/');
    const again = await agent
      .post('/login')
      .type('form')
      .send({ username: 'admin', password: 'demo1234', _csrf: csrfFrom(home.text) });
    expect(again.status).toBe(302);
    expect(sessionCookie(again)).toBeDefined();
    expect(sessionCookie(again)).not.toBe(after);
    const audit = await t.db('audit_log').where({ action: 'login.succeeded' }).first();
    expect(audit.actor_username).toBe('desk');
  });

  it('refuses a wrong password with a message and audits it', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/login');
    const res = await agent
      .post('/login')
      .type('form')
      .send({ username: 'desk', password: 'wrong-password', _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Wrong user name or password.');
    const failures = await t.db('audit_log').where({ action: 'login.failed', actor_username: 'desk' });
    expect(failures).toHaveLength(1);
    expect((await agent.get('/')).status).toBe(302);
  });

  it('audits a login with an empty password or an empty user name as failed (incomplete form)', async () => {
    const agent = request.agent(t.app);
    const csrf = csrfFrom((await agent.get('/login')).text);
    const noPassword = await agent
      .post('/login')
      .type('form')
      .send({ username: 'alfa', password: '', _csrf: csrf });
    expect(noPassword.status).toBe(422);
    expect(noPassword.text).toContain('Wrong user name or password.');
    const noName = await agent
      .post('/login')
      .type('form')
      .send({ username: '  ', password: 'guess', _csrf: csrf });
    expect(noName.status).toBe(422);
    const rows = await t.db('audit_log').where({ action: 'login.failed' }).orderBy('id');
    expect(rows).toHaveLength(2);
    const alfa = await t.db('users').where({ username: 'alfa' }).first();
    expect(rows[0]).toMatchObject({
      actor_user_id: null,
      actor_username: 'alfa',
      actor_partner_id: alfa.partner_id,
      entity_id: alfa.id,
    });
    expect(JSON.parse(rows[0].details)).toEqual({ reason: 'incomplete form' });
    expect(rows[1]).toMatchObject({ actor_partner_id: null, entity_id: null });
    expect(JSON.parse(rows[1].details)).toEqual({ reason: 'incomplete form' });
  });

  it('records the partner of a partner user whose login failed', async () => {
    const agent = request.agent(t.app);
    const csrf = csrfFrom((await agent.get('/login')).text);
    expect(
      (
        await agent
          .post('/login')
          .type('form')
          .send({ username: 'beta', password: 'wrong-password', _csrf: csrf })
      ).status,
    ).toBe(422);
    const beta = await t.db('users').where({ username: 'beta' }).first();
    expect(beta.partner_id).not.toBeNull();
    const row = await t.db('audit_log').where({ action: 'login.failed', actor_username: 'beta' }).first();
    expect(row).toMatchObject({ actor_user_id: null, actor_partner_id: beta.partner_id, entity_id: beta.id });
    expect(JSON.parse(row.details)).toEqual({ reason: 'wrong password' });
  });

  it('throttles after repeated failures, even with the right password', async () => {
    const agent = request.agent(t.app);
    const csrf = csrfFrom((await agent.get('/login')).text);
    for (let i = 0; i < 5; i++) {
      const res = await agent
        .post('/login')
        .type('form')
        .send({ username: 'desk', password: 'nope' + i, _csrf: csrf });
      expect(res.status).toBe(422);
    }
    const blocked = await agent
      .post('/login')
      .type('form')
      .send({ username: 'desk', password: 'demo1234', _csrf: csrf });
    expect(blocked.status).toBe(429);
    // Blocked for 5 minutes (not 15), and the message says so.
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(240);
    expect(retryAfter).toBeLessThanOrEqual(300);
    expect(blocked.text).toContain(
      `Too many failed logins. Please wait ${retryAfter === 300 ? '5 minutes' : 'about 5 minutes'} and try again.`,
    );
    expect(blocked.text).not.toContain('a few minutes');
  });

  it('does not lock other users of the same address out after one account is blocked', async () => {
    const agent = request.agent(t.app);
    const csrf = csrfFrom((await agent.get('/login')).text);
    for (let i = 0; i < 6; i++)
      await agent
        .post('/login')
        .type('form')
        .send({ username: 'desk', password: 'nope' + i, _csrf: csrf });
    expect(
      (await agent.post('/login').type('form').send({ username: 'desk', password: 'demo1234', _csrf: csrf }))
        .status,
    ).toBe(429);
    const admin = await agent
      .post('/login')
      .type('form')
      .send({ username: 'admin', password: 'demo1234', _csrf: csrf });
    expect(admin.status).toBe(302);
  });

  it('refuses a POST without a CSRF token', async () => {
    const res = await request(t.app)
      .post('/login')
      .type('form')
      .send({ username: 'desk', password: 'demo1234' });
    expect(res.status).toBe(403);
    expect(await t.db('audit_log').where({ action: 'login.succeeded' })).toHaveLength(0);
  });

  it('does not redirect to another site after login', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/login');
    const res = await agent
      .post('/login')
      .type('form')
      .send({ username: 'desk', password: 'demo1234', next: '//evil.example/', _csrf: csrfFrom(page.text) });
    expect(res.headers.location).toBe('/');
  });
});

describe('POST /logout', () => {
  it('ends the session', async () => {
    const { agent, csrf } = await loginAs(t.app, 'desk');
    expect((await agent.get('/')).status).toBe(200);
    const res = await agent.post('/logout').type('form').send({ _csrf: csrf });
    expect(res.status).toBe(302);
    const after = await agent.get('/');
    expect(after.status).toBe(302);
    expect(after.headers.location).toMatch(/^\/login/);
  });
});

describe('sessions', () => {
  it('ends the sessions of a deactivated user', async () => {
    const { agent } = await loginAs(t.app, 'desk');
    await t.db('users').where({ username: 'desk' }).update({ active: false });
    const res = await agent.get('/');
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(/^\/login/);
  });

  it('tells browsers not to keep pages (patient data on shared PCs) in cache or history', async () => {
    const { agent } = await loginAs(t.app, 'desk');
    const page = await agent.get('/patients?q=kovacs');
    expect(page.status).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    const css = await agent.get('/static/app.css');
    expect(css.headers['cache-control']).toMatch(/max-age=31536000/);
  });

  it('keeps sessions in the database', async () => {
    await loginAs(t.app, 'desk');
    const rows = await t.db('sessions').select('sess');
    expect(
      rows.some((r) =>
        String(typeof r.sess === 'string' ? r.sess : JSON.stringify(r.sess)).includes('"passport"'),
      ),
    ).toBe(true);
  });
});
