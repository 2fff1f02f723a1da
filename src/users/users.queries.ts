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
    .select(
      'users.id',
      'users.username',
      'users.display_name',
      'users.partner_id',
      'users.active',
      'users.all_institutions',
      'partners.name as partner_name',
      'partners.active as partner_active',
    )
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
    permissions: new Set(perms.map((p: { permission: string }) => p.permission).filter(isPermission)),
    allInstitutions: Boolean(row.all_institutions),
    institutionIds: insts.map((i: { institution_id: number }) => i.institution_id),
  };
}

export type UserListRow = {
  id: number;
  username: string;
  displayName: string;
  partnerName: string | null;
  active: boolean;
  permissions: Permission[];
};

/** Every user for the Admin users list, clinic staff first, then by user name. */
export async function listUsers(db: Knex): Promise<UserListRow[]> {
  const [rows, perms] = await Promise.all([
    db('users')
      .leftJoin('partners', 'partners.id', 'users.partner_id')
      .select(
        'users.id',
        'users.username',
        'users.display_name',
        'users.active',
        'partners.name as partner_name',
      )
      .orderByRaw('CASE WHEN users.partner_id IS NULL THEN 0 ELSE 1 END')
      .orderBy('users.username'),
    db('user_permissions').select('user_id', 'permission'),
  ]);
  const byUser = new Map<number, Permission[]>();
  for (const p of perms as { user_id: number; permission: string }[]) {
    if (!isPermission(p.permission)) continue;
    byUser.set(p.user_id, [...(byUser.get(p.user_id) ?? []), p.permission]);
  }
  return rows.map(
    (r: {
      id: number;
      username: string;
      display_name: string;
      active: number | boolean;
      partner_name: string | null;
    }) => ({
      id: r.id,
      username: r.username,
      displayName: r.display_name,
      partnerName: r.partner_name,
      active: Boolean(r.active),
      permissions: byUser.get(r.id) ?? [],
    }),
  );
}

export type Option = { id: number; name: string; active: boolean };

/** Partners a user can be bound to: the active ones, plus the given one (a user's current binding). */
export async function partnerOptions(db: Knex, includeId: number | null = null): Promise<Option[]> {
  const rows = await db('partners')
    .select('id', 'name', 'active')
    .where((q) => {
      q.where('active', true);
      if (includeId !== null) q.orWhere('id', includeId);
    })
    .orderBy('name');
  return rows.map((r: { id: number; name: string; active: number | boolean }) => ({
    id: r.id,
    name: r.name,
    active: Boolean(r.active),
  }));
}

/** Institutions a user can be given access to: the active ones, plus those already held. */
export async function institutionOptions(db: Knex, includeIds: readonly number[] = []): Promise<Option[]> {
  const rows = await db('institutions')
    .select('id', 'name', 'active')
    .where((q) => {
      q.where('active', true);
      if (includeIds.length) q.orWhereIn('id', includeIds);
    })
    .orderBy('name');
  return rows.map((r: { id: number; name: string; active: number | boolean }) => ({
    id: r.id,
    name: r.name,
    active: Boolean(r.active),
  }));
}
