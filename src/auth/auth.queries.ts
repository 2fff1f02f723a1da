import type { Knex } from 'knex';
import { canonicalUsername } from './login-throttle';

export type LoginUserRow = {
  id: number;
  username: string;
  password_hash: string;
  partner_id: number | null;
};

/**
 * The user a login form names. User names are unique case-insensitively, so `VICTIM3` names
 * `victim3`: the same canonical form the throttle counts under.
 */
export async function findLoginUser(db: Knex, username: string): Promise<LoginUserRow | undefined> {
  const name = canonicalUsername(username);
  if (!name) return undefined;
  return db('users')
    .select('id', 'username', 'password_hash', 'partner_id')
    .whereRaw('lower(username) = ?', [name])
    .first();
}
