import type { Knex } from 'knex';
import { insertId, isPostgres } from '../lib/db';
import {
  accountMayAct,
  effectivePermissions,
  isPermission,
  type CurrentUser,
  type Permission,
} from '../lib/permissions';

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

/** A user's rows of `table` (`column`) as one comma-separated text: the user's own row carries them. */
function listOf(db: Knex, table: string, column: string, as: string): Knex.Raw {
  return isPostgres(db)
    ? db.raw(`(select string_agg(${column}::text, ',') from ${table} where user_id = users.id) as ${as}`)
    : db.raw(`(select group_concat(${column}, ',') from ${table} where user_id = users.id) as ${as}`);
}

const splitList = (text: string | null | undefined): string[] => (text ? text.split(',') : []);

/**
 * The user as a request sees it, or null if missing or deactivated (which ends their sessions).
 * One statement per request (issue 11): the permissions and institutions come as lists.
 */
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
      'users.language',
      'partners.name as partner_name',
      'partners.active as partner_active',
      'partners.partner_admin_enabled',
      listOf(db, 'user_permissions', 'permission', 'permission_list'),
      listOf(db, 'user_institutions', 'institution_id', 'institution_list'),
    )
    .where('users.id', id)
    .first();
  if (
    !row ||
    !accountMayAct({
      active: Boolean(row.active),
      partnerId: row.partner_id,
      partnerActive: Boolean(row.partner_active),
    })
  )
    return null;
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    partnerId: row.partner_id,
    partnerName: row.partner_name ?? null,
    permissions: new Set(
      effectivePermissions(splitList(row.permission_list).filter(isPermission), {
        partnerId: row.partner_id,
        partnerAdminEnabled: Boolean(row.partner_admin_enabled),
      }),
    ),
    allInstitutions: Boolean(row.all_institutions),
    institutionIds: splitList(row.institution_list)
      .map(Number)
      .sort((a, b) => a - b),
    language: row.language === 'en' || row.language === 'hu' || row.language === 'ro' ? row.language : null,
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

// The statements of user administration (users.service.ts keeps the rules and transactions).

export async function usernameTaken(db: Knex, username: string): Promise<boolean> {
  // Case-insensitive: "Desk" and "desk" would be indistinguishable to the people using them.
  const row = await db('users')
    .select('id')
    .whereRaw('lower(username) = ?', [username.toLowerCase()])
    .first();
  return !!row;
}

/** Replaces a user's permissions and institution list. */
export async function writeAccess(
  trx: Knex,
  userId: number,
  access: { permissions: readonly string[]; institutionIds: readonly number[] },
): Promise<void> {
  await trx('user_permissions').where({ user_id: userId }).del();
  if (access.permissions.length)
    await trx('user_permissions').insert(
      access.permissions.map((permission) => ({ user_id: userId, permission })),
    );
  await trx('user_institutions').where({ user_id: userId }).del();
  if (access.institutionIds.length)
    await trx('user_institutions').insert(
      access.institutionIds.map((institution_id) => ({ user_id: userId, institution_id })),
    );
}

/** Ends every stored session of a user at once (deactivation must take effect immediately). */
export async function endSessionsOf(db: Knex, userId: number): Promise<number> {
  // The session store (auth/session-store.ts) keeps the session as JSON text: {"passport":{"user":<id>}}.
  // The closing brace keeps user 5 from matching user 55. CAST works on SQLite and PostgreSQL.
  return db('sessions')
    .whereRaw('CAST(sess AS TEXT) LIKE ?', [`%"passport":{"user":${Math.trunc(userId)}}%`])
    .del();
}

export async function partnerState(
  db: Knex,
  id: number,
): Promise<{ id: number; active: boolean } | undefined> {
  const row = (await db('partners').select('id', 'active').where({ id }).first()) as
    { id: number; active: unknown } | undefined;
  return row && { id: row.id, active: Boolean(row.active) };
}

/** How many of the institution ids exist. */
export async function countInstitutions(db: Knex, ids: readonly number[]): Promise<number> {
  return (await db('institutions').select('id').whereIn('id', ids)).length;
}

export function findUserAccessRow(db: Knex, userId: number) {
  return db('users')
    .select('id', 'username', 'display_name', 'partner_id', 'active', 'all_institutions')
    .where({ id: userId })
    .first() as Promise<
    | {
        id: number;
        username: string;
        display_name: string;
        partner_id: number | null;
        active: unknown;
        all_institutions: unknown;
      }
    | undefined
  >;
}

export function accessListsOf(
  db: Knex,
  userId: number,
): Promise<[{ permission: string }[], { institution_id: number }[]]> {
  return Promise.all([
    db('user_permissions').select('permission').where({ user_id: userId }).orderBy('permission'),
    db('user_institutions').select('institution_id').where({ user_id: userId }).orderBy('institution_id'),
  ]);
}

export function findUsername(
  db: Knex,
  userId: number,
): Promise<{ id: number; username: string } | undefined> {
  return db('users').select('id', 'username').where({ id: userId }).first();
}

export function insertUser(
  db: Knex,
  row: {
    username: string;
    display_name: string;
    password_hash: string;
    partner_id: number | null;
    active: boolean;
    all_institutions: boolean;
    language?: 'en' | 'hu' | 'ro' | null;
    created_at: string;
    updated_at: string;
  },
): Promise<number> {
  return insertId(db, 'users', row);
}

export async function updateUserRow(
  db: Knex,
  userId: number,
  values: {
    display_name?: string;
    partner_id?: number | null;
    active?: boolean;
    all_institutions?: boolean;
    password_hash?: string;
    language?: 'en' | 'hu' | 'ro' | null;
    updated_at: string;
  },
): Promise<void> {
  await db('users').where({ id: userId }).update(values);
}
