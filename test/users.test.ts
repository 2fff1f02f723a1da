import { makeTestApp, loginAs, type TestApp } from './helpers';
import { fixtures } from './fixtures';
import { loadCurrentUser } from '../src/users/users.queries';
import { createUser } from '../src/users/users.service';
import { Validation } from '../src/lib/errors';
import type { CurrentUser } from '../src/lib/permissions';

let t: TestApp;
afterEach(async () => {
  await t.db.destroy();
});

/** The demo logins' users and partners on their own (the behaviour here is user administration, not the demo). */
async function staffApp(): Promise<TestApp> {
  const app = await makeTestApp();
  await fixtures.staffOffice(app.db);
  return app;
}

async function admin(): Promise<CurrentUser> {
  const row = await t.db('users').where({ username: 'admin' }).first();
  return (await loadCurrentUser(t.db, row.id))!;
}

describe('createUser (service)', () => {
  it('creates a partner user who can log in, and audits it without the password', async () => {
    t = await staffApp();
    const alfa = await t.db('partners').where({ name: 'Alfa Health Insurance' }).first();
    const id = await createUser(
      t.db,
      t.clock,
      await admin(),
      {
        username: 'alfa2',
        displayName: 'Alfa Two',
        password: 'secret-pass-1',
        partnerId: alfa.id,
        permissions: ['partner_booking', 'bookings_view'],
        allInstitutions: true,
        institutionIds: [],
      },
      '127.0.0.1',
    );
    const user = await loadCurrentUser(t.db, id);
    expect(user?.partnerId).toBe(alfa.id);
    expect([...user!.permissions].sort()).toEqual(['bookings_view', 'partner_booking']);
    const entry = await t.db('audit_log').where({ action: 'user.created', entity_id: id }).first();
    expect(entry.actor_username).toBe('admin');
    expect(entry.details).not.toContain('secret-pass-1');
    expect(JSON.parse(entry.details).permissions).toEqual(['bookings_view', 'partner_booking']);
    const { agent } = await loginAs(t.app, 'alfa2', 'secret-pass-1');
    expect((await agent.get('/')).text).toContain('Book to partner');
  });

  it('refuses settings for a partner user and a taken user name, writing nothing', async () => {
    t = await staffApp();
    const alfa = await t.db('partners').where({ name: 'Alfa Health Insurance' }).first();
    const before = await t.db('users').count({ n: '*' }).first();
    const err = await createUser(t.db, t.clock, await admin(), {
      username: 'Desk',
      displayName: 'X',
      password: 'secret-pass-1',
      partnerId: alfa.id,
      permissions: ['partner_booking', 'settings'],
      allInstitutions: true,
      institutionIds: [],
    }).catch((e) => e);
    expect(err).toBeInstanceOf(Validation);
    expect(err.status).toBe(422);
    expect(err.fieldErrors.username).toMatch(/already taken/);
    expect(err.fieldErrors.permissions).toContain('Settings');
    expect(await t.db('users').count({ n: '*' }).first()).toEqual(before);
  });

  it('refuses unknown partner and institution ids and a short password', async () => {
    t = await makeTestApp();
    const actorId = await fixtures.user(t.db, 'root', ['users_admin']);
    const actor = (await loadCurrentUser(t.db, actorId))!;
    const err = await createUser(t.db, t.clock, actor, {
      username: 'newbie',
      displayName: 'New',
      password: 'secret-pass-1',
      partnerId: 999,
      permissions: [],
      allInstitutions: false,
      institutionIds: [12345],
    }).catch((e) => e);
    expect(err.fieldErrors).toEqual({ partnerId: expect.any(String), institutionIds: expect.any(String) });
    const short = await createUser(t.db, t.clock, actor, {
      username: 'newbie',
      displayName: 'New',
      password: 'short',
      partnerId: null,
      permissions: [],
      allInstitutions: true,
      institutionIds: [],
    }).catch((e) => e);
    expect(short.fieldErrors.password).toMatch(/at least 8/);
    expect(await t.db('users').where({ username: 'newbie' })).toHaveLength(0);
  });
});

async function userId(username: string): Promise<number> {
  return (await t.db('users').where({ username }).first()).id;
}

async function permissionsOf(username: string): Promise<string[]> {
  return (
    await t
      .db('user_permissions')
      .where({ user_id: await userId(username) })
      .orderBy('permission')
  ).map((r) => r.permission);
}

describe('GET /admin/users', () => {
  it('lists users with partner or "Clinic staff", permissions and active flag', async () => {
    t = await staffApp();
    const { agent } = await loginAs(t.app, 'admin');
    const res = await agent.get('/admin/users');
    expect(res.status).toBe(200);
    const alfaRow = res.text.slice(
      res.text.indexOf('>alfa</a>'),
      res.text.indexOf('</tr>', res.text.indexOf('>alfa</a>')),
    );
    expect(alfaRow).toContain('Alfa Health Insurance');
    expect(alfaRow).toContain('Partner booking, Bookings list');
    const viewerRow = res.text.slice(
      res.text.indexOf('>viewer</a>'),
      res.text.indexOf('</tr>', res.text.indexOf('>viewer</a>')),
    );
    expect(viewerRow).toContain('Clinic staff');
    expect(viewerRow).toContain('Yes');
  });

  it('forbids users without Admin users on every /admin/users route (403)', async () => {
    t = await staffApp();
    const { agent, csrf } = await loginAs(t.app, 'desk');
    const deskId = await userId('desk');
    for (const path of ['/admin/users', '/admin/users/new', `/admin/users/${deskId}`])
      expect((await agent.get(path)).status).toBe(403);
    const grant = await agent
      .post(`/admin/users/${deskId}`)
      .type('form')
      .send({
        _csrf: csrf,
        displayName: 'Desk',
        permissions: ['users_admin'],
        active: 'on',
        allInstitutions: 'on',
      });
    expect(grant.status).toBe(403);
    expect(await permissionsOf('desk')).not.toContain('users_admin');
    expect(
      (
        await agent.post('/admin/users').type('form').send({
          _csrf: csrf,
          username: 'sneaky',
          displayName: 'S',
          password: 'secret-pass-1',
          passwordConfirm: 'secret-pass-1',
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await agent
          .post(`/admin/users/${deskId}/password`)
          .type('form')
          .send({ _csrf: csrf, password: 'secret-pass-1', passwordConfirm: 'secret-pass-1' })
      ).status,
    ).toBe(403);
    expect(await t.db('users').where({ username: 'sneaky' })).toHaveLength(0);
  });
});

describe('POST /admin/users/:id', () => {
  it('grants Partner booking on the edit page; the user then sees the Book to partner tile; audited', async () => {
    t = await staffApp();
    const admin = await loginAs(t.app, 'admin');
    const viewerId = await userId('viewer');
    const viewer = await loginAs(t.app, 'viewer');
    expect((await viewer.agent.get('/')).text).not.toContain('Book to partner');

    const page = await admin.agent.get(`/admin/users/${viewerId}`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(
      /<input type="checkbox" id="perm-partner_booking" name="permissions" value="partner_booking">\s*<label for="perm-partner_booking">Partner booking<\/label>/,
    );
    const res = await admin.agent
      .post(`/admin/users/${viewerId}`)
      .type('form')
      .send({
        _csrf: admin.csrf,
        displayName: 'Bookings Viewer',
        permissions: ['bookings_view', 'partner_booking'],
        partnerId: '',
        allInstitutions: 'on',
        active: 'on',
      });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/admin/users/${viewerId}`);
    expect(await permissionsOf('viewer')).toEqual(['bookings_view', 'partner_booking']);

    // The existing session sees the new permission at once.
    const home = await viewer.agent.get('/');
    expect(home.text).toContain('Book to partner');
    expect((await viewer.agent.get('/partner-booking')).status).toBe(200);

    const entry = await t.db('audit_log').where({ action: 'user.updated', entity_id: viewerId }).first();
    expect(entry.actor_username).toBe('admin');
    const details = JSON.parse(entry.details);
    expect(details.before.permissions).toEqual(['bookings_view']);
    expect(details.after.permissions).toEqual(['bookings_view', 'partner_booking']);
  });

  it('refuses Settings for a partner user (422, names it, keeps the submitted values, changes nothing)', async () => {
    t = await staffApp();
    const { agent, csrf } = await loginAs(t.app, 'admin');
    const alfaId = await userId('alfa');
    const partner = await t.db('partners').where({ name: 'Alfa Health Insurance' }).first();
    const res = await agent
      .post(`/admin/users/${alfaId}`)
      .type('form')
      .send({
        _csrf: csrf,
        displayName: 'Renamed Desk',
        permissions: ['partner_booking', 'settings'],
        partnerId: String(partner.id),
        allInstitutions: 'on',
        active: 'on',
      });
    expect(res.status).toBe(422);
    expect(res.text).toContain('A partner user cannot hold: Settings.');
    expect(res.text).toContain('value="Renamed Desk"');
    expect(res.text).toMatch(/id="perm-settings" name="permissions" value="settings" checked/);
    expect(await permissionsOf('alfa')).toEqual(['bookings_view', 'partner_booking']);
    expect((await t.db('users').where({ id: alfaId }).first()).display_name).toBe('Alfa Booking Desk');
    expect(await t.db('audit_log').where({ action: 'user.updated' })).toHaveLength(0);
  });

  it('refuses to let an admin deactivate themself or drop their own Admin users (422)', async () => {
    t = await staffApp();
    const { agent, csrf } = await loginAs(t.app, 'admin');
    const adminId = await userId('admin');
    const res = await agent
      .post(`/admin/users/${adminId}`)
      .type('form')
      .send({
        _csrf: csrf,
        displayName: 'Clinic Administrator',
        permissions: ['settings'],
        allInstitutions: 'on',
      });
    expect(res.status).toBe(422);
    expect(res.text).toContain('You cannot deactivate your own account.');
    expect(res.text).toContain('You cannot remove the Admin users permission from yourself.');
    const row = await t.db('users').where({ id: adminId }).first();
    expect(Boolean(row.active)).toBe(true);
    expect(await permissionsOf('admin')).toContain('users_admin');
    expect((await agent.get('/admin/users')).status).toBe(200);
  });

  it('deactivating a user ends their sessions at once (rows deleted from sessions)', async () => {
    t = await staffApp();
    const admin = await loginAs(t.app, 'admin');
    const desk = await loginAs(t.app, 'desk');
    const deskId = await userId('desk');
    const sessionsOf = async (id: number) =>
      (await t.db('sessions').select('sess')).filter((r) =>
        (typeof r.sess === 'string' ? r.sess : JSON.stringify(r.sess)).includes(`"passport":{"user":${id}}`),
      );
    expect(await sessionsOf(deskId)).toHaveLength(1);
    const res = await admin.agent
      .post(`/admin/users/${deskId}`)
      .type('form')
      .send({
        _csrf: admin.csrf,
        displayName: 'Reception Desk',
        permissions: ['booking'],
        allInstitutions: 'on',
      });
    expect(res.status).toBe(303);
    expect(await sessionsOf(deskId)).toHaveLength(0);
    expect(await sessionsOf(await userId('admin'))).toHaveLength(1);
    const after = await desk.agent.get('/');
    expect(after.status).toBe(302);
    expect(after.headers.location).toMatch(/^\/login/);
    const details = JSON.parse(
      (await t.db('audit_log').where({ action: 'user.updated', entity_id: deskId }).first()).details,
    );
    expect([details.before.active, details.after.active]).toEqual([true, false]);
  });

  it('limits a user to chosen institutions and refuses an unknown one', async () => {
    t = await staffApp();
    const { agent, csrf } = await loginAs(t.app, 'admin');
    const deskId = await userId('desk');
    const [first] = await t.db('institutions').orderBy('id');
    const bad = await agent
      .post(`/admin/users/${deskId}`)
      .type('form')
      .send({
        _csrf: csrf,
        displayName: 'Reception Desk',
        permissions: ['booking'],
        institutionIds: ['99999'],
        active: 'on',
      });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('One of the chosen institutions does not exist.');
    expect(Boolean((await t.db('users').where({ id: deskId }).first()).all_institutions)).toBe(true);
    const ok = await agent
      .post(`/admin/users/${deskId}`)
      .type('form')
      .send({
        _csrf: csrf,
        displayName: 'Reception Desk',
        permissions: ['booking'],
        institutionIds: String(first.id),
        active: 'on',
      });
    expect(ok.status).toBe(303);
    const user = await loadCurrentUser(t.db, deskId);
    expect(user?.allInstitutions).toBe(false);
    expect(user?.institutionIds).toEqual([first.id]);
  });

  it('answers 404 for an unknown or malformed user id', async () => {
    t = await staffApp();
    const { agent } = await loginAs(t.app, 'admin');
    expect((await agent.get('/admin/users/99999')).status).toBe(404);
    expect((await agent.get('/admin/users/abc')).status).toBe(404);
  });
});

describe('POST /admin/users', () => {
  it('creates a clinic user from the form', async () => {
    t = await staffApp();
    const { agent, csrf } = await loginAs(t.app, 'admin');
    const form = await agent.get('/admin/users/new');
    expect(form.status).toBe(200);
    expect(form.text).toContain('Clinic staff (no partner)');
    const res = await agent
      .post('/admin/users')
      .type('form')
      .send({
        _csrf: csrf,
        username: 'nurse',
        displayName: 'Nurse Joy',
        password: 'long-enough-1',
        passwordConfirm: 'long-enough-1',
        permissions: ['booking', 'patients'],
        allInstitutions: 'on',
        active: 'on',
      });
    expect(res.status).toBe(303);
    const id = await userId('nurse');
    expect(res.headers.location).toBe(`/admin/users/${id}`);
    expect(await permissionsOf('nurse')).toEqual(['booking', 'patients']);
    const nurse = await loginAs(t.app, 'nurse', 'long-enough-1');
    expect((await nurse.agent.get('/')).text).toContain('Calendar');
  });

  it('refuses a duplicate user name with a message (422) and keeps the values', async () => {
    t = await staffApp();
    const { agent, csrf } = await loginAs(t.app, 'admin');
    const before = await t.db('users').count({ n: '*' }).first();
    const res = await agent.post('/admin/users').type('form').send({
      _csrf: csrf,
      username: 'desk',
      displayName: 'Second Desk',
      password: 'long-enough-1',
      passwordConfirm: 'long-enough-1',
      permissions: 'booking',
      allInstitutions: 'on',
      active: 'on',
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('This user name is already taken.');
    expect(res.text).toContain('value="Second Desk"');
    expect(await t.db('users').count({ n: '*' }).first()).toEqual(before);
  });

  it('sends htmx to the new user page with HX-Redirect after creating', async () => {
    t = await staffApp();
    const { agent, csrf } = await loginAs(t.app, 'admin');
    const res = await agent.post('/admin/users').set('HX-Request', 'true').type('form').send({
      _csrf: csrf,
      username: 'nurse',
      displayName: 'Nurse',
      password: 'long-enough-1',
      passwordConfirm: 'long-enough-1',
      allInstitutions: 'on',
      active: 'on',
    });
    expect(res.status).toBe(200);
    expect(res.headers['hx-redirect']).toBe(`/admin/users/${await userId('nurse')}`);
    const page = await agent.get(res.headers['hx-redirect']);
    expect(page.text).toContain('User nurse was created.');
  });

  it('refuses mismatched passwords (422) and renders only the form for htmx', async () => {
    t = await staffApp();
    const { agent, csrf } = await loginAs(t.app, 'admin');
    const res = await agent.post('/admin/users').set('HX-Request', 'true').type('form').send({
      _csrf: csrf,
      username: 'nurse',
      displayName: 'Nurse',
      password: 'long-enough-1',
      passwordConfirm: 'long-enough-2',
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('The two passwords do not match.');
    expect(res.text.trim().startsWith('<form id="user-form"')).toBe(true);
    expect(await t.db('users').where({ username: 'nurse' })).toHaveLength(0);
  });
});

describe('POST /admin/users/:id/password', () => {
  it('sets a new password: the old one and its sessions stop working, the new one works; audited without the password', async () => {
    t = await staffApp();
    const { agent, csrf } = await loginAs(t.app, 'admin');
    const deskId = await userId('desk');
    const oldSession = await loginAs(t.app, 'desk');
    const short = await agent
      .post(`/admin/users/${deskId}/password`)
      .type('form')
      .send({ _csrf: csrf, password: 'short', passwordConfirm: 'short' });
    expect(short.status).toBe(422);
    expect(short.text).toContain('at least 8 characters');
    const res = await agent
      .post(`/admin/users/${deskId}/password`)
      .type('form')
      .send({ _csrf: csrf, password: 'new-password-9', passwordConfirm: 'new-password-9' });
    expect(res.status).toBe(303);
    expect((await oldSession.agent.get('/')).status).toBe(302);
    expect((await agent.get('/admin/users')).status).toBe(200);
    await expect(loginAs(t.app, 'desk', 'demo1234')).rejects.toThrow(/failed: 422/);
    const desk = await loginAs(t.app, 'desk', 'new-password-9');
    expect((await desk.agent.get('/')).status).toBe(200);
    const entries = await t.db('audit_log').where({ action: 'user.password_changed', entity_id: deskId });
    expect(entries).toHaveLength(1);
    expect(entries[0].details).not.toContain('new-password-9');
  });

  it('unlocks a user name blocked by failed logins, so the desk can log in at once with the new password', async () => {
    t = await staffApp();
    const { agent, csrf } = await loginAs(t.app, 'admin');
    const deskId = await userId('desk');
    for (let i = 0; i < 5; i++)
      await expect(loginAs(t.app, 'desk', `wrong-${i}`)).rejects.toThrow(/failed: 422/);
    await expect(loginAs(t.app, 'desk', 'demo1234')).rejects.toThrow(/failed: 429/);
    const res = await agent
      .post(`/admin/users/${deskId}/password`)
      .type('form')
      .send({ _csrf: csrf, password: 'new-password-9', passwordConfirm: 'new-password-9' });
    expect(res.status).toBe(303);
    const desk = await loginAs(t.app, 'desk', 'new-password-9');
    expect((await desk.agent.get('/')).status).toBe(200);
    expect(await t.db('audit_log').where({ action: 'login.succeeded', actor_username: 'desk' })).toHaveLength(
      1,
    );
  });
});
