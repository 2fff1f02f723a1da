/**
 * The permission catalogue and the one check. Every route declares one of these (or
 * 'public' / 'authenticated') through the guarded router in ./router.ts.
 */
export const permissionLabels = {
  partner_booking: 'Partner booking',
  booking: 'Booking',
  bookings_view: 'Bookings list',
  patients: 'Patients',
  users_admin: 'Admin users',
  settings: 'Settings',
  statistics: 'Statistics',
} as const;

export type Permission = keyof typeof permissionLabels;
export const allPermissions = Object.keys(permissionLabels) as Permission[];

/** What a partner user can ever hold: never clinic booking, settings or user administration. */
export const partnerUserPermissions: readonly Permission[] = [
  'partner_booking',
  'bookings_view',
  'patients',
  'statistics',
];

export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && value in permissionLabels;
}

export type CurrentUser = {
  id: number;
  username: string;
  displayName: string;
  partnerId: number | null;
  partnerName: string | null;
  permissions: ReadonlySet<Permission>;
  allInstitutions: boolean;
  institutionIds: readonly number[];
};

export function can(user: CurrentUser | null | undefined, permission: Permission): boolean {
  if (!user) return false;
  if (user.partnerId !== null && !partnerUserPermissions.includes(permission)) return false;
  return user.permissions.has(permission);
}

export function isPartnerUser(user: CurrentUser): boolean {
  return user.partnerId !== null;
}

/** May this user act in this institution? */
export function canUseInstitution(user: CurrentUser, institutionId: number): boolean {
  return user.allInstitutions || user.institutionIds.includes(institutionId);
}

/** Who may call a route: a permission, any of several, any logged-in user, or anyone. */
export type Access = Permission | readonly Permission[] | 'authenticated' | 'public';

export function allows(access: Access, user: CurrentUser | null | undefined): boolean {
  if (access === 'public') return true;
  if (!user) return false;
  if (access === 'authenticated') return true;
  if (typeof access === 'string') return can(user, access);
  return access.some((p) => can(user, p));
}

// ---- User administration (users/ and partners/ call these; no other file decides them)

/** The permissions a user bound to a partner may not hold (empty for a clinic user). */
export function permissionsForbiddenFor(
  account: { partnerId: number | null },
  permissions: readonly Permission[],
): Permission[] {
  return account.partnerId === null ? [] : permissions.filter((p) => !partnerUserPermissions.includes(p));
}

/**
 * What an administrator may not do to their own account, so nobody locks themself out:
 * drop Admin users, deactivate it, or bind it to a partner. Returns which of the three the
 * change would do (all false when the account edited is someone else's).
 */
export function selfLockouts(
  actor: CurrentUser,
  userId: number,
  change: { permissions: readonly Permission[]; active: boolean; partnerId: number | null },
): { dropsAdmin: boolean; deactivates: boolean; bindsToPartner: boolean } {
  const self = actor.id === userId;
  return {
    dropsAdmin: self && !change.permissions.includes('users_admin'),
    deactivates: self && !change.active,
    bindsToPartner: self && change.partnerId !== null,
  };
}
