/**
 * Every route (walked from the router, so routes added later are covered) x every demo role:
 * the status follows from the route's declared access and the role's permissions, and a
 * partner user never receives another partner's data.
 */
import request from 'supertest';
import type { Knex } from 'knex';
import { listRoutes, type RouteInfo } from '../../src/lib/router';
import { makeTestApp, loginAs, csrfFrom, type TestApp } from '../helpers';
import { concretePath, expectedAllowed, type Role } from './support';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp({ demo: true });
});
afterAll(async () => {
  await t.db.destroy();
});

const roles: Role[] = ['anonymous', 'viewer', 'desk', 'admin', 'alfa', 'beta'];

/** What each partner must never see of the other: its name and its patients' names. */
const foreign: Record<'alfa' | 'beta', string[]> = {
  alfa: ['Beta Corporate Care', 'Varga', 'László'],
  beta: ['Alfa Health Insurance', 'Müller', 'Anna Müller'],
};

type Session = { agent: ReturnType<typeof request.agent>; csrf: string };

async function sessionFor(role: Role): Promise<Session> {
  if (role === 'anonymous') {
    const agent = request.agent(t.app);
    return { agent, csrf: csrfFrom((await agent.get('/login')).text) };
  }
  return loginAs(t.app, role);
}

/** Ids belonging to a partner: its own id, its channel, its bookings and patients. */
async function tenantIds(db: Knex, partnerName: string) {
  const partner = await db('partners').where({ name: partnerName }).first();
  const channel = await db('traffic_channels').where({ partner_id: partner.id }).first();
  const bookings = (await db('bookings').where({ partner_id: partner.id }).pluck('id')) as number[];
  const patients = (await db('patients')
    .where({ registered_by_partner_id: partner.id })
    .pluck('id')) as number[];
  return { partner: partner.id as number, channel: channel.id as number, bookings, patients };
}

/** Static assets are served before sessions exist and are public by design. */
const accessOf = (r: RouteInfo) =>
  r.access === undefined && r.path.startsWith('/static/') ? 'public' : r.access;

// Logging out in the middle of the walk would end the role's session.
const isLogout = (r: RouteInfo) => r.method === 'POST' && r.path === '/logout';

describe('access matrix: every route x every role', () => {
  it('declares who may call every route', () => {
    const routes = listRoutes(t.app);
    expect(routes.length).toBeGreaterThan(5);
    expect(routes.filter((r) => accessOf(r) === undefined).map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it('answers each role as its permissions say (anonymous: login, lacking: 403, allowed: not 401/403)', async () => {
    const routes = listRoutes(t.app).filter((r) => !isLogout(r));
    const problems: string[] = [];
    let tried = 0;
    for (const role of roles) {
      const s = await sessionFor(role);
      for (const route of routes) {
        const path = concretePath(route.path);
        const allowed = expectedAllowed(accessOf(route), role);
        const res =
          route.method === 'GET'
            ? await s.agent.get(path)
            : await s.agent.post(path).type('form').send({ _csrf: s.csrf });
        tried++;
        const label = `${role} ${route.method} ${route.path} (${JSON.stringify(route.access)}) -> ${res.status}`;
        if (res.status >= 500) problems.push(`${label}: server error`);
        else if (!allowed && role === 'anonymous') {
          if (route.method === 'GET' && !(res.status === 302 && /^\/login/.test(res.headers.location ?? '')))
            problems.push(`${label}: expected redirect to /login`);
          if (route.method === 'POST' && res.status !== 401 && res.status !== 403)
            problems.push(`${label}: expected 401/403`);
        } else if (!allowed && res.status !== 403) problems.push(`${label}: expected 403`);
        else if (allowed && (res.status === 401 || res.status === 403))
          problems.push(`${label}: expected access`);
        // The same through htmx: never a page swap into a login form, never a 500.
        if (route.method === 'GET') {
          const hx = await s.agent.get(path).set('HX-Request', 'true');
          tried++;
          if (hx.status >= 500) problems.push(`${label} (htmx): ${hx.status}`);
          if (!allowed && role !== 'anonymous' && hx.status !== 403)
            problems.push(`${label} (htmx): expected 403, got ${hx.status}`);
          if (!allowed && role === 'anonymous' && hx.status !== 401)
            problems.push(`${label} (htmx): expected 401, got ${hx.status}`);
        }
      }
      // The session still works after the walk (no route logged it out or broke it).
      if (role !== 'anonymous') expect((await s.agent.get('/')).status).toBe(200);
    }
    console.log(`access matrix: ${routes.length} routes x ${roles.length} roles, ${tried} requests`);
    expect(problems).toEqual([]);
  }, 120_000);

  it('never shows a partner user the other partner or its patients, whatever ids and filters are tried', async () => {
    const ids = {
      alfa: await tenantIds(t.db, 'Alfa Health Insurance'),
      beta: await tenantIds(t.db, 'Beta Corporate Care'),
    };
    expect(ids.alfa.patients.length).toBeGreaterThan(0);
    expect(ids.beta.bookings.length).toBeGreaterThan(0);
    const problems: string[] = [];
    let tried = 0;
    for (const role of ['alfa', 'beta'] as const) {
      const other = ids[role === 'alfa' ? 'beta' : 'alfa'];
      const s = await loginAs(t.app, role);
      const candidates = [...new Set([other.partner, other.channel, ...other.bookings, ...other.patients])];
      // Filters a hostile partner user would try, by every name a form might use.
      const filters = [other.partner, other.bookings[0], other.patients[0]]
        .filter((v) => v !== undefined)
        .map((v) =>
          ['partner', 'partner_id', 'partnerId', 'channel', 'patient', 'patient_id', 'booking', 'id']
            .map((k) => `${k}=${v}`)
            .join('&'),
        );
      filters.push(
        'q=Varga',
        'q=M%C3%BCller',
        'q=PA1234567',
        'status=cancelled',
        'all=1',
        'from=2000-01-01&to=2100-01-01',
      );
      for (const route of listRoutes(t.app).filter((r) => r.method === 'GET')) {
        const paths = /[:*]/.test(route.path)
          ? candidates.map((id) => concretePath(route.path, () => String(id)))
          : [route.path];
        for (const path of paths) {
          for (const query of paths.length > 1 ? [''] : ['', ...filters]) {
            const url = query ? `${path}?${query}` : path;
            for (const hx of query ? [false] : [false, true]) {
              const req = s.agent.get(url);
              const res = hx ? await req.set('HX-Request', 'true') : await req;
              tried++;
              if (res.status >= 500) problems.push(`${role} GET ${url}: ${res.status}`);
              const leaked = foreign[role].filter((name) => res.text.includes(name));
              if (leaked.length)
                problems.push(
                  `${role} GET ${url}${hx ? ' (htmx)' : ''} -> ${res.status} shows ${leaked.join(', ')}`,
                );
            }
          }
        }
      }
      // Posts against the other partner's bookings and patients are refused and change nothing.
      const bookingsBefore = await t.db('bookings').select('id', 'status').orderBy('id');
      // Only ids that are not also one of the role's own rows (ids of different tables coincide).
      const own = ids[role];
      const hostile = candidates.filter((id) => !own.bookings.includes(id) && !own.patients.includes(id));
      expect(hostile.length).toBeGreaterThan(0);
      for (const route of listRoutes(t.app).filter((r) => r.method === 'POST' && /[:*]/.test(r.path))) {
        for (const id of hostile) {
          const res = await s.agent
            .post(concretePath(route.path, () => String(id)))
            .type('form')
            .send({ _csrf: s.csrf, reason: 'hostile', patient_id: String(other.patients[0] ?? 1) });
          tried++;
          if (res.status >= 500 || res.status < 400)
            problems.push(`${role} POST ${route.path} with ${id}: ${res.status}`);
          const leaked = foreign[role].filter((name) => res.text.includes(name));
          if (leaked.length)
            problems.push(`${role} POST ${route.path} with ${id} shows ${leaked.join(', ')}`);
        }
      }
      expect(await t.db('bookings').select('id', 'status').orderBy('id')).toEqual(bookingsBefore);
    }
    console.log(`tenant isolation: ${tried} requests as alfa and beta`);
    expect(problems).toEqual([]);
  }, 180_000);
});
