/**
 * Expired sessions and spent login-throttle counters are deleted at start and every 15 minutes,
 * on the app clock (so a test can move past an expiry and prune).
 */
import type { Knex } from 'knex';
import type pino from 'pino';
import type { Clock } from '../lib/clock';
import type { LoginThrottle } from './login-throttle';
import { deleteExpiredSessions } from './sessions.queries';

export const pruneEveryMs = 15 * 60_000;

export async function pruneExpired(
  db: Knex,
  clock: Clock,
  throttle: LoginThrottle,
): Promise<{ sessions: number; throttle: number }> {
  const sessions = await deleteExpiredSessions(db, clock.nowIso());
  return { sessions, throttle: await throttle.prune() };
}

export function schedulePruning(db: Knex, clock: Clock, throttle: LoginThrottle, logger: pino.Logger): void {
  const run = () => {
    pruneExpired(db, clock, throttle).catch((err: unknown) => logger.warn({ err }, 'pruning failed'));
  };
  setImmediate(run).unref();
  setInterval(run, pruneEveryMs).unref();
}
