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
