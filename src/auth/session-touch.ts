/**
 * Rolling sessions without a write per request (issue 11). express-session with `rolling: true`
 * asks the store to touch (UPDATE sessions SET expired = now + SESSION_HOURS) on every request
 * that did not change the session: an fsynced write per page view. The store asks this throttle
 * first and skips the write while the expiry it last wrote for the session is less than
 * `afterMs` older than the new one. The idle timeout stays SESSION_HOURS after the last request,
 * give or take `afterMs` (a session idle for SESSION_HOURS minus at most `afterMs` may end).
 */
export const DEFAULT_TOUCH_AFTER_MS = 5 * 60_000;

/** A tenth of the session length, at most 5 minutes: the stored expiry lags the idle timeout by no more. */
export function touchAfterMs(sessionMs: number): number {
  return Math.max(0, Math.min(DEFAULT_TOUCH_AFTER_MS, Math.floor(sessionMs / 10)));
}

export class TouchThrottle {
  /** sid -> the expiry (epoch ms) this process last wrote for it. */
  private readonly written = new Map<string, number>();

  constructor(
    private readonly afterMs: number,
    private readonly maxEntries = 20_000,
  ) {}

  /** Must the store write this new expiry, or is the stored one recent enough? */
  due(sid: string, expiresMs: number | null): boolean {
    if (expiresMs === null) return true;
    const last = this.written.get(sid);
    return last === undefined || expiresMs - last >= this.afterMs;
  }

  /** The store wrote this expiry for the session. */
  wrote(sid: string, expiresMs: number | null): void {
    if (expiresMs === null) return;
    this.written.delete(sid);
    if (this.written.size >= this.maxEntries) this.prune();
    this.written.set(sid, expiresMs);
  }

  forget(sid: string): void {
    this.written.delete(sid);
  }

  /** Drops the oldest half (Map order is write order): those just write once more when next touched. */
  private prune(): void {
    let drop = Math.ceil(this.written.size / 2);
    for (const sid of this.written.keys()) {
      if (drop-- <= 0) break;
      this.written.delete(sid);
    }
  }
}
