/**
 * express-session's store over the sessions table, on the app clock: a session's server-side
 * expiry is the clock's now plus the session lifetime, and only sessions live at the clock's now
 * are read (pruning uses the same clock, src/auth/pruning.ts). The cookie's own Expires stays
 * express-session's business (the browser's clock decides it anyway).
 *
 * Rolling without a write per request (issue 11): a touch is skipped while the expiry this
 * process last wrote for the session is less than touchAfterMs(lifetime) older (src/auth/session-touch.ts).
 *
 * A failing read or write goes to express-session's callback only (never an unhandled
 * rejection); a write that failed on a full disk is remembered, so the error handler can say so.
 */
import { Store, type SessionData } from 'express-session';
import type { Knex } from 'knex';
import type { Clock } from '../lib/clock';
import { isDiskFull } from '../lib/db';
import { deleteSession, readSession, touchSession, writeSession } from './sessions.queries';
import { TouchThrottle, touchAfterMs } from './session-touch';

export class ClockedSessionStore extends Store {
  /** The last session write failed because the disk is full (cleared by the next one that works). */
  diskFull = false;
  private readonly touches: TouchThrottle;

  constructor(
    private readonly db: Knex,
    private readonly clock: Clock,
    /** How long a session lives after its last request (config.sessionHours). */
    private readonly lifetimeMs: number,
  ) {
    super();
    this.touches = new TouchThrottle(touchAfterMs(lifetimeMs));
  }

  /**
   * The app's sessions roll (every request starts a full lifetime), so a session expires one
   * lifetime after the app clock's now. (The cookie's maxAge and originalMaxAge are measured on
   * the system clock and can be a millisecond short.)
   */
  private expiryMs(): number {
    return this.clock.nowMs() + this.lifetimeMs;
  }

  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
    readSession(this.db, sid, this.clock.nowIso()).then(
      (sess) =>
        callback(null, sess ? ((typeof sess === 'string' ? JSON.parse(sess) : sess) as SessionData) : null),
      (err: unknown) => callback(err),
    );
  }

  override set(sid: string, session: SessionData, callback?: (err?: unknown) => void): void {
    const expires = this.expiryMs();
    writeSession(this.db, sid, JSON.stringify(session), new Date(expires).toISOString()).then(
      () => {
        this.diskFull = false;
        this.touches.wrote(sid, expires);
        callback?.();
      },
      (err: unknown) => {
        this.diskFull = isDiskFull(err);
        callback?.(err);
      },
    );
  }

  override touch(sid: string, session: SessionData, callback?: () => void): void {
    const expires = this.expiryMs();
    if (!this.touches.due(sid, expires)) {
      callback?.();
      return;
    }
    // A failed touch only shortens the session; the request goes on either way.
    touchSession(this.db, sid, new Date(expires).toISOString(), this.clock.nowIso()).then(
      () => {
        this.touches.wrote(sid, expires);
        callback?.();
      },
      () => callback?.(),
    );
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.touches.forget(sid);
    deleteSession(this.db, sid).then(
      () => callback?.(),
      () => callback?.(),
    );
  }
}
