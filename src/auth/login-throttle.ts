/**
 * Login throttling, stored in the database (shared by every process, kept across restarts) and
 * atomic: an attempt takes its points BEFORE the password is verified, so a burst of parallel
 * guesses verifies at most the limit; the points are settled once the verdict is known.
 *
 * Three counters, so nobody can lock a user out from elsewhere:
 * - per user name and address: 5 attempts in 15 minutes, then that pair waits 5 minutes;
 * - per user name across addresses: never a block, a delay between attempts that grows after
 *   10 failures (2 s more per failure, at most 30 s), so guesses spread over many addresses crawl;
 * - per address: 1000 in 15 minutes (a whole clinic sits behind one NAT address), then 15 minutes.
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { Clock } from '../lib/clock';
import {
  clearUser,
  consumeDelay,
  consumeHard,
  pruneThrottle,
  refund,
  settleFailed,
  settleSucceeded,
  type ThrottleKey,
} from './login-throttle.queries';

export const loginLimits = {
  userAddress: { attempts: 5, windowSeconds: 900, blockSeconds: 300 },
  user: { freeFailures: 10, stepSeconds: 2, maxDelaySeconds: 30, windowSeconds: 900 },
  address: { attempts: 1000, windowSeconds: 900, blockSeconds: 900 },
} as const;

/** The one canonical form of a user name for logins (user names are unique case-insensitively). */
export function canonicalUsername(username: string): string {
  return username.trim().toLowerCase().slice(0, 64);
}

/** An attempt that may go ahead; settle it with the verdict. */
export type LoginAttempt = {
  failed(): Promise<void>;
  succeeded(): Promise<void>;
};

export type LoginThrottle = {
  /** Takes the attempt's points, or says how many seconds to wait (nothing taken then). */
  begin(username: string, ip: string): Promise<{ attempt: LoginAttempt } | { waitSeconds: number }>;
  /** An administrator set a new password: the user name may try again at once. */
  unlock(username: string): Promise<void>;
  /** Drops counters that ran out. */
  prune(): Promise<number>;
};

export function createLoginThrottle(db: Knex, clock: Clock): LoginThrottle {
  const L = loginLimits;
  const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
  return {
    async begin(username, ip) {
      const name = canonicalUsername(username);
      const address = ip.slice(0, 64);
      const pair: ThrottleKey = { scope: 'user_address', username: name, address };
      const account: ThrottleKey = { scope: 'user', username: name, address: '' };
      const site: ThrottleKey = { scope: 'address', username: '', address };
      const now = clock.nowMs();

      const p = await consumeHard(db, pair, {
        now,
        windowMs: L.userAddress.windowSeconds * 1000,
        limit: L.userAddress.attempts,
        blockMs: L.userAddress.blockSeconds * 1000,
      });
      if (p.blocked_until > 0) return { waitSeconds: seconds(p.blocked_until - now) };

      const s = await consumeHard(db, site, {
        now,
        windowMs: L.address.windowSeconds * 1000,
        limit: L.address.attempts,
        blockMs: L.address.blockSeconds * 1000,
      });
      if (s.blocked_until > 0) {
        await refund(db, pair);
        return { waitSeconds: seconds(s.blocked_until - now) };
      }

      const a = await consumeDelay(db, account, {
        now,
        windowMs: L.user.windowSeconds * 1000,
        free: L.user.freeFailures,
        stepMs: L.user.stepSeconds * 1000,
        maxMs: L.user.maxDelaySeconds * 1000,
        token: crypto.randomBytes(12).toString('hex'),
      });
      if (!a.taken) {
        await Promise.all([refund(db, pair), refund(db, site)]);
        return { waitSeconds: seconds(a.blocked_until - now) };
      }

      return {
        attempt: {
          async failed() {
            await Promise.all([settleFailed(db, pair), settleFailed(db, site), settleFailed(db, account)]);
          },
          async succeeded() {
            // The address keeps others' failures; only this attempt's own point goes back.
            await Promise.all([settleSucceeded(db, pair), refund(db, site), settleSucceeded(db, account)]);
          },
        },
      };
    },
    async unlock(username) {
      await clearUser(db, canonicalUsername(username), ['user_address', 'user']);
    },
    prune() {
      return pruneThrottle(db, clock.nowMs());
    },
  };
}
