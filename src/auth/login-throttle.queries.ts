/**
 * The login throttle's counters (table login_throttle). Each change is one statement, an
 * `insert ... on conflict do update` or a single `update`, so parallel requests and processes
 * cannot both take the last point. Portable to PostgreSQL (both evaluate SET from the old row;
 * numeric parameters are cast to bigint so PostgreSQL can type them).
 */
import type { Knex } from 'knex';

export type ThrottleKey = { scope: string; username: string; address: string };
export type ThrottleRow = { points: number; blocked_until: number };

function rowsOf(result: unknown): Record<string, unknown>[] {
  // better-sqlite3 answers a raw statement with the rows, PostgreSQL with { rows }.
  return Array.isArray(result) ? result : ((result as { rows?: Record<string, unknown>[] }).rows ?? []);
}

function one(result: unknown): ThrottleRow {
  const row = rowsOf(result)[0] ?? {};
  return { points: Number(row.points ?? 0), blocked_until: Number(row.blocked_until ?? 0) };
}

/**
 * Takes a point for an attempt about to be verified. A window that ran out, or a block that
 * ended, starts afresh. The attempt that goes over `limit` starts a block of `blockMs`; while
 * blocked, attempts take nothing. The caller may go ahead when `blocked_until` is 0.
 */
export async function consumeHard(
  db: Knex,
  key: ThrottleKey,
  p: { now: number; windowMs: number; limit: number; blockMs: number },
): Promise<ThrottleRow> {
  const expired = `(login_throttle.window_ends <= cast(:now as bigint) or (login_throttle.blocked_until > 0 and login_throttle.blocked_until <= cast(:now as bigint)))`;
  const blocked = `login_throttle.blocked_until > cast(:now as bigint)`;
  const over = `login_throttle.points + 1 > cast(:limit as bigint)`;
  return one(
    await db.raw(
      `insert into login_throttle (scope, username, address, points, inflight, window_ends, blocked_until)
       values (:scope, :username, :address, 1, 1, cast(:windowEnds as bigint), 0)
       on conflict (scope, username, address) do update set
         points = case when ${expired} then 1 when ${blocked} then login_throttle.points
                       else login_throttle.points + 1 end,
         inflight = case when ${expired} then 1 when ${blocked} or ${over} then login_throttle.inflight
                         else login_throttle.inflight + 1 end,
         window_ends = case when ${expired} then cast(:windowEnds as bigint) else login_throttle.window_ends end,
         blocked_until = case when ${expired} then 0 when ${blocked} then login_throttle.blocked_until
                              when ${over} then cast(:blockedUntil as bigint) else 0 end
       returning points, blocked_until`,
      {
        ...key,
        now: p.now,
        limit: p.limit,
        windowEnds: p.now + p.windowMs,
        blockedUntil: p.now + p.blockMs,
      },
    ),
  );
}

/**
 * Per account across addresses: no hard block, a delay between attempts that grows with the
 * failures beyond `free` by `stepMs` each, up to `maxMs`. The window slides with every attempt
 * taken. `blocked_until` is the earliest time of the next attempt; an attempt that is allowed
 * sets it for the next one, and `taken` says whether this attempt was allowed. Without a delay it
 * is 0, not "now": parallel requests (or instances) read the clock in any order, and an attempt
 * whose "now" is a millisecond older than the last one's must not count as waiting.
 */
export async function consumeDelay(
  db: Knex,
  key: ThrottleKey,
  p: { now: number; windowMs: number; free: number; stepMs: number; maxMs: number; token: string },
): Promise<ThrottleRow & { taken: boolean }> {
  const expired = `login_throttle.window_ends <= cast(:now as bigint)`;
  const waiting = `(login_throttle.blocked_until > cast(:now as bigint) and not ${expired})`;
  const delay = `case when login_throttle.points + 1 <= cast(:free as bigint) then 0
                      when (login_throttle.points + 1 - cast(:free as bigint)) * cast(:stepMs as bigint) >= cast(:maxMs as bigint) then cast(:maxMs as bigint)
                      else (login_throttle.points + 1 - cast(:free as bigint)) * cast(:stepMs as bigint) end`;
  const result = await db.raw(
    `insert into login_throttle
       (scope, username, address, points, inflight, window_ends, blocked_until, taken_by)
     values (:scope, :username, :address, 1, 1, cast(:windowEnds as bigint), 0, :token)
     on conflict (scope, username, address) do update set
       points = case when ${expired} then 1 when ${waiting} then login_throttle.points
                     else login_throttle.points + 1 end,
       inflight = case when ${expired} then 1 when ${waiting} then login_throttle.inflight
                       else login_throttle.inflight + 1 end,
       window_ends = case when ${waiting} then login_throttle.window_ends else cast(:windowEnds as bigint) end,
       blocked_until = case when ${expired} then 0 when ${waiting} then login_throttle.blocked_until
                            when ${delay} = 0 then 0 else cast(:now as bigint) + ${delay} end,
       taken_by = case when ${waiting} then login_throttle.taken_by else :token end
     returning points, blocked_until, taken_by`,
    {
      ...key,
      now: p.now,
      free: p.free,
      stepMs: p.stepMs,
      maxMs: p.maxMs,
      windowEnds: p.now + p.windowMs,
      token: p.token,
    },
  );
  const row = rowsOf(result)[0] ?? {};
  return { ...one(result), taken: row.taken_by === p.token };
}

/** The attempt failed: its point stays as a failure; it is no longer being verified. */
export async function settleFailed(db: Knex, key: ThrottleKey): Promise<void> {
  await db('login_throttle')
    .where(key)
    .where('inflight', '>', 0)
    .update({ inflight: db.raw('inflight - 1') });
}

/** Gives the attempt's point back (an attempt refused by another counter, or a success at an address). */
export async function refund(db: Knex, key: ThrottleKey): Promise<void> {
  await db('login_throttle')
    .where(key)
    .update({
      points: db.raw('case when points > 0 then points - 1 else 0 end'),
      inflight: db.raw('case when inflight > 0 then inflight - 1 else 0 end'),
    });
}

/**
 * The attempt succeeded: earlier failures are forgiven, but attempts of the same burst still
 * being verified keep their points (so a right guess does not free slots for more guesses).
 */
export async function settleSucceeded(db: Knex, key: ThrottleKey): Promise<void> {
  await db('login_throttle')
    .where(key)
    .update({
      points: db.raw('case when inflight > 1 then inflight else 0 end'),
      blocked_until: db.raw('case when inflight > 1 then blocked_until else 0 end'),
      inflight: db.raw('case when inflight > 0 then inflight - 1 else 0 end'),
    });
}

/** Forgets every counter of a user name (not the address counters, shared by others). */
export async function clearUser(db: Knex, username: string, scopes: string[]): Promise<void> {
  await db('login_throttle').where({ username }).whereIn('scope', scopes).del();
}

/** Removes rows whose window and block are both over. */
export async function pruneThrottle(db: Knex, now: number): Promise<number> {
  return db('login_throttle').where('window_ends', '<=', now).where('blocked_until', '<=', now).del();
}
