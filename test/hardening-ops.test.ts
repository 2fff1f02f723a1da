/**
 * Operations hardening (issue 15, findings 7, 8, 9 and Node's own 400/431): fairness limits,
 * server timeouts, full disks, the session secret file, and start-up on a bad database.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { makeTestApp, type TestApp } from './helpers';
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
