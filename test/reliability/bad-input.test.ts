/**
 * A generated corpus of malformed requests against every POST route and every GET route (walked
 * from the router, so routes added later are covered), as admin, desk and alfa with valid CSRF
 * tokens. Every answer is below 500, every 4xx carries a message, and nothing a rejected request
 * sent reaches the database.
 *
 * Changes are caught per request by temporary triggers on every table (sessions and audit_log
 * excepted: every request touches its session, and failed logins are audited by design), and
 * the whole database is compared before and after the malformed part of the corpus.
 */
import type request from 'supertest';
import type { Knex } from 'knex';
import { listRoutes, type RouteInfo } from '../../src/lib/router';
import { makeTestApp, loginAs, type TestApp } from '../helpers';
import { fixtures } from '../fixtures';
import { dumpDb, expectedAllowed } from './support';
import { isPostgres } from '../../src/lib/db';
import { rawRows, tableNames } from '../test-db';

jest.setTimeout(240_000);

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp({ demo: true });
});
afterAll(async () => {
  await t.db.destroy();
});

const unwatched = new Set([
  'sessions',
  'audit_log',
  'login_throttle',
  'knex_migrations',
  'knex_migrations_lock',
]);

/**
 * Triggers record every write to a watched table: temporary ones on SQLite's one connection; on
 * PostgreSQL (a database of this test's own) ordinary row triggers into a fuzz_changes table.
 */
async function watchWrites(db: Knex): Promise<() => Promise<{ tbl: string; op: string }[]>> {
  const tables = (await tableNames(db)).filter((n) => !unwatched.has(n));
  if (isPostgres(db)) {
    await db.raw('create table if not exists fuzz_changes (id serial primary key, tbl text, op text)');
    await db.raw(`create or replace function fuzz_record() returns trigger language plpgsql as $$
      begin insert into fuzz_changes (tbl, op) values (tg_table_name, lower(tg_op)); return null; end $$`);
    for (const table of tables)
      await db.raw(
        `create or replace trigger fuzz_${table} after insert or update or delete on "${table}" for each row execute function fuzz_record()`,
      );
  } else {
    await db.raw('create temp table if not exists fuzz_changes (id integer primary key, tbl text, op text)');
    for (const table of tables) {
      for (const op of ['insert', 'update', 'delete']) {
        await db.raw(
          `create temp trigger if not exists fuzz_${table}_${op} after ${op} on main."${table}" begin insert into fuzz_changes (tbl, op) values ('${table}', '${op}'); end`,
        );
      }
    }
  }
  return async () => {
    const rows = await rawRows<{ tbl: string; op: string }>(db, 'select tbl, op from fuzz_changes');
    if (rows.length) await db.raw('delete from fuzz_changes');
    return rows;
  };
}

/** Raw, already-encoded values: the corpus controls the bytes on the wire. */
const enc = encodeURIComponent;
const malformed: Record<string, string[]> = {
  huge: [enc('A'.repeat(99_000)), enc('ű'.repeat(20_000))],
  invalidUtf8: ['%C3%28', '%FF', '%ED%A0%80', '%F0%28%8C%BC', 'abc%', '%%41', '%E9t%E9'],
  control: ['%00', 'abc%00def', '%01%02%1B%7F', '%0D%0ASet-Cookie:%20x=1', '%E2%80%AE', '%08'],
  impossibleDate: [
    '2026-02-30',
    '2026-13-01',
    '0000-00-00',
    '99999-01-01',
    '2025-02-29',
    '2026-1-1',
    '2026-06-31T25:61',
    '-001-01-01',
  ],
  numbers: [
    '-1',
    '0',
    '1e309',
    '99999999999999999999',
    '-99999999999999999999',
    'NaN',
    'Infinity',
    '1.5',
    '0x10',
    '%20%201%20',
    '%D9%A1',
    '2147483648',
    '-0',
    '1e3',
  ],
  types: ['true', 'null', 'undefined', '%7B%7D', '%5B%5D', '[object Object]'],
};
/** Hostile but legitimate text: may be accepted (a name can contain an apostrophe), never executed. */
const hostileText: Record<string, string[]> = {
  sql: [
    enc("' OR '1'='1"),
    enc('1; DROP TABLE bookings; --'),
    enc('1 UNION SELECT password_hash FROM users --'),
    enc("%' --"),
    enc('\\'),
  ],
  html: [
    enc('<script>alert(1)</script>'),
    enc('"><img src=x onerror=alert(1)>'),
    enc('javascript:alert(1)'),
    enc('{{7*7}}<%= 7*7 %>'),
  ],
};

type Attempt = {
  role: string;
  method: string;
  url: string;
  body: string;
  kind: string;
  status: number;
  changes: { tbl: string; op: string }[];
  text: string;
};

/** Form field names from every page the role can see, and which routes their forms submit to. */
async function discoverFields(
  agent: ReturnType<typeof request.agent>,
  routes: RouteInfo[],
  withQuery: Set<string>,
): Promise<Set<string>> {
  const names = new Set([
    'institution',
    'partner',
    'channel',
    'qualification',
    'doctor',
    'service',
    'slot',
    'week',
    'date',
    'from',
    'to',
    'q',
    'status',
    'patient_id',
    'reason',
    'id',
    'name',
    'family_name',
    'given_name',
    'birth_date',
    'id_type',
    'id_number',
    'phone',
    'email',
    'username',
    'password',
    'next',
    'page',
  ]);
  for (const route of routes.filter((r) => r.method === 'GET' && !/[:*]/.test(r.path))) {
    const res = await agent.get(route.path);
    // A page with a GET form or a query link is a GET route with parameters.
    if (/<form(?![^>]*method="post")[^>]*>|href="[^"]*\?/i.test(res.text)) withQuery.add(route.path);
    for (const m of res.text.matchAll(/\bname="([^"]{1,60})"/g)) if (m[1] !== '_csrf') names.add(m[1]);
  }
  return names;
}

describe('bad input corpus', () => {
  it('answers every malformed request below 500, with a message, changing nothing', async () => {
    const routes = listRoutes(t.app).filter(
      (r) => !r.path.startsWith('/static/') && !(r.method === 'POST' && r.path === '/logout'),
    );
    const logins = {
      admin: await loginAs(t.app, 'admin'),
      desk: await loginAs(t.app, 'desk'),
      alfa: await loginAs(t.app, 'alfa'),
    };
    const withQuery = new Set<string>(['/login']);
    const fields = await discoverFields(logins.admin.agent, routes, withQuery);
    for (const m of (await discoverFields(logins.desk.agent, routes, withQuery)).values()) fields.add(m);
    for (const m of (await discoverFields(logins.alfa.agent, routes, withQuery)).values()) fields.add(m);
    const fieldList = [...fields];
    expect(fieldList.length).toBeGreaterThan(10);

    // Ids of the other tenant, for alfa: Beta's partner, channel, patients and bookings.
    const beta = await t.db('partners').where({ name: 'Beta Corporate Care' }).first();
    const foreignIds = [
      beta.id,
      (await t.db('traffic_channels').where({ partner_id: beta.id }).first()).id,
      ...((await t.db('patients').where({ registered_by_partner_id: beta.id }).pluck('id')) as number[]),
      ...((await t.db('bookings').where({ partner_id: beta.id }).pluck('id')) as number[]),
    ].map(String);
    // Ids of different tables coincide: leave out any that is also one of Alfa's own rows.
    const alfaPartner = await t.db('partners').where({ name: 'Alfa Health Insurance' }).first();
    const ownIds = new Set(
      [
        ...((await t.db('bookings').where({ partner_id: alfaPartner.id }).pluck('id')) as number[]),
        ...((await t
          .db('patients')
          .where({ registered_by_partner_id: alfaPartner.id })
          .pluck('id')) as number[]),
      ].map(String),
    );
    foreignIds.splice(0, foreignIds.length, ...foreignIds.filter((id) => !ownIds.has(id)));
    expect(foreignIds.length).toBeGreaterThan(1);

    const changesSince = await watchWrites(t.db);
    // The watch must be live, or this test could not fail.
    await t.db('qualifications').where({ id: -1 }).update({ name: 'x' });
    await fixtures.qualification(t.db, 'Canary');
    expect((await changesSince()).map((c) => c.tbl)).toEqual(['qualifications']);
    await t.db('qualifications').where({ name: 'Canary' }).del();
    await changesSince();

    const attempts: Attempt[] = [];
    const send = async (
      role: keyof typeof logins,
      method: string,
      url: string,
      body: string,
      kind: string,
    ) => {
      const { agent, csrf } = logins[role];
      const withToken = body ? `${body}&_csrf=${enc(csrf)}` : `_csrf=${enc(csrf)}`;
      const res =
        method === 'GET'
          ? await agent.get(body ? `${url}?${body}` : url)
          : await agent.post(url).set('Content-Type', 'application/x-www-form-urlencoded').send(withToken);
      attempts.push({
        role,
        method,
        url,
        body: body.slice(0, 120),
        kind,
        status: res.status,
        changes: await changesSince(),
        text: res.text ?? '',
      });
    };

    const paramRoute = (r: RouteInfo) => /[:*]/.test(r.path);
    const fill = (r: RouteInfo, value: string) => r.path.replace(/[{}]/g, '').replace(/[:*]\w+/g, value);
    // Every POST route, and every GET route with parameters (in its path or in a GET form).
    const targets = routes.filter((r) => r.method === 'POST' || paramRoute(r) || withQuery.has(r.path));

    /**
     * Part A, never valid whatever the route: missing fields, bracket and prototype keys, huge
     * values, malformed path parameters, another tenant's ids. Path parameters name nothing that
     * exists here, so even a form without fields cannot be a valid request.
     */
    const strictPass = async (role: keyof typeof logins) => {
      const pathValues = ['%FF', '%C3%28', '%00', '-1', '1e309', '99999999999999999999', '1.5', '999999'];
      // Routes the role may not call answer 403 before reading input (the access matrix covers them).
      for (const [n, route] of targets.filter((r) => expectedAllowed(r.access, role)).entries()) {
        const url = fill(route, '999999');
        await send(role, route.method, url, '', 'missing');
        await send(
          role,
          route.method,
          url,
          fieldList.map((f) => `${enc(f)}%5B%5D=1&${enc(f)}%5Ba%5D=2`).join('&'),
          'brackets',
        );
        await send(
          role,
          route.method,
          url,
          '__proto__%5Badmin%5D=1&constructor%5Bprototype%5D%5Bx%5D=1&__proto__=1&hasOwnProperty=1&toString=1',
          'prototype',
        );
        for (const [i, v] of malformed.huge.entries()) {
          if ((i + n) % 2) continue; // one of the two per route, alternating
          const body = [fieldList[i % fieldList.length], 'name', 'q', 'password']
            .map((f) => `${enc(f)}=${v}`)
            .join('&');
          await send(role, route.method, url, route.method === 'GET' ? body.slice(0, 7000) : body, 'huge');
        }
        if (paramRoute(route))
          for (const v of pathValues.filter((_, i) => (i + n) % 2 === 0))
            await send(role, route.method, fill(route, v), 'reason=x&name=x', 'malformed path');
        if (role === 'alfa') {
          for (const id of foreignIds) {
            await send(
              role,
              route.method,
              url,
              fieldList.map((f) => `${enc(f)}=${id}`).join('&'),
              'foreign id',
            );
            if (paramRoute(route))
              await send(role, route.method, fill(route, id), `reason=x&patient_id=${id}`, 'foreign id');
          }
        }
      }
    };

    /**
     * Part B, every field of every route gets the same hostile value (and mixes of them), with
     * path parameters naming real rows. Free-text fields may legitimately accept some of these
     * (a new password may well be "2026-02-30"); what must hold is that nothing is a 500 and a
     * rejected request writes nothing.
     */
    const valuePass = async (
      role: keyof typeof logins,
      families: Record<string, string[]>,
      stride: number,
    ) => {
      // A sample (every stride-th value, rotating) keeps the suite fast.
      const values = Object.entries(families).flatMap(([kind, vs]) => vs.map((v) => ({ kind, v })));
      for (const [n, route] of targets.filter((r) => expectedAllowed(r.access, role)).entries()) {
        // A different slice of the values for each route, so the corpus covers them all.
        const sample = values.filter((_, i) => (i + n) % stride === 0);
        const url = fill(route, '1');
        for (const { kind, v } of sample)
          await send(role, route.method, url, fieldList.map((f) => `${enc(f)}=${v}`).join('&'), kind);
        await send(
          role,
          route.method,
          url,
          fieldList.map((f) => `${enc(f)}=x&${enc(f)}=1&${enc(f)}=`).join('&'),
          'array',
        );
        for (let k = n % 3; k < (n % 3) + 1; k++)
          await send(
            role,
            route.method,
            url,
            fieldList.map((f, j) => `${enc(f)}=${values[(j * 7 + k * 13) % values.length].v}`).join('&'),
            'mixed',
          );
      }
    };

    const before = await dumpDb(t.db);
    for (const role of ['admin', 'desk', 'alfa'] as const) await strictPass(role);
    const afterStrict = await dumpDb(t.db);
    const strictCount = attempts.length;
    const { huge: _huge, ...valueFamilies } = malformed;
    for (const role of ['admin', 'desk', 'alfa'] as const)
      await valuePass(role, { ...valueFamilies, ...hostileText }, role === 'admin' ? 4 : 8);

    const problems: string[] = [];
    const describeAttempt = (a: Attempt) =>
      `${a.role} ${a.method} ${a.url} [${a.kind}] ${a.body.slice(0, 60)} -> ${a.status}`;
    for (const a of attempts) {
      if (a.status >= 500) problems.push(`${describeAttempt(a)}: server error`);
      if (a.status >= 400 && a.status < 500) {
        // A clear message: the error page's or the form's, never an empty body or a stack trace.
        if (
          !/class="(?:message|errors?|field-error|error-summary)|role="alert"|<h1/i.test(a.text) ||
          a.text.trim().length < 50
        )
          problems.push(`${describeAttempt(a)}: no message`);
        if (/\bat \w+ \(|node_modules|SQLITE_|ZodError/.test(a.text))
          problems.push(`${describeAttempt(a)}: leaks internals`);
      }
      if (a.changes.length && a.status >= 400)
        problems.push(`${describeAttempt(a)}: rejected but wrote ${JSON.stringify(a.changes.slice(0, 3))}`);
      if (a.changes.length && attempts.indexOf(a) < strictCount)
        problems.push(
          `${describeAttempt(a)}: invalid request accepted and written ${JSON.stringify(a.changes.slice(0, 3))}`,
        );
      if (a.role === 'alfa' && a.status < 400 && a.kind === 'foreign id' && a.method === 'POST')
        problems.push(`${describeAttempt(a)}: another tenant's id accepted`);
    }
    const accepted = attempts.filter((a) => a.changes.length);
    const statuses = attempts.reduce<Record<number, number>>(
      (acc, a) => ((acc[a.status] = (acc[a.status] ?? 0) + 1), acc),
      {},
    );
    console.log(
      `bad input: ${attempts.length} requests (${strictCount} never-valid, ${attempts.length - strictCount} hostile values) over ${targets.length} routes; ` +
        `statuses ${JSON.stringify(statuses)}; 500s: ${attempts.filter((a) => a.status >= 500).length}; accepted writes: ${accepted.length}` +
        (accepted.length ? `\n${accepted.slice(0, 10).map(describeAttempt).join('\n')}` : ''),
    );
    expect(problems.slice(0, 40)).toEqual([]);
    expect(attempts.length).toBeGreaterThanOrEqual(1000);
    expect(afterStrict).toEqual(before);
  });
});
