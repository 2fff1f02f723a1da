/**
 * The drawn weeks of the calendar, kept per process and never served stale (issue 11).
 *
 * An entry is used only while both hold:
 * - the institution's calendar version (table calendar_versions, moved by database triggers on
 *   every table the week is drawn from, in the writing transaction: migration 041) is still the
 *   one the entry was drawn at, so a booking, hold, closure or contract change made by any
 *   instance, CLI or statement is seen by the next request;
 * - the clock has not reached the entry's `validUntilMs`: the first moment the week changes by
 *   time alone (a slot starting and so becoming past, a live hold expiring, a reserved block's
 *   release), and at most `maxAgeMs` after it was drawn.
 * The version is read before the week is drawn, so an entry never holds rows older than its
 * version. Entries are kept least recently used first, within `maxBytes` of rendered HTML.
 */
import type { Knex } from 'knex';

type Entry<T> = { value: T; version: number; validUntilMs: number; bytes: number };

export class WeekCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private bytes = 0;

  constructor(
    readonly maxBytes: number,
    readonly maxAgeMs: number,
  ) {}

  get(key: string, version: number, nowMs: number): T | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.version !== version || nowMs >= e.validUntilMs) {
      this.drop(key, e);
      return undefined;
    }
    // Most recently used last (Map keeps insertion order).
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }

  set(key: string, version: number, validUntilMs: number, nowMs: number, value: T, bytes: number): void {
    const old = this.entries.get(key);
    if (old) this.drop(key, old);
    if (bytes > this.maxBytes) return;
    const e = { value, version, validUntilMs: Math.min(validUntilMs, nowMs + this.maxAgeMs), bytes };
    this.entries.set(key, e);
    this.bytes += bytes;
    for (const [k, oldest] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(k, oldest);
    }
  }

  /** What is kept: entries and their bytes (for tests and the bench). */
  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  private drop(key: string, e: Entry<T>) {
    this.entries.delete(key);
    this.bytes -= e.bytes;
  }
}

/** 4 MB of weeks (a busy institution's week is 100-200 KB of HTML), each at most 10 minutes. */
const maxBytes = 4 * 1024 * 1024;
const maxAgeMs = 10 * 60_000;

const caches = new WeakMap<Knex, WeekCache<unknown>>();

/** The cache of this database's weeks (one per database: tests run many apps in one process). */
export function weekCacheOf<T>(db: Knex): WeekCache<T> {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = new WeekCache<unknown>(maxBytes, maxAgeMs)));
  return c as WeekCache<T>;
}
