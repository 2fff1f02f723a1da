import type { Knex } from 'knex';
import { isPermission, type CurrentUser, type Permission } from '../lib/permissions';

export type UserRow = {
  id: number;
  username: string;
  display_name: string;
  password_hash: string;
  partner_id: number | null;
  active: number | boolean;
  all_institutions: number | boolean;
};

export async function findUserByUsername(db: Knex, username: string): Promise<UserRow | undefined> {
  return db('users')
    .select('id', 'username', 'display_name', 'password_hash', 'partner_id', 'active', 'all_institutions')
    .where({ username })
    .first();
}

/** The user as a request sees it, or null if missing or deactivated (which ends their sessions). */
export async function loadCurrentUser(db: Knex, id: number): Promise<CurrentUser | null> {
  const row = await db('users')
    .leftJoin('partners', 'partners.id', 'users.partner_id')
    .select('users.id', 'users.username', 'users.display_name', 'users.partner_id', 'users.active', 'users.all_institutions', 'partners.name as partner_name', 'partners.active as partner_active')
    .where('users.id', id)
    .first();
  if (!row || !row.active) return null;
  // A deactivated partner's users cannot act for it any more.
  if (row.partner_id !== null && !row.partner_active) return null;
  const [perms, insts] = await Promise.all([
    db('user_permissions').select('permission').where({ user_id: id }),
    db('user_institutions').select('institution_id').where({ user_id: id }),
  ]);
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    partnerId: row.partner_id,
    partnerName: row.partner_name ?? null,
    permissions: new Set(perms.map((p: { permission: string }) => p.permission).filter(isPermission) as Permission[]),
    allInstitutions: Boolean(row.all_institutions),
    institutionIds: insts.map((i: { institution_id: number }) => i.institution_id),
  };
}
