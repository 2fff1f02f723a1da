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

/** Whether a user name is taken (user names compare case-insensitively, as at login). */
export async function userNameTaken(db: Knex, username: string): Promise<boolean> {
  const row = await db('users')
    .select('id')
    .whereRaw('lower(username) = ?', [username.toLowerCase()])
    .first();
  return Boolean(row);
}

/** A clinic administrator: every permission, every institution, no partner. */
export async function insertAdministrator(
  trx: Knex,
  row: { username: string; passwordHash: string; permissions: readonly string[]; now: string },
): Promise<number> {
  const [inserted] = await trx('users')
    .insert({
      username: row.username,
      display_name: row.username,
      password_hash: row.passwordHash,
      partner_id: null,
      active: true,
      all_institutions: true,
      created_at: row.now,
      updated_at: row.now,
    })
    .returning('id');
  const id = typeof inserted === 'object' ? (inserted as { id: number }).id : (inserted as number);
  await trx('user_permissions').insert(row.permissions.map((permission) => ({ user_id: id, permission })));
  return id;
}
