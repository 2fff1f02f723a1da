/**
 * The app's one source of "now". Features read the time from `ctx.clock` (or a clock passed to
 * them), never from Date.now(), so tests can fix or move it and pass on any date.
 */
import { DateTime, type DurationLike } from 'luxon';

export interface Clock {
  /** The current instant, in UTC. */
  now(): DateTime;
  /** The current instant as a UTC ISO string (the form stored in the database). */
  nowIso(): string;
  /** The current instant in epoch milliseconds. */
  nowMs(): number;
}

export const systemClock: Clock = {
  now: () => DateTime.utc(),
  nowIso: () => new Date().toISOString(),
  nowMs: () => Date.now(),
};

/** A clock that stands still until told to move: for tests ("two hours later", "after release"). */
export class FixedClock implements Clock {
  private ms: number;

  constructor(start: string | Date | DateTime) {
    this.ms = FixedClock.toMs(start);
  }

  private static toMs(t: string | Date | DateTime): number {
    if (typeof t === 'string') {
      const parsed = DateTime.fromISO(t, { zone: 'utc' });
      if (!parsed.isValid) throw new Error(`FixedClock: not an ISO instant: ${t}`);
      return parsed.toMillis();
    }
    return t instanceof Date ? t.getTime() : t.toMillis();
  }

  now(): DateTime {
    return DateTime.fromMillis(this.ms, { zone: 'utc' });
  }

  nowIso(): string {
    return new Date(this.ms).toISOString();
  }

  nowMs(): number {
    return this.ms;
  }

  set(t: string | Date | DateTime): this {
    this.ms = FixedClock.toMs(t);
    return this;
  }

  advance(by: DurationLike): this {
    this.ms = this.now().plus(by).toMillis();
    return this;
  }
}
