/**
 * The statements the command-line tools and the start-up need about users (create-admin, the
 * first-start hint). The users service keeps the rules; these are plain reads and one insert.
 */
import type { Knex } from 'knex';

/** How many users exist (zero means nobody can log in yet). */
export async function countUsers(db: Knex): Promise<number> {
  const row = await db('users').count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}
