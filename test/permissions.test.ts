import request from 'supertest';
import express from 'express';
import { makeTestApp, loginAs, csrfFrom, type TestApp } from './helpers';
import { fixtures } from './fixtures';
import { listRoutes, guardedRouter, type RouteInfo } from '../src/lib/router';
import {
  allPermissions,
  accountMayAct,
  allows,
  bookingScopeOf,
  can,
  mayCancelSomeBookings,
  type Access,
  type CurrentUser,
  type Permission,
} from '../src/lib/permissions';
import { loadCurrentUser } from '../src/users/users.queries';

let t: TestApp;
afterEach(async () => {
  await t.db.destroy();
});

/** A concrete URL for a route pattern: every parameter becomes 1, optional groups are kept. */
function concrete(path: string): string {
  return path.replace(/[:*]\w+/g, '1').replace(/[{}]/g, '') || '/';
}

const accessList = (access: Access): string[] => (typeof access === 'string' ? [access] : [...access]);
const requiresPartnerBooking = (r: RouteInfo) =>
  r.access !== undefined && accessList(r.access).includes('partner_booking');

describe('route registration', () => {
  it('gives every registered route a declared access (guard first)', async () => {
    t = await makeTestApp();
    const routes = listRoutes(t.app);
    expect(routes.length).toBeGreaterThan(5);
    const offenders = routes.filter((r) => r.access === undefined).map((r) => `${r.method} ${r.path}`);
    expect(offenders).toEqual([]);
    // Every declared access is one the catalogue knows.
    const known = new Set<string>([...allPermissions, 'public', 'authenticated']);
    const unknown = routes
      .filter((r) => r.access !== undefined && accessList(r.access).some((a) => !known.has(a)))
      .map((r) => `${r.method} ${r.path}`);
    expect(unknown).toEqual([]);
  });

  it('would spot a route registered without the guarded router', () => {
    const app = express();
    const raw = express.Router();
    raw.get('/sneaky', (_req, res) => res.send('x'));
    app.use(guardedRouter().get('/fine', 'public', (_req, res) => res.send('ok')).router);
    app.use(raw);
    expect(listRoutes(app as never)).toEqual([
      { method: 'GET', path: '/fine', access: 'public' },
      { method: 'GET', path: '/sneaky', access: undefined },
    ]);
  });

  it('refuses to register a route without an access declaration', () => {
    const r = guardedRouter();
    expect(() =>
      (r.get as (path: string, ...h: unknown[]) => unknown)(
        '/x',
        (_req: unknown, res: { send: (s: string) => void }) => res.send('x'),
      ),
    ).toThrow(/must declare its access/);
  });
});

describe('the permission check', () => {
  const user = (permissions: Permission[], partnerId: number | null = null): CurrentUser => ({
    id: 1,
    username: 'u',
    displayName: 'U',
    partnerId,
    partnerName: partnerId ? 'P' : null,
    permissions: new Set(permissions),
    allInstitutions: true,
    institutionIds: [],
  });

  it('grants only what the user holds; partner users never hold clinic-only permissions', () => {
    expect(can(user(['partner_booking']), 'partner_booking')).toBe(true);
    expect(can(user(['bookings_view']), 'partner_booking')).toBe(false);
    expect(can(user(['settings', 'partner_booking'], 7), 'settings')).toBe(false);
    expect(can(user(['users_admin'], 7), 'users_admin')).toBe(false);
    expect(can(user(['partner_booking'], 7), 'partner_booking')).toBe(true);
    expect(can(null, 'bookings_view')).toBe(false);
  });

  it('reads access declarations: public, authenticated, one permission, any of several', () => {
    expect(allows('public', null)).toBe(true);
    expect(allows('authenticated', null)).toBe(false);
    expect(allows('authenticated', user([]))).toBe(true);
    expect(allows(['booking', 'partner_booking'], user(['partner_booking']))).toBe(true);
    expect(allows(['booking', 'settings'], user(['partner_booking']))).toBe(false);
  });

  it('lets an account act only while it and its partner are active', () => {
    expect(accountMayAct({ active: true, partnerId: null, partnerActive: false })).toBe(true);
    expect(accountMayAct({ active: false, partnerId: null, partnerActive: false })).toBe(false);
    expect(accountMayAct({ active: true, partnerId: 7, partnerActive: true })).toBe(true);
    expect(accountMayAct({ active: true, partnerId: 7, partnerActive: false })).toBe(false);
  });

  it('scopes bookings to the partner and the institutions a user is limited to', () => {
    expect(bookingScopeOf(user(['bookings_view']))).toEqual({ partnerId: null, institutionIds: null });
    const limited = { ...user(['bookings_view'], 7), allInstitutions: false, institutionIds: [3, 4] };
    expect(bookingScopeOf(limited)).toEqual({ partnerId: 7, institutionIds: [3, 4] });
  });

  it('says who cancels some bookings: those who book, of either kind', () => {
    expect(mayCancelSomeBookings(user(['bookings_view', 'partner_booking'], 7))).toBe(true);
    expect(mayCancelSomeBookings(user(['bookings_view', 'booking']))).toBe(true);
    expect(mayCancelSomeBookings(user(['bookings_view', 'patients']))).toBe(false);
  });
});

describe('routes that need Partner booking', () => {
  /**
   * Walks the app, so routes added later are covered automatically. A route declaring
   * "partner_booking or X" is checked for every user who holds none of the listed permissions.
   */
  async function expectForbiddenEverywhere(username: string) {
    const row = await t.db('users').where({ username }).first();
    const user = (await loadCurrentUser(t.db, row.id))!;
    expect(can(user, 'partner_booking')).toBe(false);
    const routes = listRoutes(t.app)
      .filter(requiresPartnerBooking)
      .filter((r) => !allows(r.access!, user));
    expect(routes.some((r) => r.method === 'GET' && r.path === '/partner-booking')).toBe(true);
    const { agent, csrf } = await loginAs(t.app, username);
    const seen: string[] = [];
    for (const route of routes) {
      const url = concrete(route.path);
      const res =
        route.method === 'GET'
          ? await agent.get(url)
          : await agent.post(url).type('form').send({ _csrf: csrf });
      seen.push(`${route.method} ${url} ${res.status}`);
      if (res.status === 403) expect(res.text).toContain('You do not have permission to do this.');
    }
    expect(seen).toEqual(seen.map((s) => s.replace(/\d+$/, '403')));
  }

  it('forbids the demo viewer on every one of them (403), by typing the URL', async () => {
    t = await makeTestApp({ demo: true });
    await expectForbiddenEverywhere('viewer');
  });

  it('forbids a staff user holding every other permission (403)', async () => {
    t = await makeTestApp();
    await fixtures.staffOffice(t.db);
    await fixtures.user(
      t.db,
      'clerk',
      allPermissions.filter((p) => p !== 'partner_booking'),
    );
    await expectForbiddenEverywhere('clerk');
  });

  it('forbids a partner user whose Partner booking was taken away (403)', async () => {
    t = await makeTestApp();
    await fixtures.staffOffice(t.db);
    const alfa = await t.db('users').where({ username: 'alfa' }).first();
    await t.db('user_permissions').where({ user_id: alfa.id, permission: 'partner_booking' }).del();
    await expectForbiddenEverywhere('alfa');
  });

  it('sends anonymous visitors to the login page (GET) and refuses their POSTs (401/403)', async () => {
    t = await makeTestApp();
    await fixtures.staffOffice(t.db);
    const routes = listRoutes(t.app).filter(requiresPartnerBooking);
    expect(routes.length).toBeGreaterThan(0);
    const agent = request.agent(t.app);
    const csrf = csrfFrom((await agent.get('/login')).text);
    const bookingsBefore = await t.db('bookings').count({ n: '*' }).first();
    for (const route of routes) {
      const url = concrete(route.path);
      if (route.method === 'GET') {
        const res = await agent.get(url);
        expect([url, res.status, res.headers.location]).toEqual([
          url,
          302,
          `/login?next=${encodeURIComponent(url)}`,
        ]);
      } else {
        const res = await agent.post(url).type('form').send({ _csrf: csrf });
        expect([url, [401, 403].includes(res.status)]).toEqual([url, true]);
      }
    }
    expect(await t.db('bookings').count({ n: '*' }).first()).toEqual(bookingsBefore);
    expect(await t.db('holds')).toHaveLength(0);
  });

  it('lets a user with Partner booking through the same guard', async () => {
    t = await makeTestApp({ demo: true });
    const { agent } = await loginAs(t.app, 'alfa');
    const res = await agent.get('/partner-booking');
    expect(res.status).toBe(200);
  });
});
