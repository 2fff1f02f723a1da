/**
 * Login with passport-local: Argon2id verification, throttling per user name and per address,
 * every attempt audited, session id regenerated on login (passport >= 0.6 does this).
 */
import passport, { type PassportStatic } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';
import type { Knex } from 'knex';
import type { Request } from 'express';
import { findUserByUsername, loadCurrentUser } from '../users/users.queries';
import { burnVerify, verifyPassword } from './passwords';
import { audit } from './audit';
import type { CurrentUser } from './permissions';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends CurrentUser {}
  }
}

export const authMessages = {
  invalid: 'Wrong user name or password.',
  /** The wait is the Retry-After sent with it, in whole minutes ("about" once it is running down). */
  throttled: (seconds: number) => {
    const minutes = Math.max(1, Math.ceil(seconds / 60));
    const wait = minutes === 1 ? 'a minute' : `${minutes} minutes`;
    return `Too many failed logins. Please wait ${seconds % 60 === 0 ? wait : `about ${wait}`} and try again.`;
  },
};

export type LoginThrottle = {
  /** Seconds to wait, or 0 when the attempt may go ahead. */
  blockedFor(username: string, ip: string): Promise<number>;
  failed(username: string, ip: string): Promise<void>;
  succeeded(username: string): Promise<void>;
  /** An administrator set a new password: the user name may try again at once. */
  unlock(username: string): Promise<void>;
};

/**
 * Per user name: a shared desk account mistyped 5 times waits 5 minutes, not a quarter hour.
 * Per address: a whole clinic sits behind one NAT address, so only a spray of 100 failures blocks it.
 */
export const loginLimits = {
  user: { failures: 5, windowSeconds: 900, blockSeconds: 300 },
  address: { failures: 100, windowSeconds: 900, blockSeconds: 900 },
} as const;

export function createLoginThrottle(): LoginThrottle {
  const byUser = new RateLimiterMemory({
    keyPrefix: 'login_user',
    points: loginLimits.user.failures,
    duration: loginLimits.user.windowSeconds,
  });
  const byIp = new RateLimiterMemory({
    keyPrefix: 'login_ip',
    points: loginLimits.address.failures,
    duration: loginLimits.address.windowSeconds,
  });
  // The failure that reaches the limit starts the block; the block's end also resets the count.
  const count = async (limiter: RateLimiterMemory, key: string, blockSeconds: number) => {
    const res = await limiter.penalty(key, 1);
    if (res.remainingPoints <= 0) await limiter.block(key, blockSeconds);
  };
  const userKey = (u: string) => u.trim().toLowerCase().slice(0, 64);
  return {
    async blockedFor(username, ip) {
      const [u, i] = await Promise.all([byUser.get(userKey(username)), byIp.get(ip)]);
      const over = [u, i].filter(
        (r): r is RateLimiterRes => !!r && r.remainingPoints <= 0 && r.msBeforeNext > 0,
      );
      return over.length ? Math.ceil(Math.max(...over.map((r) => r.msBeforeNext)) / 1000) : 0;
    },
    async failed(username, ip) {
      await Promise.all([
        count(byUser, userKey(username), loginLimits.user.blockSeconds),
        count(byIp, ip, loginLimits.address.blockSeconds),
      ]).catch(() => undefined);
    },
    async succeeded(username) {
      await byUser.delete(userKey(username));
    },
    async unlock(username) {
      await byUser.delete(userKey(username));
    },
  };
}

/**
 * Audits a failed login. There is no actor, so the row records the user name tried and, when it
 * names a user, that user's id and partner (a partner's failed logins then show in its audit view).
 */
export async function auditFailedLogin(
  db: Knex,
  f: {
    username: string;
    ip?: string | null;
    reason: string;
    row?: { id: number; partner_id: number | null } | null;
  },
): Promise<void> {
  const row =
    f.row !== undefined
      ? f.row
      : f.username.trim()
        ? await findUserByUsername(db, f.username.trim().slice(0, 64))
        : null;
  await audit(db, {
    actor: null,
    username: f.username,
    partnerId: row?.partner_id ?? null,
    action: 'login.failed',
    entityType: 'user',
    entityId: row?.id ?? null,
    ip: f.ip ?? null,
    details: { reason: f.reason },
  });
}

export function configurePassport(db: Knex): PassportStatic {
  const instance = new passport.Passport() as unknown as PassportStatic;
  instance.use(
    new LocalStrategy(
      { passReqToCallback: true },
      async (req: Request, username: string, password: string, done) => {
        try {
          const row = await findUserByUsername(db, username);
          const ok = row
            ? await verifyPassword(row.password_hash, password)
            : (await burnVerify(password), false);
          const user = ok && row ? await loadCurrentUser(db, row.id) : null;
          if (!user) {
            await auditFailedLogin(db, {
              username,
              row,
              ip: req.ip,
              reason: row ? (ok ? 'inactive' : 'wrong password') : 'unknown user',
            });
            return done(null, false, { message: authMessages.invalid });
          }
          await audit(db, {
            actor: user,
            action: 'login.succeeded',
            entityType: 'user',
            entityId: user.id,
            ip: req.ip,
          });
          return done(null, user);
        } catch (err) {
          return done(err);
        }
      },
    ),
  );
  instance.serializeUser((user, done) => done(null, user.id));
  instance.deserializeUser(async (id: unknown, done) => {
    try {
      const user = typeof id === 'number' ? await loadCurrentUser(db, id) : null;
      done(null, user ?? false);
    } catch (err) {
      done(err);
    }
  });
  return instance;
}
