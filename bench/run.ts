/**
 * `npm run bench [-- --scale 0.01] [--duration 8] [--json FILE] [--only calendar,search]`
 *
 * The performance harness of issue 11. Builds (once, cached in tmp/bench-cache/) a chain-scale
 * database with the project's migrations and slot-time code (bench/build.ts), builds the app,
 * starts the real server on a copy of it (NODE_ENV=production) and a bare Express 5 hello
 * server, and drives both over HTTP with autocannon, interleaved A B A B, per measure. Prints
 * req/s, p50, p99, the ratio to hello, the server's VmHWM and the goal; --json writes the same.
 *
 * `--engine pg` runs the same on PostgreSQL (server `--pg-server URL`, default BENCH_PG_URL or the
 * local socket): the SQLite build is copied once into a kept PostgreSQL database
 * (bench/pg-load.ts) and each run works on a fresh template copy of it.
 */
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import knex, { type Knex } from 'knex';
import { DateTime } from 'luxon';
import { benchPassword, buildDatabase, cacheKey, fullSizes, scaled } from './build';
import { postgresBenchDatabase } from './pg-load';

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const scale = Number(flag('scale') ?? process.env.BENCH_SCALE ?? 1);
const duration = Number(flag('duration') ?? 8);
const jsonFile = flag('json');
const only = flag('only')?.split(',');
const engine = flag('engine') ?? 'sqlite';
if (engine !== 'sqlite' && engine !== 'pg') throw new Error(`--engine sqlite or pg, not ${engine}`);
const pgServer =
  flag('pg-server') ?? process.env.BENCH_PG_URL ?? 'postgresql://root@/postgres?host=/var/run/postgresql';

/** Read-only look-ups of the bench's own (not the server's) on either engine: `?` placeholders. */
type Reader = {
  first<T>(sql: string, ...args: unknown[]): Promise<T>;
  all<T>(sql: string, ...args: unknown[]): Promise<T[]>;
  close(): Promise<void>;
};

function sqliteReader(file: string): Reader {
  const ro = new Database(file, { readonly: true });
  return {
    first: <T>(sql: string, ...args: unknown[]) => Promise.resolve(ro.prepare(sql).get(...args) as T),
    all: <T>(sql: string, ...args: unknown[]) => Promise.resolve(ro.prepare(sql).all(...args) as T[]),
    close: () => Promise.resolve(void ro.close()),
  };
}

function postgresReader(url: string): Reader {
  const pg: Knex = knex({ client: 'pg', connection: { connectionString: url }, pool: { min: 0, max: 2 } });
  // Counts come back as strings (bigint): numbers here, as on SQLite.
  const numeric = (row: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [k, typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v]),
    );
  return {
    first: async <T>(sql: string, ...args: unknown[]) =>
      numeric((await pg.raw(sql, args as Knex.RawBinding[])).rows[0]) as T,
    all: async <T>(sql: string, ...args: unknown[]) =>
      (await pg.raw(sql, args as Knex.RawBinding[])).rows.map(numeric) as T[],
    close: () => pg.destroy(),
  };
}
/** The node flags `npm start` runs the server with (package.json), so the bench measures the same process. */
function startFlags(): string[] {
  const start = (
    JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }
  ).scripts.start;
  const m = /node ((?:--\S+ )*)dist\/src\/server\.js/.exec(start);
  return m ? m[1].trim().split(' ').filter(Boolean) : [];
}

const appPort = 3411;
const helloPort = 3412;

type Row = {
  measure: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  helloReqPerSec: number;
  ratio: number;
  extra?: string;
  goal: string;
};

function wait(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

async function waitUp(url: string, child: ChildProcess) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode})`);
    try {
      await fetch(url);
      return;
    } catch {
      await wait(100);
    }
  }
  throw new Error(`not up: ${url}`);
}

function vmHwm(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** A logged-in browser: cookie jar of one session cookie, and the CSRF token of the last page. */
class Session {
  cookie = '';
  csrf = '';
  constructor(private base: string) {}
  private keep(res: Response) {
    const set = res.headers.getSetCookie();
    for (const c of set) this.cookie = c.split(';')[0];
  }
  async get(p: string, headers: Record<string, string> = {}) {
    const res = await fetch(this.base + p, {
      headers: { cookie: this.cookie, ...headers },
      redirect: 'manual',
    });
    this.keep(res);
    const text = await res.text();
    const m = /name="_csrf" value="([^"]+)"/.exec(text);
    if (m) this.csrf = m[1];
    return { status: res.status, text, location: res.headers.get('location') };
  }
  async post(p: string, form: Record<string, string | number>) {
    const body = new URLSearchParams({ _csrf: this.csrf });
    for (const [k, v] of Object.entries(form)) body.set(k, String(v));
    const res = await fetch(this.base + p, {
      method: 'POST',
      body,
      headers: { cookie: this.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      redirect: 'manual',
    });
    this.keep(res);
    const text = await res.text();
    return { status: res.status, text, location: res.headers.get('location') };
  }
  async login(username: string) {
    await this.get('/login');
    const r = await this.post('/login', { username, password: benchPassword });
    if (r.status !== 302 && r.status !== 303) throw new Error(`login ${username}: ${r.status}`);
  }
}

async function cannon(url: string, headers: Record<string, string>, connections = 20) {
  const r = await autocannon({ url, connections, duration, headers });
  return {
    reqPerSec: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

async function main() {
  // --doctors / --bookings override the sizes (issue 16's First free slots at 1,000 doctors).
  const sizes = {
    ...(scale >= 1 ? fullSizes : scaled(scale)),
    ...(flag('doctors') ? { doctors: Number(flag('doctors')) } : {}),
    ...(flag('bookings') ? { bookings: Number(flag('bookings')) } : {}),
  };
  console.log(
    `Benchmark (issue 11), ${engine === 'pg' ? 'PostgreSQL' : 'SQLite'}, scale ${scale}: ${JSON.stringify(sizes)}; ${duration} s per round`,
  );
  console.log(`  load average at start: ${fs.readFileSync('/proc/loadavg', 'utf8').trim()}`);
  const built = await buildDatabase(sizes, path.join(root, 'tmp', 'bench-cache'));
  console.log(built.cached ? `  cached database ${built.file}` : `  built in ${built.seconds.toFixed(0)} s`);
  execSync('npx tsc -p tsconfig.build.json', { cwd: root, stdio: 'inherit' });
  const runDir = path.join(root, 'tmp', 'bench-run');
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.mkdirSync(runDir, { recursive: true });
  const dbFile = path.join(runDir, 'bench.sqlite');
  let databaseEnv: Record<string, string> = { DATABASE_FILE: dbFile };
  let dropRunDatabase = () => Promise.resolve();
  if (engine === 'pg') {
    const copy = await postgresBenchDatabase(built.file, cacheKey(sizes), pgServer, (l) => console.log(l));
    databaseEnv = { DATABASE_URL: copy.url, DATABASE_FILE: dbFile };
    dropRunDatabase = copy.drop;
  } else fs.copyFileSync(built.file, dbFile);

  const server = spawn(
    process.execPath,
    [...startFlags(), ...(process.env.BENCH_NODE_ARGS?.split(' ') ?? []), 'dist/src/server.js'],
    {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        ...databaseEnv,
        PORT: String(appPort),
        HOST: '127.0.0.1',
        SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
        LOG_LEVEL: 'silent',
        HOLD_MINUTES: '60',
        // One load generator from one address with 20-50 connections is not the "one busy
        // client" the fairness limits are for: off, so the figures are the server's throughput.
        LIMIT_INFLIGHT_PER_ADDRESS: '0',
        LIMIT_INFLIGHT_PER_SESSION: '0',
        LIMIT_RATE_PER_ADDRESS: '0',
        LIMIT_BURST_PER_ADDRESS: '0',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const hello = spawn(
    process.execPath,
    [
      '-e',
      `const e=require('express');const a=e();a.get('/',(q,s)=>s.send('hello'));a.listen(${helloPort},'127.0.0.1')`,
    ],
    { cwd: root, stdio: 'inherit' },
  );
  const base = `http://127.0.0.1:${appPort}`;
  const helloUrl = `http://127.0.0.1:${helloPort}/`;
  const rows: Row[] = [];
  try {
    await waitUp(base + '/login', server);
    await waitUp(helloUrl, hello);

    const ro = engine === 'pg' ? postgresReader(databaseEnv.DATABASE_URL) : sqliteReader(dbFile);
    const inst = await ro.first<{ id: number }>('select id from institutions order by id limit 1');
    const reception = await ro.first<{ id: number }>(
      "select id from traffic_channels where code = 'reception'",
    );
    const doctor = await ro.first<{ doctor_id: number; service_id: number }>(
      'select doctor_id, service_id from doctor_services where institution_id = ? order by doctor_id limit 1',
      inst.id,
    );
    const service = doctor.service_id;
    const nextMonday = DateTime.now()
      .setZone('Europe/Budapest')
      .startOf('week')
      .plus({ weeks: 1 })
      .toISODate()!;
    const freeSlots = async (limit: number, offset: number) =>
      (
        await ro.all<{ id: number }>(
          `select s.id from slots s join doctor_services ds on ds.doctor_id = s.doctor_id and ds.institution_id = s.institution_id and ds.service_id = ?
             where s.institution_id = ? and s.local_date >= ? and s.status = 'open'
             and not exists (select 1 from slot_occupancies o where o.slot_id = s.id)
             and not exists (select 1 from hold_slots h where h.slot_id = s.id)
             order by s.id limit ? offset ?`,
          service,
          inst.id,
          nextMonday,
          limit,
          offset,
        )
      ).map((r) => r.id);
    const someTaj = (
      await ro.first<{ id_number: string }>(
        'select id_number from patients where id = 4242 or id = 1 order by id desc limit 1',
      )
    ).id_number;

    const desk = new Session(base);
    await desk.login('bench-desk');
    const calendarPath = `/booking?institution=${inst.id}&channel=${reception.id}&service=${service}&week=${nextMonday}`;
    const page = await desk.get(calendarPath);
    if (page.status !== 200) throw new Error(`calendar page ${page.status}`);
    const allFree = await freeSlots(1 + 78 * 400, 0);
    const [holdSlot] = allFree;
    // 20 + 50 Save sessions and the backup's 8: each gets its own slots (the backup's used to get
    // only the remainder of the 70, so it ran out after a few dozen bookings and the row was
    // written before the backup had finished: "0.0 s, FAILED (exit null)").
    const perSession = Math.max(1, Math.min(400, Math.floor((allFree.length - 1) / 78)));
    const held = await desk.post('/reservations', {
      institution: inst.id,
      channel: reception.id,
      service,
      week: nextMonday,
      slot: holdSlot,
    });
    if (held.status !== 303) fs.writeFileSync(path.join(root, 'tmp', 'reserve.html'), held.text);
    if (held.status !== 303 || !held.location)
      throw new Error(
        `reserve: ${held.status} ${(held.text.match(/class="(?:error|message|flash)[^"]*"[^>]*>[^<]*</g) ?? []).join(' ')}`,
      );
    const holdPath = held.location;

    const measure = async (name: string, p: string, goal: string, headers: Record<string, string> = {}) => {
      if (only && !only.some((o) => name.includes(o))) return;
      const h = { cookie: desk.cookie, ...headers };
      const a1 = await cannon(helloUrl, {});
      const b1 = await cannon(base + p, h);
      const a2 = await cannon(helloUrl, {});
      const b2 = await cannon(base + p, h);
      const reqPerSec = (b1.reqPerSec + b2.reqPerSec) / 2;
      const helloReqPerSec = (a1.reqPerSec + a2.reqPerSec) / 2;
      const row: Row = {
        measure: name,
        reqPerSec,
        p50: (b1.p50 + b2.p50) / 2,
        p99: Math.max(b1.p99, b2.p99),
        non2xx: b1.non2xx + b2.non2xx,
        errors: b1.errors + b2.errors,
        helloReqPerSec,
        ratio: reqPerSec / helloReqPerSec,
        goal,
      };
      rows.push(row);
      console.log(`  ${name}: ${reqPerSec.toFixed(0)} req/s, p99 ${row.p99} ms (${row.non2xx} non-2xx)`);
    };

    await measure('calendar fragment (HX-Request)', calendarPath, '>= 50 %, p99 < 20 ms', {
      'HX-Request': 'true',
    });
    await measure('calendar full page', calendarPath, '>= 50 %');
    // Issue 16: First free slots of the service across every doctor offering it at the institution
    // (the htmx fragment the choice form's button swaps in), and with a weekday + afternoon filter.
    const firstFreePath = `/booking/first-free?institution=${inst.id}&channel=${reception.id}&service=${service}`;
    const offering = (
      await ro.first<{ n: number }>(
        'select count(*) n from doctor_services where institution_id = ? and service_id = ?',
        inst.id,
        service,
      )
    ).n;
    const probe = await desk.get(firstFreePath, { 'HX-Request': 'true' });
    if (probe.status !== 200 || !probe.text.includes('name="slot"'))
      throw new Error(`first free slots: ${probe.status}, no slot listed`);
    await measure(`first free slots (${offering} doctors)`, firstFreePath, '>= 50 %, p99 < 20 ms', {
      'HX-Request': 'true',
    });
    await measure(
      'first free slots, Fridays 15:00-17:00',
      `${firstFreePath}&weekday=5&from=15:00&to=17:00`,
      '>= 50 %, p99 < 20 ms',
      { 'HX-Request': 'true' },
    );
    await measure('patient search "kova"', `${holdPath}?q=kova`, '>= 50 %, p99 < 10 ms', {
      'HX-Request': 'true',
    });
    await measure('patient search by identifier', `${holdPath}?q=${someTaj}`, '>= 50 %, p99 < 10 ms', {
      'HX-Request': 'true',
    });

    // Statistics: one year, every grouping, as a statistics user (sequential timing, 5 runs each).
    const stats = new Session(base);
    await stats.login('bench-stats');
    const year = await ro.first<{ f: string; t: string }>(
      'select min(local_date) f, max(local_date) t from bookings',
    );
    for (const group of ['day', 'week', 'month', 'institution', 'channel', 'partner', 'service', 'doctor']) {
      if (only && !only.some((o) => 'statistics'.includes(o))) break;
      const times: number[] = [];
      let status = 0;
      for (let i = 0; i < 6; i++) {
        const t = performance.now();
        status = (await stats.get(`/statistics?from=${year.f}&to=${year.t}&group=${group}`)).status;
        if (i > 0) times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      rows.push({
        measure: `statistics one year by ${group}`,
        reqPerSec: 1000 / times[2],
        p50: Math.round(times[2]),
        p99: Math.round(times[times.length - 1]),
        non2xx: status === 200 ? 0 : 1,
        errors: 0,
        helloReqPerSec: 0,
        ratio: 0,
        goal: '<= 200 ms',
      });
      console.log(`  statistics by ${group}: median ${times[2].toFixed(0)} ms (status ${status})`);
    }

    // Start the reservation + Save, N concurrent sessions, each on its own slots.
    let slotOffset = 1;
    /** N desks reserve and Save, for `seconds` or, with `during`, until that job (started once all are logged in) ends. */
    const saveLoad = async (n: number, seconds: number, during?: () => Promise<unknown>) => {
      // One login after the other: the login throttle takes its points before the password is
      // checked, so 20 parallel logins of one user from one address would be refused (429).
      const sessions: Session[] = [];
      for (let i = 0; i < n; i++) {
        const s = new Session(base);
        await s.login('bench-desk');
        await s.get(calendarPath);
        sessions.push(s);
      }
      const pool = allFree.slice(slotOffset, slotOffset + n * perSession);
      slotOffset += n * perSession;
      const before = (await ro.first<{ n: number }>('select count(*) n from bookings')).n;
      let booked = 0;
      let errors = 0;
      let done = false;
      const untilDone = during?.();
      void untilDone?.finally(() => (done = true));
      const latencies: number[] = [];
      const t0 = performance.now();
      const end = t0 + seconds * 1000;
      await Promise.all(
        sessions.map(async (s, i) => {
          for (let k = 0; k < perSession && (untilDone ? !done : performance.now() < end); k++) {
            const slot = pool[i * perSession + k];
            if (slot === undefined) break;
            const t = performance.now();
            const r = await s.post('/reservations', {
              institution: inst.id,
              channel: reception.id,
              service,
              slot,
            });
            if (r.status !== 303 || !r.location) {
              errors++;
              continue;
            }
            const saved = await s.post(`${r.location}/book`, {
              patient_id: 1 + ((i * 7919 + k) % sizes.patients),
            });
            latencies.push(performance.now() - t);
            if (saved.status === 303) booked++;
            else errors++;
          }
        }),
      );
      const elapsed = (performance.now() - t0) / 1000;
      // Whatever happens to the bookings, the measure is not over before the background work is.
      await untilDone;
      const after = (await ro.first<{ n: number }>('select count(*) n from bookings')).n;
      const doubles = (
        await ro.first<{ n: number }>(
          "select count(*) n from (select bs.slot_id from booking_slots bs join bookings b on b.id = bs.booking_id where b.status = 'booked' group by bs.slot_id having count(*) > 1) dup",
        )
      ).n;
      latencies.sort((a, b) => a - b);
      return { booked, errors, doubles, added: after - before, elapsed, latencies };
    };

    for (const n of [20, 50]) {
      if (only && !only.some((o) => 'save'.includes(o))) break;
      const r = await saveLoad(n, duration * 2);
      rows.push({
        measure: `reserve + Save, ${n} sessions`,
        reqPerSec: r.booked / r.elapsed,
        p50: Math.round(r.latencies[Math.floor(r.latencies.length / 2)] ?? 0),
        p99: Math.round(r.latencies[Math.floor(r.latencies.length * 0.99)] ?? 0),
        non2xx: r.errors,
        errors: 0,
        helloReqPerSec: 0,
        ratio: 0,
        extra: `${r.booked} booked (db +${r.added}), ${r.errors} errors, ${r.doubles} double`,
        goal: '>= 1,000 bookings/s, 0 double',
      });
      console.log(
        `  save x${n}: ${(r.booked / r.elapsed).toFixed(0)} bookings/s, ${r.errors} errors, ${r.doubles} double`,
      );
    }

    // The backup while 8 desks book: how long it takes, that it is whole, and what Save does meanwhile.
    if (!only || only.some((o) => 'backup'.includes(o))) {
      const target = path.join(runDir, engine === 'pg' ? 'backup.dump' : 'backup.sqlite');
      const [command, commandArgs] =
        engine === 'pg'
          ? ['pg_dump', ['--format=custom', `--file=${target}`, databaseEnv.DATABASE_URL]]
          : [process.execPath, ['dist/src/cli/backup.js', '--force', target]];
      let backupMs = 0;
      let exitCode: number | null = null;
      const backup = () =>
        new Promise<void>((resolve) => {
          const t = performance.now();
          const child = spawn(command, commandArgs, {
            cwd: root,
            env: { ...process.env, ...databaseEnv, NODE_ENV: 'production' },
            stdio: ['ignore', 'ignore', 'inherit'],
          });
          child.on('exit', (code) => {
            backupMs = performance.now() - t;
            exitCode = code;
            resolve();
          });
        });
      const r = await saveLoad(8, 0, backup);
      // The copy must be whole: SQLite's backup checks itself (integrity_check, exit 0); a
      // PostgreSQL dump is read back by pg_restore.
      const whole =
        exitCode === 0 &&
        (engine === 'pg' ? execSync(`pg_restore --list ${JSON.stringify(target)}`).length > 0 : true);
      rows.push({
        measure: 'backup under load (8 sessions booking)',
        reqPerSec: r.booked / r.elapsed,
        p50: Math.round(r.latencies[Math.floor(r.latencies.length / 2)] ?? 0),
        p99: Math.round(r.latencies[Math.floor(r.latencies.length * 0.99)] ?? 0),
        non2xx: r.errors,
        errors: whole ? 0 : 1,
        helloReqPerSec: 0,
        ratio: 0,
        extra: `backup ${(backupMs / 1000).toFixed(1)} s, ${fs.existsSync(target) ? (fs.statSync(target).size / 1e6).toFixed(0) : 0} MB, ${whole ? 'whole' : `FAILED (exit ${exitCode})`}; ${r.booked} booked meanwhile, ${r.doubles} double`,
        goal: 'whole copy, Save goes on',
      });
      console.log(
        `  backup under load: ${(backupMs / 1000).toFixed(1)} s, exit ${exitCode}, ${r.booked} booked meanwhile`,
      );
    }
    await ro.close();
    const hwm = vmHwm(server.pid!);
    rows.push({
      measure: 'server memory (VmHWM)',
      reqPerSec: 0,
      p50: 0,
      p99: 0,
      non2xx: 0,
      errors: 0,
      helloReqPerSec: 0,
      ratio: 0,
      extra: `${hwm.toFixed(0)} MB`,
      goal: '<= 150 MB',
    });
  } finally {
    server.kill('SIGTERM');
    hello.kill('SIGTERM');
    if (server.exitCode === null && server.signalCode === null)
      await new Promise((r) => server.once('exit', r));
    await dropRunDatabase();
  }

  const load = fs.readFileSync('/proc/loadavg', 'utf8').trim();
  const header = ['measure', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'hello req/s', 'ratio', 'note', 'goal'];
  const table = rows.map((r) => [
    r.measure,
    r.reqPerSec ? r.reqPerSec.toFixed(1) : '',
    r.p50 ? String(r.p50) : '',
    r.p99 ? String(r.p99) : '',
    String(r.non2xx + r.errors),
    r.helloReqPerSec ? r.helloReqPerSec.toFixed(0) : '',
    r.ratio ? `${(r.ratio * 100).toFixed(1)} %` : '',
    r.extra ?? '',
    r.goal,
  ]);
  console.log('');
  console.log(`| ${header.join(' | ')} |`);
  console.log(`| ${header.map(() => '---').join(' | ')} |`);
  for (const row of table) console.log(`| ${row.join(' | ')} |`);
  console.log(`\nload average at end: ${load}`);
  if (jsonFile) fs.writeFileSync(jsonFile, JSON.stringify({ scale, sizes, duration, load, rows }, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
