/**
 * CSRF protection in two halves. Logged-in requests keep csrf-sync (the token lives in the
 * session, so another session's token is refused). Anonymous requests (the login form) get a
 * signed double-submit token that needs no server state, so an anonymous visitor never makes
 * the app store a session row: a random nonce in an HttpOnly cookie, and in the form the HMAC of
 * that nonce under the session secret. A site that plants a cookie of its own choosing still
 * cannot compute the matching token without the secret.
 */
import crypto from 'node:crypto';
import type { Request, Response, NextFunction, RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';

export const csrfCookieName = 'clinic.csrf';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

function tokenFromRequest(req: Request): string | undefined {
  const body = req.body as { _csrf?: unknown } | undefined;
  return body && typeof body._csrf === 'string' ? body._csrf : req.get('x-csrf-token');
}

function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function badToken(): Error {
  return Object.assign(new Error('invalid csrf token'), { code: 'EBADCSRFTOKEN', status: 403 });
}

export function createCsrf(secret: string) {
  const synced = csrfSync({ getTokenFromRequest: tokenFromRequest });
  const sign = (nonce: string) =>
    crypto.createHmac('sha256', secret).update(`anonymous-csrf:${nonce}`).digest('base64url');
  const validNonce = (n: string | undefined): n is string => !!n && /^[A-Za-z0-9_-]{32,64}$/.test(n);

  /** The anonymous token; sets the nonce cookie the first time a page asks for one. */
  function anonymousToken(req: Request, res: Response): string {
    let nonce = cookieValue(req, csrfCookieName) ?? (res.locals.csrfNonce as string | undefined);
    if (!validNonce(nonce)) {
      nonce = crypto.randomBytes(32).toString('base64url');
      res.locals.csrfNonce = nonce;
      res.cookie(csrfCookieName, nonce, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' });
    }
    return sign(nonce);
  }

  function anonymousValid(req: Request): boolean {
    const nonce = cookieValue(req, csrfCookieName);
    const token = tokenFromRequest(req);
    if (!validNonce(nonce) || typeof token !== 'string') return false;
    const expected = Buffer.from(sign(nonce));
    const given = Buffer.from(token);
    return given.length === expected.length && crypto.timingSafeEqual(given, expected);
  }

  const protect: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    if (req.user) return synced.csrfSynchronisedProtection(req, res, next);
    if (safeMethods.has(req.method)) return next();
    return next(anonymousValid(req) ? undefined : badToken());
  };

  return {
    /** The token a page rendered for this request carries (hidden field, htmx header). */
    token: (req: Request, res: Response) => (req.user ? synced.generateToken(req) : anonymousToken(req, res)),
    protect,
  };
}
