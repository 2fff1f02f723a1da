/**
 * `npm run bench [-- --scale 0.01] [--duration 8] [--json FILE] [--only calendar,search]`
 *
 * The performance harness of issue 11. Builds (once, cached in tmp/bench-cache/) a chain-scale
 * database with the project's migrations and slot-time code (bench/build.ts), builds the app,
 * starts the real server on a copy of it (NODE_ENV=production) and a bare Express 5 hello
 * server, and drives both over HTTP with autocannon, interleaved A B A B, per measure. Prints
 * req/s, p50, p99, the ratio to hello, the server's VmHWM and the goal; --json writes the same.
 */
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { DateTime } from 'luxon';
import { benchPassword, buildDatabase, fullSizes, scaled } from './build';

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
  console.log(`Benchmark (issue 11), scale ${scale}: ${JSON.stringify(sizes)}; ${duration} s per round`);
  console.log(`  load average at start: ${fs.readFileSync('/proc/loadavg', 'utf8').trim()}`);
  const built = await buildDatabase(sizes, path.join(root, 'tmp', 'bench-cache'));
  console.log(built.cached ? `  cached database ${built.file}` : `  built in ${built.seconds.toFixed(0)} s`);
  execSync('npx tsc -p tsconfig.build.json', { cwd: root, stdio: 'inherit' });
  const runDir = path.join(root, 'tmp', 'bench-run');
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.mkdirSync(runDir, { recursive: true });
  const dbFile = path.join(runDir, 'bench.sqlite');
  fs.copyFileSync(built.file, dbFile);

  const server = spawn(
    process.execPath,
    [...(process.env.BENCH_NODE_ARGS?.split(' ') ?? []), 'dist/src/server.js'],
    {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_FILE: dbFile,
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

    const ro = new Database(dbFile, { readonly: true });
    const inst = ro.prepare('select id from institutions order by id limit 1').get() as { id: number };
    const reception = ro.prepare("select id from traffic_channels where code = 'reception'").get() as {
      id: number;
    };
    const doctor = ro
      .prepare(
        'select doctor_id, service_id from doctor_services where institution_id = ? order by doctor_id limit 1',
      )
      .get(inst.id) as { doctor_id: number; service_id: number };
    const service = doctor.service_id;
    const nextMonday = DateTime.now()
      .setZone('Europe/Budapest')
      .startOf('week')
      .plus({ weeks: 1 })
      .toISODate()!;
    const freeSlots = (limit: number, offset: number) =>
      (
        ro
          .prepare(
            `select s.id from slots s join doctor_services ds on ds.doctor_id = s.doctor_id and ds.institution_id = s.institution_id and ds.service_id = ?
             where s.institution_id = ? and s.local_date >= ? and s.status = 'open'
             and not exists (select 1 from slot_occupancies o where o.slot_id = s.id)
             and not exists (select 1 from hold_slots h where h.slot_id = s.id)
             order by s.id limit ? offset ?`,
          )
          .all(service, inst.id, nextMonday, limit, offset) as { id: number }[]
      ).map((r) => r.id);
    const someTaj = (
      ro
        .prepare('select id_number from patients where id = 4242 or id = 1 order by id desc limit 1')
        .get() as {
        id_number: string;
      }
    ).id_number;

    const desk = new Session(base);
    await desk.login('bench-desk');
    const calendarPath = `/booking?institution=${inst.id}&channel=${reception.id}&service=${service}&week=${nextMonday}`;
    const page = await desk.get(calendarPath);
    if (page.status !== 200) throw new Error(`calendar page ${page.status}`);
    const allFree = freeSlots(1 + 70 * 400, 0);
    const [holdSlot] = allFree;
    const perSession = Math.max(1, Math.min(400, Math.floor((allFree.length - 1) / 70)));
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
      ro
        .prepare('select count(*) n from doctor_services where institution_id = ? and service_id = ?')
        .get(inst.id, service) as { n: number }
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
    const year = ro.prepare('select min(local_date) f, max(local_date) t from bookings').get() as {
      f: string;
      t: string;
    };
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
    for (const n of [20, 50]) {
      if (only && !only.some((o) => 'save'.includes(o))) break;
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
      const before = (ro.prepare('select count(*) n from bookings').get() as { n: number }).n;
      let booked = 0;
      let errors = 0;
      const latencies: number[] = [];
      const end = performance.now() + duration * 2000;
      await Promise.all(
        sessions.map(async (s, i) => {
          for (let k = 0; k < perSession && performance.now() < end; k++) {
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
      const seconds = duration * 2;
      const after = (ro.prepare('select count(*) n from bookings').get() as { n: number }).n;
      const doubles = (
        ro
          .prepare(
            "select count(*) n from (select bs.slot_id from booking_slots bs join bookings b on b.id = bs.booking_id where b.status = 'booked' group by bs.slot_id having count(*) > 1)",
          )
          .get() as { n: number }
      ).n;
      latencies.sort((a, b) => a - b);
      rows.push({
        measure: `reserve + Save, ${n} sessions`,
        reqPerSec: booked / seconds,
        p50: Math.round(latencies[Math.floor(latencies.length / 2)] ?? 0),
        p99: Math.round(latencies[Math.floor(latencies.length * 0.99)] ?? 0),
        non2xx: errors,
        errors: 0,
        helloReqPerSec: 0,
        ratio: 0,
        extra: `${booked} booked (db +${after - before}), ${errors} errors, ${doubles} double`,
        goal: '>= 1,000 bookings/s, 0 double',
      });
      console.log(
        `  save x${n}: ${(booked / seconds).toFixed(0)} bookings/s, ${errors} errors, ${doubles} double`,
      );
    }
    ro.close();
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
