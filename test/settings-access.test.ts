import { listRoutes } from '../src/lib/router';
import { makeTestApp, loginAs, freshCsrf, type TestApp } from './helpers';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp({ demo: true });
});
afterEach(() => t.db.destroy());

/** Every /settings route with :params filled with an existing id. */
function settingsRoutes() {
  const routes = listRoutes(t.app).filter((r) => r.path.startsWith('/settings'));
  return routes.map((r) => ({ ...r, url: r.path.replace(/:[A-Za-z]+/g, '1') }));
}

/** The tables a refused settings request must leave as they were (partner contracts included). */
const contentTables = [
  'institutions',
  'partners',
  'channel_services',
  'slots',
  'schedules',
  'users',
  'channel_service_validity',
  'allotments',
  'reserved_blocks',
];

describe('/settings access', () => {
  it('declares the settings permission on every settings route (users_admin for partner logins)', () => {
    const routes = settingsRoutes();
    // Catalogue, partners, traffic channels, schedules and slots are all there.
    expect(routes.length).toBeGreaterThan(40);
    for (const path of [
      '/settings/traffic-channels',
      '/settings/traffic-channels/cell',
      '/settings/partners/:id/users',
      '/settings/schedules/:id/generate',
      '/settings/slots/:id/block',
      '/settings/traffic-channels/validity',
      '/settings/allotments',
      '/settings/allotments/:id',
      '/settings/allotments/:id/delete',
      '/settings/reserved-blocks',
      '/settings/reserved-blocks/:id',
      '/settings/reserved-blocks/:id/delete',
    ]) {
      expect(routes.map((r) => r.path)).toContain(path);
    }
    // Creating a partner's login is user administration: users_admin, not settings.
    const access = (r: { method: string; path: string }) =>
      r.method === 'POST' && r.path === '/settings/partners/:id/users' ? 'users_admin' : 'settings';
    for (const r of routes) expect([r.method, r.path, r.access]).toEqual([r.method, r.path, access(r)]);
  });

  it.each(['desk', 'alfa', 'viewer'])(
    'answers 403 to %s on every settings route and changes nothing',
    async (username) => {
      const { agent, csrf } = await loginAs(t.app, username);
      const before = await Promise.all(contentTables.map((table) => t.db(table).count({ n: '*' }).first()));
      for (const r of settingsRoutes()) {
        const res =
          r.method === 'GET'
            ? await agent.get(r.url)
            : await agent.post(r.url).type('form').send({
                _csrf: csrf,
                name: 'X',
                institution: '1',
                channel: '1',
                service: '1',
                checked: '1',
                from: '2026-06-01',
                to: '2026-06-02',
                // Partner contracts: a valid validity date, allotment and block, were they let through.
                valid_from: '2026-06-01',
                partner: '1',
                target: 'service:1',
                period: 'month',
                cap: '5',
                doctor: '1',
                weekdays: '1',
                from_time: '08:00',
                to_time: '12:00',
                date_from: '2026-06-01',
                date_to: '2026-06-30',
                release_value: '3',
                release_unit: 'days',
              });
        expect([r.method, r.url, res.status]).toEqual([r.method, r.url, 403]);
      }
      const after = await Promise.all(contentTables.map((table) => t.db(table).count({ n: '*' }).first()));
      expect(after).toEqual(before);
      expect(await t.db('audit_log').where('action', 'like', 'settings.%').count({ n: '*' }).first()).toEqual(
        { n: 0 },
      );
    },
  );

  it('sends a visitor who is not logged in to the login page', async () => {
    const { agent } = { agent: (await import('supertest')).default.agent(t.app) };
    const res = await agent.get('/settings/partners');
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(/^\/login/);
  });

  it('renders every settings page for an administrator', async () => {
    const { agent } = await loginAs(t.app, 'admin');
    const schedule = await t.db('schedules').first('id');
    const gets = settingsRoutes().filter((r) => r.method === 'GET' && !r.path.endsWith('/cell'));
    // A closure for /settings/closures/1/edit (issue 16).
    const post = await agent
      .post('/settings/closures')
      .type('form')
      .send({
        _csrf: await freshCsrf(agent, '/settings/closures'),
        institution: 1,
        date: '2030-12-25',
        reason: 'Christmas Day',
      });
    expect(post.status).toBe(303);
    for (const r of gets) {
      const url = r.url.replace('/schedules/1', `/schedules/${schedule.id}`);
      const res = await agent.get(url);
      expect([url, res.status]).toEqual([url, 200]);
      expect(res.text).toContain('<h1>');
    }
    const tc = await agent.get('/settings/traffic-channels?institution=1');
    expect(tc.text).toContain('Alfa Health Insurance');
    expect(tc.text).toContain('Reception');
  });
});
