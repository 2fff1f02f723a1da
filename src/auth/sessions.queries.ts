import type { Knex } from 'knex';
import { isSqlite } from '../lib/db';

/** Deletes sessions that expired before `nowIso` (connect-session-knex's table). */
export async function deleteExpiredSessions(db: Knex, nowIso: string): Promise<number> {
  return isSqlite(db)
    ? db('sessions').whereRaw('datetime(expired) < datetime(?)', [nowIso]).del()
    : db('sessions').where('expired', '<', nowIso).del();
}
