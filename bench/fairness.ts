/**
 * `npm run bench:fairness [-- --duration 30 --connections 500]`
 *
 * Issue 15, finding 7: does one busy client starve everyone? Starts the built server on a fresh
 * demo clinic (NODE_ENV=production, DEMO=1), twice: with the fairness limits as configured by
 * default, and with them switched off (LIMIT_*=0, the state before the fix). Each time one
 * client (desk, from 127.0.0.1) keeps `--connections` connections busy on the booking page for
 * `--duration` seconds, while a second user (admin, from 127.0.0.2) asks for the home page every
 * 100 ms. Prints the second user's p50/p99/max latency and the flood's status counts.
 */
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const duration = flag('duration', 30);
const connections = flag('connections', 500);
const port = 3421;

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string; ms: number };

/** One HTTP request from a chosen local address (so the two users are two client addresses). */
function request(
  localAddress: string,
  method: string,
  p: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: p, method, localAddress, headers, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text,
            ms: performance.now() - started,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A browser's cookie jar for one user at one address. */
class User {
  private cookies = new Map<string, string>();
  constructor(readonly address: string) {}
  get cookie() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  private keep(a: Answer) {
    for (const c of a.headers['set-cookie'] ?? []) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return a;
  }
  async get(p: string) {
    return this.keep(await request(this.address, 'GET', p, { cookie: this.cookie }));
  }
  async login(username: string) {
    const page = await this.get('/login');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const body = new URLSearchParams({ _csrf: csrf, username, password: 'demo1234' }).toString();
    const r = this.keep(
      await request(
        this.address,
        'POST',
        '/login',
        {
          cookie: this.cookie,
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': String(Buffer.byteLength(body)),
        },
        body,
      ),
    );
    if (r.status !== 302 && r.status !== 303) throw new Error(`login ${username}: ${r.status}`);
  }
}

async function waitUp(child: ChildProcess) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode})`);
    try {
      await request('127.0.0.1', 'GET', '/healthz', {});
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('server did not start');
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;

async function round(label: string, limits: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fairness-'));
  const server = spawn(process.execPath, ['dist/src/server.js'], {
    cwd: root,
    env: {
      ...process.env,
      ...limits,
      NODE_ENV: 'production',
      DEMO: '1',
      DATABASE_FILE: path.join(dir, 'clinic.sqlite'),
      PORT: String(port),
      HOST: '127.0.0.1',
      SESSION_SECRET: 'fairness-secret-fairness-secret-0123456789',
      LOG_LEVEL: 'silent',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitUp(server);
    const flooder = new User('127.0.0.1');
    await flooder.login('desk');
    const other = new User('127.0.0.2');
    await other.login('admin');

    const flood = autocannon({
      url: `http://127.0.0.1:${port}/booking`,
      connections,
      duration,
      headers: { cookie: flooder.cookie },
    });
    const latencies: number[] = [];
    const otherStatuses: Record<number, number> = {};
    const until = performance.now() + duration * 1000;
    await new Promise((r) => setTimeout(r, 1000)); // let the flood reach full pressure
    while (performance.now() < until - 1000) {
      const t0 = performance.now();
      const a = await other.get('/');
      latencies.push(a.ms);
      otherStatuses[a.status] = (otherStatuses[a.status] ?? 0) + 1;
      await new Promise((r) => setTimeout(r, Math.max(0, 100 - (performance.now() - t0))));
    }
    const result = await flood;
    latencies.sort((a, b) => a - b);
    const statuses = Object.entries(result.statusCodeStats ?? {})
      .map(([code, s]) => `${code}: ${s.count}`)
      .join(', ');
    console.log(
      `${label}\n` +
        `  second user (admin, 127.0.0.2, GET / every 100 ms): ${latencies.length} requests, ` +
        `p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms, ` +
        `max ${latencies[latencies.length - 1].toFixed(0)} ms, statuses ${JSON.stringify(otherStatuses)}\n` +
        `  flood (desk, 127.0.0.1, ${connections} connections on /booking, ${duration} s): ` +
        `${result.requests.total} answers (${statuses}), ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  } finally {
    server.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  execSync('npx tsc -p tsconfig.build.json', { cwd: root, stdio: 'inherit' });
  console.log(`load average: ${fs.readFileSync('/proc/loadavg', 'utf8').trim()}`);
  await round('fairness limits on (defaults)', {});
  await round('fairness limits off (LIMIT_*=0, as before the fix)', {
    LIMIT_INFLIGHT_PER_ADDRESS: '0',
    LIMIT_INFLIGHT_PER_SESSION: '0',
    LIMIT_RATE_PER_ADDRESS: '0',
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
