/**
 * The sessions table (migration 007): one row per logged-in session, its JSON and its expiry
 * instant (UTC ISO string). "Now" is always passed in, from the app clock.
 */
import type { Knex } from 'knex';
import { isSqlite } from '../lib/db';

/** The stored session JSON of a session that has not expired at `nowIso`, or undefined. */
export async function readSession(db: Knex, sid: string, nowIso: string): Promise<unknown> {
  const row = (await db('sessions').select('sess').where({ sid }).where('expired', '>', nowIso).first()) as
    { sess: unknown } | undefined;
  return row?.sess;
}

/** Inserts or replaces a session with its new expiry. */
export async function writeSession(
  db: Knex,
  sid: string,
  sessJson: string,
  expiredIso: string,
): Promise<void> {
  await db('sessions').insert({ sid, sess: sessJson, expired: expiredIso }).onConflict('sid').merge();
}

/** Moves a live session's expiry (a rolling session on a request that changed nothing else). */
export async function touchSession(db: Knex, sid: string, expiredIso: string, nowIso: string): Promise<void> {
  await db('sessions').where({ sid }).where('expired', '>', nowIso).update({ expired: expiredIso });
}

export async function deleteSession(db: Knex, sid: string): Promise<number> {
  return db('sessions').where({ sid }).del();
}

/** Deletes sessions that expired before `nowIso`. */
export async function deleteExpiredSessions(db: Knex, nowIso: string): Promise<number> {
  return isSqlite(db)
    ? db('sessions').whereRaw('datetime(expired) < datetime(?)', [nowIso]).del()
    : db('sessions').where('expired', '<', nowIso).del();
}
