/**
 * Shared plumbing for the reliability suites: server processes on a shared database file,
 * cheaply minted sessions, database dumps, and a small HTTP client that keeps its cookie.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import request from 'supertest';
import { csrfFrom } from '../helpers';
import { isSqlite } from '../../src/lib/db';
import { rawRows, tableNames } from '../test-db';

export const projectRoot = path.resolve(__dirname, '../..');
export const serverSecret = 'reliability-secret-reliability-secret-0123456789';

export function tempDir(prefix = 'clinic-rel-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

// ---------------------------------------------------------------- server processes

export type ServerProcess = {
  url: string;
  port: number;
  child: ChildProcess;
  output: () => string;
  kill: (signal?: NodeJS.Signals) => Promise<void>;
};

const running = new Set<ChildProcess>();

/** Kills every server this test file started; call from afterAll/afterEach. */
export async function killAllServers(): Promise<void> {
  await Promise.all([...running].map((child) => stop(child, 'SIGKILL')));
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    running.delete(child);
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
    }, 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      running.delete(child);
      resolve();
    });
    child.kill(signal);
  });
}

/**
 * Starts `src/server.ts` (through tsx) on a random port against databaseFile and resolves once
 * it prints its URL. Retries on another port if the chosen one is taken.
 */
export async function startServer(
  databaseFile: string,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 40000);
    try {
      return await startOn(port, databaseFile, env);
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

function startOn(port: number, databaseFile: string, env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: projectRoot,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_FILE: databaseFile,
      DEMO: '1',
      SESSION_SECRET: serverSecret,
      LOG_LEVEL: 'error',
      NODE_ENV: 'production',
      // These suites fire dozens of parallel clients from one address; the fairness limits are tested elsewhere.
      LIMIT_INFLIGHT_PER_ADDRESS: '0',
      LIMIT_INFLIGHT_PER_SESSION: '0',
      LIMIT_RATE_PER_ADDRESS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const server: ServerProcess = {
    url,
    port,
    child,
    output: () => out,
    kill: (signal = 'SIGKILL') => stop(child, signal),
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop(child, 'SIGKILL');
      reject(new Error(`server did not start within 30 s:\n${out}`));
    }, 30_000);
    const onData = () => {
      if (/running at http:\/\/localhost:\d+/.test(out)) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve(server);
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      reject(new Error(`server exited (${code ?? signal}) before listening:\n${out}`));
    });
  });
}

// ---------------------------------------------------------------- sessions

/** express-session's signed cookie value (cookie-signature: HMAC-SHA256, base64 without padding). */
export function signedSessionCookie(sid: string, secret = serverSecret): string {
  const mac = crypto.createHmac('sha256', secret).update(sid).digest('base64').replace(/=+$/, '');
  return `clinic.sid=${encodeURIComponent(`s:${sid}.${mac}`)}`;
}

export type Client = { cookie: string; csrf: string; sid: string };

/**
 * Logs in once through the real form, then copies that session row n times under fresh ids.
 * Each copy is a distinct session (own id, own holds) for the same user. Argon2 verification
 * is deliberately slow; 200 real logins would spend the suite's time budget on hashing.
 */
export async function mintSessions(
  db: Knex,
  base: string | Parameters<typeof request.agent>[0],
  username: string,
  n: number,
  secret = serverSecret,
): Promise<Client[]> {
  const agent = request.agent(base);
  const page = await agent.get('/login');
  const res = await agent
    .post('/login')
    .type('form')
    .send({ username, password: 'demo1234', _csrf: csrfFrom(page.text) });
  if (res.status !== 302) throw new Error(`login as ${username} failed: ${res.status}`);
  const home = await agent.get('/');
  const csrf = csrfFrom(home.text);
  const setCookie = ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .find((c) => c.startsWith('clinic.sid='))!;
  const sid = decodeURIComponent(setCookie.split(';')[0].slice('clinic.sid='.length)).slice(2).split('.')[0];
  const row = await db('sessions').where({ sid }).first();
  if (!row) throw new Error('session row not found');
  const clients: Client[] = [];
  const rows = [];
  for (let i = 0; i < n; i++) {
    const newSid = crypto.randomBytes(24).toString('base64url');
    rows.push({ sid: newSid, sess: row.sess, expired: row.expired });
    clients.push({ sid: newSid, cookie: signedSessionCookie(newSid, secret), csrf });
  }
  for (let i = 0; i < rows.length; i += 100) await db('sessions').insert(rows.slice(i, i + 100));
  return clients;
}

// ---------------------------------------------------------------- database facts

/** Every table's rows (ordered), except those that legitimately change on any request. */
export async function dumpDb(
  db: Knex,
  skip: string[] = ['sessions', 'audit_log', 'login_throttle', 'knex_migrations', 'knex_migrations_lock'],
): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const name of await tableNames(db)) {
    if (skip.includes(name)) continue;
    out[name] = await db(name).select('*').orderByRaw('1, 2');
  }
  return out;
}

/** Structural facts that must hold after anything: no half-written or doubled bookings. */
export async function bookingInvariants(db: Knex): Promise<string[]> {
  const problems: string[] = [];
  const q = async (label: string, sql: string) => {
    const rows = await rawRows(db, sql);
    if (rows.length) problems.push(`${label}: ${JSON.stringify(rows.slice(0, 5))}`);
  };
  await q(
    'booked booking without slots',
    "select b.id from bookings b where b.status = 'booked' and not exists (select 1 from booking_slots bs where bs.booking_id = b.id)",
  );
  await q(
    'booked booking without occupancy',
    "select b.id from bookings b join booking_slots bs on bs.booking_id = b.id where b.status = 'booked' and not exists (select 1 from slot_occupancies o where o.slot_id = bs.slot_id and o.booking_id = b.id)",
  );
  await q(
    'occupancy of a missing or cancelled booking',
    "select o.slot_id from slot_occupancies o left join bookings b on b.id = o.booking_id where b.id is null or b.status <> 'booked'",
  );
  await q(
    'occupancy without booking_slots',
    'select o.slot_id from slot_occupancies o where not exists (select 1 from booking_slots bs where bs.slot_id = o.slot_id and bs.booking_id = o.booking_id)',
  );
  await q(
    'slot in two active bookings',
    "select bs.slot_id, count(*) n from booking_slots bs join bookings b on b.id = bs.booking_id where b.status = 'booked' group by bs.slot_id having count(*) > 1",
  );
  // PostgreSQL checks foreign keys on every statement and has no integrity pragma.
  if (isSqlite(db)) {
    const integrity = (await db.raw('pragma integrity_check')) as { integrity_check: string }[];
    if (integrity[0]?.integrity_check !== 'ok')
      problems.push(`integrity_check: ${JSON.stringify(integrity)}`);
    const fk = (await db.raw('pragma foreign_key_check')) as unknown[];
    if (fk.length) problems.push(`foreign_key_check: ${JSON.stringify(fk.slice(0, 5))}`);
  }
  return problems;
}

/** Runs tasks with at most `limit` in flight. */
export async function pool<T, R>(
  items: T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i], i);
    }
  });
  await Promise.all(lanes);
  return results;
}

// ---------------------------------------------------------------- demo data look-ups

export type FreeSlot = {
  slotId: number;
  institutionId: number;
  doctorId: number;
  serviceId: number;
  qualificationId: number;
  startsAt: string;
};

/**
 * Free single-slot cells bookable through a channel: future, open, not occupied or held, the
 * service ticked for the channel at the institution and offered there by the doctor, and the
 * service one slot long (so one slot is the whole booking).
 */
export async function freeSlots(db: Knex, channelId: number, limit = 50): Promise<FreeSlot[]> {
  const rows = await db('slots as s')
    .join('doctor_services as ds', function () {
      this.on('ds.doctor_id', 's.doctor_id').andOn('ds.institution_id', 's.institution_id');
    })
    .join('channel_services as cs', function () {
      this.on('cs.institution_id', 's.institution_id').andOn('cs.service_id', 'ds.service_id');
    })
    .join('services as sv', 'sv.id', 'ds.service_id')
    .where('cs.channel_id', channelId)
    .where('s.status', 'open')
    .where('s.starts_at', '>', new Date(Date.now() + 3600_000).toISOString())
    .whereNotExists(db('slot_occupancies as o').whereRaw('o.slot_id = s.id'))
    .whereNotExists(db('hold_slots as h').whereRaw('h.slot_id = s.id'))
    .select(
      's.id as slotId',
      's.institution_id as institutionId',
      's.doctor_id as doctorId',
      'ds.service_id as serviceId',
      'sv.qualification_id as qualificationId',
      's.starts_at as startsAt',
      's.ends_at as endsAt',
      'sv.duration_minutes as durationMinutes',
    )
    .orderBy('s.starts_at')
    .orderBy('s.id')
    .limit(limit * 20);
  // One row per slot (a slot may be bookable for several services), the service one slot long
  // (compared here: the engines spell date arithmetic differently).
  const seen = new Set<number>();
  return (rows as (FreeSlot & { endsAt?: string; durationMinutes?: number })[])
    .filter((r) => r.durationMinutes! * 60_000 <= Date.parse(r.endsAt!) - Date.parse(r.startsAt) + 30_000)
    .map(({ endsAt: _e, durationMinutes: _d, ...r }) => r)
    .filter((r) => (seen.has(r.slotId) ? false : (seen.add(r.slotId), true)))
    .slice(0, limit);
}

export async function channelOf(
  db: Knex,
  partnerName: string,
): Promise<{ partnerId: number; channelId: number }> {
  const row = await db('partners as p')
    .join('traffic_channels as c', 'c.partner_id', 'p.id')
    .where('p.name', partnerName)
    .select('p.id as partnerId', 'c.id as channelId')
    .first();
  return row;
}

/** Writes a booking the way the booking service does (one transaction, occupancy included). */
export async function insertBookingSql(
  db: Knex,
  slot: FreeSlot,
  opts: { channelId: number; partnerId: number | null; userId: number; patientId: number; key: string },
): Promise<number> {
  return db.transaction(async (trx) => {
    const s = await trx('slots').where({ id: slot.slotId }).first();
    const [r] = await trx('bookings')
      .insert({
        institution_id: slot.institutionId,
        doctor_id: slot.doctorId,
        service_id: slot.serviceId,
        patient_id: opts.patientId,
        channel_id: opts.channelId,
        partner_id: opts.partnerId,
        created_by_user_id: opts.userId,
        starts_at: s.starts_at,
        ends_at: s.ends_at,
        local_date: s.local_date,
        created_local_date: s.local_date,
        price_minor: 1000,
        commission_minor: 0,
        status: 'booked',
        idempotency_key: opts.key,
        created_at: new Date().toISOString(),
      })
      .returning('id');
    const id = typeof r === 'object' ? (r as { id: number }).id : (r as number);
    await trx('booking_slots').insert({ booking_id: id, slot_id: slot.slotId });
    await trx('slot_occupancies').insert({ slot_id: slot.slotId, booking_id: id });
    return id;
  });
}

// ---------------------------------------------------------------- routes

/** Fills a route pattern's parameters (Express 5: `:id`, `*rest`, optional `{/:id}`). */
export function concretePath(pattern: string, value: (name: string) => string = () => '999999'): string {
  return pattern
    .replace(/[{}]/g, '')
    .replace(/[:*](\w+)/g, (_m, name: string) => encodeURIComponent(value(name)));
}

export const demoRoles = {
  admin: ['partner_booking', 'booking', 'bookings_view', 'patients', 'users_admin', 'settings', 'statistics'],
  desk: ['partner_booking', 'booking', 'bookings_view', 'patients'],
  viewer: ['bookings_view'],
  alfa: ['partner_booking', 'bookings_view'],
  beta: ['partner_booking', 'bookings_view'],
} as const;
export type DemoRole = keyof typeof demoRoles;
export type Role = DemoRole | 'anonymous';

/** The outcome the matrix expects, derived from the declared access and the role's permissions (not from the app's own check). */
export function expectedAllowed(access: unknown, role: Role): boolean {
  if (access === 'public') return true;
  if (role === 'anonymous') return false;
  if (access === 'authenticated') return true;
  const needed = (Array.isArray(access) ? access : [access]) as string[];
  return needed.some((p) => (demoRoles[role] as readonly string[]).includes(p));
}
