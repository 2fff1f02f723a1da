/**
 * Fairness: one busy client must not starve everyone else.
 *
 * - At most `inFlightPerAddress` requests in flight per client address and `inFlightPerSession`
 *   per session cookie (a slow or flooding client waits for its own requests, not everyone's).
 * - A token bucket per address: `ratePerAddress` requests a second on average, bursts up to
 *   `burstPerAddress` (a page with its htmx fragments is a burst of a few).
 * - A declared body over the parser's limit is refused at once (413), before anything waits for it.
 * Over a limit the answer is 429 with Retry-After and a short page. State is in process memory:
 * it protects this process, which is what is being starved. 0 switches a limit off.
 *
 * Also the HTTP server's own limits (timeouts, header count) and its answers to requests Node
 * refuses before the app sees them (400, 408, 431), which carry the app's security headers.
 */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Request, Response, NextFunction, RequestHandler } from 'express';

export type FairnessLimits = {
  inFlightPerAddress: number;
  inFlightPerSession: number;
  ratePerAddress: number;
  burstPerAddress: number;
};

export type ServerLimits = {
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxHeadersCount: number;
};

export const messages = {
  busyTitle: 'Too many requests',
  busy: 'Too many requests from your computer at once. Please wait a moment and try again.',
  tooLarge: 'The request is too large. Nothing was changed.',
  badRequest: 'The request was malformed.',
  headersTooLarge: 'The request headers are too large.',
  timeout: 'The request took too long to arrive.',
};

/** The largest body any form sends (express.urlencoded's limit in app.ts). */
export const maxBodyBytes = 100 * 1024;

const sessionCookie = /(?:^|;\s*)clinic\.sid=([^;]+)/;

/** The same headers helmet gives every page, for answers written without Express. */
export const bareSecurityHeaders: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

function page(title: string, message: string): string {
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${message}</p></body></html>\n`;
}

type Bucket = { tokens: number; at: number };

/** Monotonic seconds: the limiter measures intervals, it does not tell the time. */
const monotonicSeconds = () => performance.now() / 1000;

export function fairness(limits: FairnessLimits, now: () => number = monotonicSeconds): RequestHandler {
  const perAddress = new Map<string, number>();
  const perSession = new Map<string, number>();
  const buckets = new Map<string, Bucket>();

  const refuse = (res: Response, retryAfter: number) => {
    res.status(429);
    res.set('Retry-After', String(Math.max(1, Math.ceil(retryAfter))));
    res.set('Connection', 'close');
    res.type('html').send(page(messages.busyTitle, messages.busy));
  };

  /** A full bucket is the same as none: forget it, so the map holds only recent addresses. */
  const prune = (t: number) => {
    for (const [key, b] of buckets)
      if (b.tokens + (t - b.at) * limits.ratePerAddress >= limits.burstPerAddress) buckets.delete(key);
  };

  const takeToken = (address: string): number => {
    if (!limits.ratePerAddress || !limits.burstPerAddress) return 0;
    const t = now();
    if (buckets.size > 10_000) prune(t);
    const b = buckets.get(address) ?? { tokens: limits.burstPerAddress, at: t };
    b.tokens = Math.min(limits.burstPerAddress, b.tokens + (t - b.at) * limits.ratePerAddress);
    b.at = t;
    buckets.set(address, b);
    if (b.tokens < 1) return (1 - b.tokens) / limits.ratePerAddress;
    b.tokens -= 1;
    return 0;
  };

  const enter = (map: Map<string, number>, key: string, max: number): boolean => {
    if (!max) return true;
    const n = map.get(key) ?? 0;
    if (n >= max) return false;
    map.set(key, n + 1);
    return true;
  };
  const leave = (map: Map<string, number>, key: string) => {
    const n = (map.get(key) ?? 1) - 1;
    if (n <= 0) map.delete(key);
    else map.set(key, n);
  };

  return (req: Request, res: Response, next: NextFunction) => {
    const declared = Number(req.get('content-length') ?? 0);
    if (declared > maxBodyBytes) {
      res.status(413).set('Connection', 'close');
      res.type('html').send(page('Request too large', messages.tooLarge));
      return;
    }
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const wait = takeToken(address);
    if (wait > 0) return refuse(res, wait);
    if (!enter(perAddress, address, limits.inFlightPerAddress)) return refuse(res, 1);
    const session = sessionCookie.exec(req.get('cookie') ?? '')?.[1];
    if (session && !enter(perSession, session, limits.inFlightPerSession)) {
      leave(perAddress, address);
      return refuse(res, 1);
    }
    let done = false;
    // 'close' fires once the response is finished or the client has gone away.
    res.once('close', () => {
      if (done) return;
      done = true;
      if (limits.inFlightPerAddress) leave(perAddress, address);
      if (session && limits.inFlightPerSession) leave(perSession, session);
    });
    next();
  };
}

/** Node's own refusals, written by hand on the socket, with the app's security headers. */
export function clientErrorAnswer(err: NodeJS.ErrnoException): string {
  const [status, reason, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', messages.headersTooLarge]
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', messages.timeout]
        : [400, 'Bad Request', messages.badRequest];
  const body = page(reason, message);
  const headers = {
    ...bareSecurityHeaders,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    Connection: 'close',
  };
  return (
    `HTTP/1.1 ${status} ${reason}\r\n` +
    Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('') +
    `\r\n${body}`
  );
}

/** Timeouts well below Node's defaults (requestTimeout is 5 minutes there), and hardened refusals. */
export function hardenServer(server: Server, limits: ServerLimits): void {
  server.requestTimeout = limits.requestTimeoutMs;
  // headersTimeout must not exceed requestTimeout (Node refuses that).
  server.headersTimeout = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxHeadersCount = limits.maxHeadersCount;
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    // A response already under way cannot get a second status line (as Node's own handler does).
    const inProgress = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (inProgress?.headersSent) {
      socket.destroy();
      return;
    }
    socket.end(clientErrorAnswer(err));
  });
}
