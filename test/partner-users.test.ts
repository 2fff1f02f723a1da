/**
 * Partner users (issue 17): a partner admin (partner_admin) manages only their own partner's users,
 * grants only partner permissions they hold, never clinic ones; the clinic can switch it off per
 * partner. Tenant-scoped on the server (another partner's user: 404), audited, in the access matrix.
 */
import request from 'supertest';
import { makeTestApp, loginAs, type TestApp, type LoggedIn } from './helpers';
import { fixtures } from './fixtures';
import { demoIds, type DemoIds } from './booking-helpers';
import { FixedClock } from '../src/lib/clock';
import { listRoutes } from '../src/lib/router';
import { loadCurrentUser } from '../src/users/users.queries';
import {
  can,
  mayAdministerPartnerUsers,
  partnerAdminGrantable,
  partnerAdminRefusedGrants,
  type CurrentUser,
  type Permission,
} from '../src/lib/permissions';

let t: TestApp;
let ids: DemoIds;
let alfaAdmin: LoggedIn;

beforeEach(async () => {
  t = await makeTestApp({ demo: true, clock: new FixedClock('2027-01-18T06:00:00.000Z') });
  ids = await demoIds(t.db);
  await fixtures.user(t.db, 'alfaadmin', ['partner_admin', 'partner_booking', 'bookings_view'], ids.alfa);
  await fixtures.user(t.db, 'alfalimited', ['partner_admin', 'bookings_view'], ids.alfa);
  await fixtures.user(t.db, 'betaadmin', ['partner_admin', 'partner_booking', 'bookings_view'], ids.beta);
  alfaAdmin = await loginAs(t.app, 'alfaadmin');
});
afterEach(() => t.db.destroy());

const userId = async (username: string) => (await t.db('users').where({ username }).first()).id as number;
const permsOf = async (username: string) =>
  (
    await t
      .db('user_permissions')
      .where({ user_id: await userId(username) })
      .orderBy('permission')
  ).map((p) => p.permission);
const tiles = (html: string) =>
  [...html.matchAll(/<a class="tile" href="[^"]*"><strong>([^<]*)<\/strong>/g)].map((m) => m[1]);

function createAs(u: LoggedIn, fields: Record<string, string | string[]>) {
  return u.agent
    .post('/partner/users')
    .type('form')
    .send({ _csrf: u.csrf, password: 'callcentre-1', passwordConfirm: 'callcentre-1', ...fields });
}

describe('the permission rules', () => {
  const user = (permissions: Permission[], partnerId: number | null): CurrentUser => ({
    id: 1,
    username: 'u',
    displayName: 'U',
    partnerId,
    partnerName: partnerId ? 'P' : null,
    permissions: new Set(permissions),
    allInstitutions: true,
    institutionIds: [],
  });

  it('lets only a partner user with Partner users administer, granting only what they hold', () => {
    expect(mayAdministerPartnerUsers(user(['partner_admin'], 7))).toBe(true);
    expect(mayAdministerPartnerUsers(user(['partner_admin', 'users_admin'], null))).toBe(false);
    expect(mayAdministerPartnerUsers(user(['partner_booking'], 7))).toBe(false);
    expect(partnerAdminGrantable(user(['partner_admin', 'bookings_view'], 7))).toEqual([
      'bookings_view',
      'partner_admin',
    ]);
    const limited = user(['partner_admin', 'bookings_view'], 7);
    expect(partnerAdminRefusedGrants(limited, ['partner_booking', 'bookings_view', 'settings'])).toEqual([
      'partner_booking',
      'settings',
    ]);
    // What the account already holds is kept, not a new grant.
    expect(partnerAdminRefusedGrants(limited, ['statistics'], ['statistics'])).toEqual([]);
  });

  it('drops Partner users while the clinic has switched it off for the partner', async () => {
    await t.db('partners').where({ id: ids.alfa }).update({ partner_admin_enabled: false });
    const u = (await loadCurrentUser(t.db, await userId('alfaadmin')))!;
    expect(can(u, 'partner_admin')).toBe(false);
    expect(can(u, 'partner_booking')).toBe(true);
  });
});

describe('the Partner users tile and list', () => {
  it('shows the tile to a partner admin only (not to clinic staff holding the permission)', async () => {
    expect(tiles((await alfaAdmin.agent.get('/')).text)).toContain('Partner users');
    const admin = await loginAs(t.app, 'admin');
    expect(tiles((await admin.agent.get('/')).text)).not.toContain('Partner users');
    expect((await admin.agent.get('/partner/users')).status).toBe(403);
    const alfa = await loginAs(t.app, 'alfa');
    expect(tiles((await alfa.agent.get('/')).text)).not.toContain('Partner users');
  });

  it("lists only the admin's own partner's users", async () => {
    const res = await alfaAdmin.agent.get('/partner/users');
    expect(res.status).toBe(200);
    const names = [...res.text.matchAll(/<a href="\/partner\/users\/\d+">([^<]+)<\/a>/g)].map((m) => m[1]);
    expect(names.sort()).toEqual(['alfa', 'alfaadmin', 'alfalimited']);
  });
});

describe('creating a user', () => {
  it("creates a user of the admin's partner, audited, who can then log in", async () => {
    const res = await createAs(alfaAdmin, {
      username: 'alfacall',
      displayName: 'Alfa Call Centre',
      permissions: ['partner_booking', 'bookings_view'],
    });
    expect(res.status).toBe(303);
    const row = await t.db('users').where({ username: 'alfacall' }).first();
    expect(row.partner_id).toBe(ids.alfa);
    expect(await permsOf('alfacall')).toEqual(['bookings_view', 'partner_booking']);
    const entry = await t.db('audit_log').where({ action: 'user.created', entity_id: row.id }).first();
    expect([entry.actor_username, entry.actor_partner_id]).toEqual(['alfaadmin', ids.alfa]);
    const call = await loginAs(t.app, 'alfacall', 'callcentre-1');
    expect((await call.agent.get('/partner-booking')).status).toBe(200);
  });

  it.each([
    [
      'a permission the admin lacks',
      'alfalimited',
      ['partner_booking'],
      /You can only grant permissions you hold yourself; not: Partner booking\./,
    ],
    ['a clinic permission', 'alfaadmin', ['partner_booking', 'settings'], /not: Settings\./],
    ['Admin users', 'alfaadmin', ['users_admin'], /not: Admin users\./],
  ])(
    'refuses to grant %s (422 beside the field), creates nothing',
    async (_what, actor, permissions, message) => {
      const u = actor === 'alfaadmin' ? alfaAdmin : await loginAs(t.app, actor);
      const before = await t.db('users').count({ n: '*' }).first();
      const res = await createAs(u, { username: 'sneaky', displayName: 'Sneaky', permissions });
      expect(res.status).toBe(422);
      expect(res.text).toMatch(/id="permissions-error"/);
      expect(res.text).toMatch(message);
      expect(await t.db('users').count({ n: '*' }).first()).toEqual(before);
    },
  );

  it('refuses bad input with the messages beside the fields, nothing created', async () => {
    const res = await createAs(alfaAdmin, {
      username: 'x',
      displayName: '',
      password: 'short',
      passwordConfirm: 'other',
      permissions: ['bookings_view'],
    });
    expect(res.status).toBe(422);
    for (const field of ['username', 'displayName', 'password', 'passwordConfirm'])
      expect(res.text).toContain(`id="${field}-error"`);
    expect(await t.db('users').where({ username: 'x' })).toHaveLength(0);
    const taken = await createAs(alfaAdmin, { username: 'beta', displayName: 'B', permissions: [] });
    expect(taken.status).toBe(422);
    expect(taken.text).toContain('This user name is already taken.');
  });
});

describe("another partner's users", () => {
  it('are invisible and unchangeable (404), nothing changed', async () => {
    const beta = await userId('beta');
    const before = await t.db('users').where({ id: beta }).first();
    expect((await alfaAdmin.agent.get(`/partner/users/${beta}`)).status).toBe(404);
    const post = await alfaAdmin.agent
      .post(`/partner/users/${beta}`)
      .type('form')
      .send({ _csrf: alfaAdmin.csrf, displayName: 'Hacked', permissions: ['partner_booking'] });
    expect(post.status).toBe(404);
    const pw = await alfaAdmin.agent
      .post(`/partner/users/${beta}/password`)
      .type('form')
      .send({ _csrf: alfaAdmin.csrf, password: 'new-password-1', passwordConfirm: 'new-password-1' });
    expect(pw.status).toBe(404);
    // Clinic staff are not the partner's either.
    expect((await alfaAdmin.agent.get(`/partner/users/${await userId('desk')}`)).status).toBe(404);
    expect(await t.db('users').where({ id: beta }).first()).toEqual(before);
    expect(await t.db('audit_log').whereIn('action', ['user.updated', 'user.password_changed'])).toHaveLength(
      0,
    );
  });
});

describe('editing a user', () => {
  it('deactivates a user (their sessions end) and resets a password', async () => {
    const alfaId = await userId('alfa');
    const alfa = await loginAs(t.app, 'alfa');
    const off = await alfaAdmin.agent
      .post(`/partner/users/${alfaId}`)
      .type('form')
      .send({
        _csrf: alfaAdmin.csrf,
        displayName: 'Alfa Booking Desk',
        permissions: ['partner_booking', 'bookings_view'],
      });
    expect(off.status).toBe(303);
    expect(Boolean((await t.db('users').where({ id: alfaId }).first()).active)).toBe(false);
    expect((await alfa.agent.get('/partner-booking')).status).toBe(302);
    const on = await alfaAdmin.agent
      .post(`/partner/users/${alfaId}`)
      .type('form')
      .send({
        _csrf: alfaAdmin.csrf,
        displayName: 'Alfa Desk',
        active: 'on',
        permissions: ['partner_booking'],
      });
    expect(on.status).toBe(303);
    expect(await permsOf('alfa')).toEqual(['partner_booking']);
    const pw = await alfaAdmin.agent
      .post(`/partner/users/${alfaId}/password`)
      .type('form')
      .send({ _csrf: alfaAdmin.csrf, password: 'fresh-pass-1', passwordConfirm: 'fresh-pass-1' });
    expect(pw.status).toBe(303);
    await loginAs(t.app, 'alfa', 'fresh-pass-1');
    const actions = (await t.db('audit_log').where({ actor_username: 'alfaadmin' }).orderBy('id')).map(
      (a) => a.action,
    );
    expect(actions).toEqual(expect.arrayContaining(['user.updated', 'user.password_changed']));
  });

  it('keeps permissions the admin does not hold and refuses to add them (422, nothing changed)', async () => {
    const limited = await loginAs(t.app, 'alfalimited');
    const alfaId = await userId('alfa');
    // alfa holds partner_booking, which alfalimited lacks: it stays when the form (disabled box) omits it.
    const ok = await limited.agent
      .post(`/partner/users/${alfaId}`)
      .type('form')
      .send({ _csrf: limited.csrf, displayName: 'Alfa', active: 'on', permissions: ['bookings_view'] });
    expect(ok.status).toBe(303);
    expect(await permsOf('alfa')).toEqual(['bookings_view', 'partner_booking']);
    const other = await userId('alfaadmin');
    const before = await permsOf('alfaadmin');
    const bad = await limited.agent
      .post(`/partner/users/${other}`)
      .type('form')
      .send({ _csrf: limited.csrf, displayName: 'X', active: 'on', permissions: ['statistics'] });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('not: Statistics.');
    expect(await permsOf('alfaadmin')).toEqual(before);
    const bad400 = await limited.agent
      .post(`/partner/users/${other}`)
      .type('form')
      .send({ _csrf: limited.csrf, displayName: '', active: 'on', permissions: ['bookings_view'] });
    expect(bad400.status).toBe(422);
    expect((await t.db('users').where({ id: other }).first()).display_name).toBe('alfaadmin');
  });

  it('refuses changes to the admin\u2019s own account (422)', async () => {
    const self = await userId('alfaadmin');
    const res = await alfaAdmin.agent
      .post(`/partner/users/${self}`)
      .type('form')
      .send({ _csrf: alfaAdmin.csrf, displayName: 'Me', permissions: [] });
    expect(res.status).toBe(422);
    expect(await permsOf('alfaadmin')).toEqual(['bookings_view', 'partner_admin', 'partner_booking']);
  });
});

describe('the clinic switch', () => {
  it('hides the tile and refuses every route once the clinic switches it off (403)', async () => {
    const admin = await loginAs(t.app, 'admin');
    const res = await admin.agent
      .post(`/settings/partners/${ids.alfa}/rules`)
      .type('form')
      .send({ _csrf: admin.csrf, reference_label: '' });
    expect(res.status).toBe(303);
    expect(Boolean((await t.db('partners').where({ id: ids.alfa }).first()).partner_admin_enabled)).toBe(
      false,
    );
    expect(tiles((await alfaAdmin.agent.get('/')).text)).not.toContain('Partner users');
    expect((await alfaAdmin.agent.get('/partner/users')).status).toBe(403);
    expect((await createAs(alfaAdmin, { username: 'late', displayName: 'Late' })).status).toBe(403);
    expect(await t.db('users').where({ username: 'late' })).toHaveLength(0);
    // Beta's switch is its own.
    const beta = await loginAs(t.app, 'betaadmin');
    expect((await beta.agent.get('/partner/users')).status).toBe(200);
  });
});

describe('the route x role access matrix for Partner users and the Audit log', () => {
  const concrete = (p: string, id: number) => p.replace(/:\w+/g, String(id));
  const expected: Record<string, 'ok' | 403> = {
    alfaadmin: 'ok',
    betaadmin: 'ok',
    admin: 403,
    desk: 403,
    viewer: 403,
    alfa: 403,
  };

  it.each(Object.keys(expected))('answers %s as the matrix says on every route', async (username) => {
    const routes = listRoutes(t.app).filter((r) => r.path.startsWith('/partner/users'));
    expect(routes.length).toBe(6);
    for (const r of routes) expect([r.path, r.access]).toEqual([r.path, 'partner_admin']);
    const u = username === 'alfaadmin' ? alfaAdmin : await loginAs(t.app, username);
    const own = await userId(username === 'betaadmin' ? 'beta' : 'alfa');
    const usersBefore = await t.db('users').orderBy('id');
    for (const r of routes) {
      const url = concrete(r.path, own);
      const res =
        r.method === 'GET'
          ? await u.agent.get(url)
          : await u.agent.post(url).type('form').send({ _csrf: u.csrf, username: '', displayName: '' });
      const want = expected[username];
      if (want === 403) expect([r.method, url, res.status]).toEqual([r.method, url, 403]);
      else expect([r.method, url, [200, 303, 422].includes(res.status)]).toEqual([r.method, url, true]);
    }
    if (expected[username] === 403) expect(await t.db('users').orderBy('id')).toEqual(usersBefore);
  });

  it('sends visitors who are not logged in to the login page', async () => {
    const res = await request(t.app).get('/partner/users');
    expect(res.status).toBe(302);
    expect((await request(t.app).get('/audit-log')).status).toBe(302);
  });
});
