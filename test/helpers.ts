/**
 * Test plumbing: a fresh database per app (SQLite in memory, or PostgreSQL with TEST_DATABASE_URL: test/test-db.ts), optional demo clinic, and logged-in agents.
 */
import request from 'supertest';
import type { Knex } from 'knex';
import { createApp } from '../src/app';
import { testConfig, type Config } from '../src/config';
import { openTestDb } from './test-db';
import { fixtures } from './fixtures';
import { seedDemo } from '../seeds/demo';
import pino from 'pino';
import { systemClock, type Clock } from '../src/lib/clock';

export type TestApp = { app: ReturnType<typeof createApp>; db: Knex; config: Config; clock: Clock };

export async function makeTestApp(
  options: {
    /** The whole demo clinic (seeds/demo.ts), for tests of booking against realistic data. */
    demo?: boolean;
    /** Only the demo logins, two institutions and two partners (fixtures.staffOffice). */
    staff?: boolean;
    config?: Partial<Config>;
    clock?: Clock;
  } = {},
): Promise<TestApp> {
  const db = await openTestDb();
  const clock = options.clock ?? systemClock;
  if (options.demo) await seedDemo(db, clock);
  else if (options.staff) await fixtures.staffOffice(db);
  const config = testConfig(options.config);
  const app = createApp(db, config, { logger: pino({ level: process.env.TEST_LOG ?? 'silent' }), clock });
  // Let the app's start-up queries (session store check, first pruning) take their connections, so
  // a test that ends at once can destroy the pool without aborting them (PostgreSQL's pool is async).
  await new Promise((r) => setImmediate(r));
  await db.raw('select 1');
  return { app, db, config, clock };
}

/** The CSRF token a page carries (hidden field or htmx header). */
export function csrfFrom(html: string): string {
  const m = html.match(/name="_csrf" value="([^"]+)"/) ?? html.match(/"x-csrf-token": "([^"]+)"/);
  if (!m) throw new Error('no CSRF token in page');
  return m[1];
}

export type LoggedIn = { agent: ReturnType<typeof request.agent>; csrf: string };

/** Logs in through the real form and returns the agent plus a CSRF token for further posts. */
export async function loginAs(
  app: TestApp['app'],
  username: string,
  password = 'demo1234',
): Promise<LoggedIn> {
  const agent = request.agent(app);
  const page = await agent.get('/login');
  const res = await agent
    .post('/login')
    .type('form')
    .send({ username, password, _csrf: csrfFrom(page.text) });
  if (res.status !== 302) throw new Error(`login as ${username} failed: ${res.status}`);
  const home = await agent.get('/');
  return { agent, csrf: csrfFrom(home.text) };
}

/** A fresh CSRF token from any page the agent can see. */
export async function freshCsrf(agent: LoggedIn['agent'], path = '/'): Promise<string> {
  return csrfFrom((await agent.get(path)).text);
}
