/**
 * Operations hardening (issue 15, findings 7, 8, 9 and Node's own 400/431): fairness limits,
 * server timeouts, full disks, the session secret file, and start-up on a bad database.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Knex } from 'knex';
import request from 'supertest';
import { makeTestApp, loginAs, csrfFrom, type TestApp } from './helpers';
import { onPostgres } from './test-db';
import { demoIds, freeSlot, reserve } from './booking-helpers';
import { openDb, migrate, isDiskFull } from '../src/lib/db';
import { seedDemo } from '../seeds/demo';
import { loadConfig } from '../src/config';
import { hardenServer, type FairnessLimits } from '../src/lib/limits';

type Exchange = { data: string; closed: boolean };

/** Opens a raw connection from `localAddress`, writes `payload` and collects what comes back for up to `waitMs`. */
function rawExchange(
  port: number,
  localAddress: string,
  payload: string,
  waitMs: number,
  hold?: net.Socket[],
): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress });
    let data = '';
    let settled = false;
    const finish = (closed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (!hold) socket.destroy();
      resolve({ data, closed });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    hold?.push(socket);
    socket.on('connect', () => socket.write(payload));
    socket.on('data', (d) => (data += d.toString('latin1')));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
  });
}

/** One ordinary request from a given local address (loopback has the whole 127/8). */
function get(port: number, localAddress: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>(
    (resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port, path, localAddress, agent: false, headers },
        (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      req.end();
    },
  );
}

const slowPost = (cookie = '') =>
  'POST /login HTTP/1.1\r\nHost: clinic\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
  `${cookie ? `Cookie: ${cookie}\r\n` : ''}Content-Length: 100\r\n\r\nusername=a`;

async function serve(limits: Partial<FairnessLimits>, requestTimeoutMs = 30_000) {
  const t: TestApp = await makeTestApp({
    demo: true,
    config: {
      limits: {
        inFlightPerAddress: 8,
        inFlightPerSession: 4,
        ratePerAddress: 50,
        burstPerAddress: 100,
        ...limits,
      },
    },
  });
  const server = http.createServer({ connectionsCheckingInterval: 100 }, t.app);
  hardenServer(server, {
    requestTimeoutMs,
    headersTimeoutMs: requestTimeoutMs,
    keepAliveTimeoutMs: 1000,
    maxHeadersCount: 100,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await t.db.destroy();
  };
  return { ...t, server, port, close };
}

describe('fairness limits', () => {
  it('answers 429 with Retry-After to a client holding 20 slow requests, while another address and /healthz are served', async () => {
    const s = await serve({});
    const held: net.Socket[] = [];
    try {
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, () => rawExchange(s.port, '127.0.0.1', slowPost(), 1500, held)),
      );
      const refused = outcomes.filter((o) => o.data.startsWith('HTTP/1.1 429'));
      const waiting = outcomes.filter((o) => o.data === '');
      expect(refused).toHaveLength(12);
      expect(waiting).toHaveLength(8);
      expect(refused[0].data).toMatch(/\r\nRetry-After: \d+\r\n/i);
      expect(refused[0].data).toContain('Too many requests from your computer at once');

      const other = await get(s.port, '127.0.0.2', '/login');
      expect(other.status).toBe(200);
      expect(other.body).toContain('name="username"');
      const health = await get(s.port, '127.0.0.1', '/healthz');
      expect(health.status).toBe(200);
      expect(health.body).toBe('ok');
      // Static files are not counted either.
      expect((await get(s.port, '127.0.0.1', '/static/htmx.min.js')).status).toBe(200);
    } finally {
      for (const socket of held) socket.destroy();
      await s.close();
    }
  });

  it('frees a slot when a held request goes away', async () => {
    const s = await serve({ inFlightPerAddress: 1 });
    const held: net.Socket[] = [];
    try {
      await rawExchange(s.port, '127.0.0.1', slowPost(), 300, held);
      expect((await get(s.port, '127.0.0.1', '/login')).status).toBe(429);
      held[0].destroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await get(s.port, '127.0.0.1', '/login')).status).toBe(200);
    } finally {
      for (const socket of held) socket.destroy();
      await s.close();
    }
  });

  it('limits one session to 4 requests in flight, from whatever addresses', async () => {
    const s = await serve({});
    const held: net.Socket[] = [];
    try {
      const cookie = 'clinic.sid=s%3Asame-session.sig';
      const outcomes = await Promise.all(
        [3, 4, 5, 6, 7].map((n) => rawExchange(s.port, `127.0.0.${n}`, slowPost(cookie), 1000, held)),
      );
      expect(outcomes.filter((o) => o.data.startsWith('HTTP/1.1 429'))).toHaveLength(1);
      expect(outcomes.filter((o) => o.data === '')).toHaveLength(4);
    } finally {
      for (const socket of held) socket.destroy();
      await s.close();
    }
  });

  it('rate-limits one address beyond its burst (429, Retry-After), not another', async () => {
    const s = await serve({ ratePerAddress: 0.001, burstPerAddress: 5 });
    try {
      const statuses: number[] = [];
      let retryAfter: string | undefined;
      for (let i = 0; i < 7; i++) {
        const r = await get(s.port, '127.0.0.9', '/login');
        statuses.push(r.status);
        if (r.status === 429) retryAfter = String(r.headers['retry-after']);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      expect((await get(s.port, '127.0.0.10', '/login')).status).toBe(200);
      expect((await get(s.port, '127.0.0.9', '/healthz')).status).toBe(200);
    } finally {
      await s.close();
    }
  });
});

describe('server timeouts and Node refusals', () => {
  it('refuses a declared 50 MB body at once (413) and cuts a body that stops arriving (408)', async () => {
    const s = await serve({}, 1000);
    try {
      const huge = await rawExchange(
        s.port,
        '127.0.0.1',
        'POST /login HTTP/1.1\r\nHost: clinic\r\nContent-Type: text/plain\r\nContent-Length: 52428800\r\n\r\n',
        5000,
      );
      expect(huge.data).toMatch(/^HTTP\/1.1 413/);
      expect(huge.data).toContain('The request is too large. Nothing was changed.');

      const stalled = await rawExchange(
        s.port,
        '127.0.0.1',
        'POST /login HTTP/1.1\r\nHost: clinic\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nusername=',
        8000,
      );
      expect(stalled.closed).toBe(true);
      expect(stalled.data).toMatch(/^HTTP\/1.1 408/);
      expect(stalled.data).toContain('X-Content-Type-Options: nosniff');
    } finally {
      await s.close();
    }
  });

  it("answers Node's own 400 and 431 with the security headers", async () => {
    const s = await serve({});
    try {
      const bad = await rawExchange(s.port, '127.0.0.1', 'NOT HTTP AT ALL\r\n\r\n', 3000);
      expect(bad.data).toMatch(/^HTTP\/1.1 400/);
      const big = await rawExchange(
        s.port,
        '127.0.0.1',
        `GET / HTTP/1.1\r\nHost: clinic\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
        3000,
      );
      expect(big.data).toMatch(/^HTTP\/1.1 431/);
      for (const answer of [bad.data, big.data]) {
        expect(answer).toContain('X-Content-Type-Options: nosniff');
        expect(answer).toContain("Content-Security-Policy: default-src 'none'");
        expect(answer).toContain('X-Frame-Options: DENY');
      }
    } finally {
      await s.close();
    }
  });
});

/**
 * Makes every later write on the app's (single) connection fail as SQLite does on a full disk.
 * Reads go on. (The real error shape is checked against PRAGMA max_page_count below.)
 */
async function fillTheDisk(db: Knex): Promise<void> {
  const conn = (await db.client.acquireConnection()) as Database.Database;
  db.client.releaseConnection(conn);
  const prepare = conn.prepare.bind(conn);
  conn.prepare = ((sql: string) => {
    if (/^\s*(insert|update|delete|replace)\b/i.test(sql))
      throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
    return prepare(sql);
  }) as typeof conn.prepare;
}

// The fault is injected into better-sqlite3's connection; PostgreSQL's disk_full (53100) takes
// the same path (isDiskFull), but a server cannot be filled up from a test.
(onPostgres ? describe.skip : describe)('a full disk', () => {
  it('is what SQLite reports as SQLITE_FULL, and isDiskFull knows it', async () => {
    const db = openDb(':memory:');
    try {
      await db.raw('create table filler (body blob)');
      const pages = Number((await db.raw('pragma page_count'))[0].page_count);
      await db.raw(`pragma max_page_count = ${pages + 2}`);
      let failure: unknown;
      try {
        for (let i = 0; i < 100; i++) await db('filler').insert({ body: Buffer.alloc(4000) });
      } catch (err) {
        failure = err;
      }
      expect((failure as { code?: string }).code).toBe('SQLITE_FULL');
      expect(isDiskFull(failure)).toBe(true);
      expect(isDiskFull(Object.assign(new Error('x'), { code: 'ENOSPC' }))).toBe(true);
      expect(isDiskFull(Object.assign(new Error('x'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }))).toBe(false);
    } finally {
      await db.destroy();
    }
  });

  it('answers writes 503 "disk is full, nothing was changed" and goes on serving reads', async () => {
    const t = await makeTestApp({ demo: true });
    try {
      const ids = await demoIds(t.db);
      const desk = await loginAs(t.app, 'alfa');
      const slot = await freeSlot(t.db, ids.buda, ids.cardioConsult, 1);
      const holdsBefore = await t.db('holds').count({ n: '*' }).first();
      await fillTheDisk(t.db);

      const hold = await reserve(desk, { institution: ids.buda, service: ids.cardioConsult, slot: slot.id });
      expect(hold.status).toBe(503);
      expect(hold.text).toContain('The server&#39;s disk is full. Nothing was changed.');
      expect(await t.db('holds').count({ n: '*' }).first()).toEqual(holdsBefore);

      const bookings = await desk.agent.get('/bookings');
      expect(bookings.status).toBe(200);
      expect(bookings.text).toContain('Bookings');
    } finally {
      await t.db.destroy();
    }
  });

  it('answers a login 503 instead of a misleading "form expired" 403', async () => {
    const t = await makeTestApp({ demo: true });
    try {
      // The login page was shown before the disk filled: the failed attempt cannot be audited.
      const early = request.agent(t.app);
      const earlyCsrf = csrfFrom((await early.get('/login')).text);
      await fillTheDisk(t.db);
      const wrong = await early
        .post('/login')
        .type('form')
        .send({ username: 'desk', password: 'wrong-password', _csrf: earlyCsrf });
      expect(wrong.status).toBe(503);
      expect(wrong.text).toContain('disk is full');

      // Shown on the full disk: its token could not be stored.
      const late = request.agent(t.app);
      const page = await late.get('/login');
      expect(page.status).toBe(200);
      const res = await late
        .post('/login')
        .type('form')
        .send({ username: 'desk', password: 'demo1234', _csrf: csrfFrom(page.text) });
      expect(res.status).toBe(503);
      expect(res.text).toContain('disk is full');
      expect(res.text).not.toContain('expired');
    } finally {
      await t.db.destroy();
    }
  });
});

describe('the session secret file', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-secret-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const envFor = (d: string) => ({ DATABASE_FILE: path.join(d, 'clinic.sqlite') });

  it('refuses an empty or short file with one line naming it', () => {
    const file = path.join(dir, 'session-secret');
    fs.writeFileSync(file, '');
    expect(() => loadConfig(envFor(dir))).toThrow(`The session secret file ${file} is empty`);
    fs.writeFileSync(file, 'short\n');
    let message = '';
    try {
      loadConfig(envFor(dir));
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(`The session secret file ${file} is too short`);
    expect(message.split('\n')).toHaveLength(1);
    expect(fs.readFileSync(file, 'utf8')).toBe('short\n');
  });

  it('writes a new one whole, mode 0600, with no temporary file left', () => {
    const config = loadConfig(envFor(dir));
    const file = path.join(dir, 'session-secret');
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(config.sessionSecret);
    expect(config.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['session-secret']);
    expect(loadConfig(envFor(dir)).sessionSecret).toBe(config.sessionSecret);
  });
});

describe('start-up on a bad database file', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-badstart-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Starts src/server.ts on `file` and waits for it to exit (it must, within the timeout). */
  function startServer(file: string, asUser?: number): Promise<{ code: number | null; out: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
        cwd: path.resolve(__dirname, '..'),
        env: {
          ...process.env,
          PORT: '1',
          HOST: '127.0.0.1',
          DATABASE_FILE: file,
          SESSION_SECRET: 'badstart-secret-badstart-secret-0123456789',
          LOG_LEVEL: 'silent',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(asUser === undefined ? {} : { uid: asUser, gid: asUser }),
      });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('error', reject);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, out });
      });
    });
  }

  function expectOneLine(run: { code: number | null; out: string }, file: string, problem: RegExp) {
    expect(run.code).toBe(1);
    const lines = run.out.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`Cannot start: the database file ${file} `);
    expect(lines[0]).toMatch(problem);
    expect(run.out).not.toMatch(/\bat .*:\d+:\d+|migrate:unlock|Error:/);
  }

  it('refuses a read-only file', async () => {
    const file = path.join(dir, 'clinic.sqlite');
    const db = openDb(file);
    await migrate(db);
    await db.destroy();
    fs.chmodSync(file, 0o444);
    fs.chmodSync(dir, 0o755);
    // root may write anything: start the server as an ordinary user then.
    const run = await startServer(file, process.getuid?.() === 0 ? 65534 : undefined);
    expectOneLine(run, file, /is read-only/);
  }, 60_000);

  it('refuses a file of random bytes', async () => {
    const file = path.join(dir, 'clinic.sqlite');
    fs.writeFileSync(file, crypto.randomBytes(256 * 1024));
    expectOneLine(await startServer(file), file, /is not an SQLite database/);
  }, 60_000);

  it('refuses a database with damaged pages', async () => {
    const file = path.join(dir, 'clinic.sqlite');
    const db = openDb(file);
    await migrate(db);
    await seedDemo(db);
    await db.raw('pragma wal_checkpoint(TRUNCATE)');
    await db.destroy();
    const size = fs.statSync(file).size;
    const pageSize = 4096;
    const middle = Math.floor(size / pageSize / 2) * pageSize;
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(pageSize * 4, 0xa5), 0, pageSize * 4, middle);
    fs.closeSync(fd);
    expectOneLine(await startServer(file), file, /is damaged \(quick_check: .+\)/);
  }, 60_000);
});
