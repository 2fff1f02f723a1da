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
  partner_admin: 'Partner users',
} as const;

export type Permission = keyof typeof permissionLabels;
export const allPermissions = Object.keys(permissionLabels) as Permission[];

/** What a partner user can ever hold: never clinic booking, settings or user administration. */
export const partnerUserPermissions: readonly Permission[] = [
  'partner_booking',
  'bookings_view',
  'patients',
  'statistics',
  'partner_admin',
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
  /** The user's own interface language; null or absent: the browser or the clinic default decides. */
  language?: 'en' | 'hu' | 'ro' | null;
};

export function can(user: CurrentUser | null | undefined, permission: Permission): boolean {
  if (!user) return false;
  if (user.partnerId !== null && !partnerUserPermissions.includes(permission)) return false;
  return user.permissions.has(permission);
}

export function isPartnerUser(user: CurrentUser): boolean {
  return user.partnerId !== null;
}

/**
 * Whether this user may read which partner holds a reserved block. A partner's contracts are its
 * tenant data: clinic staff see "Reserved for Alfa"; another partner's users see only that the
 * slot is reserved for another partner (their own partner's blocks are free to them anyway).
 */
export function mayNameReservingPartner(user: CurrentUser): boolean {
  return !isPartnerUser(user);
}

/**
 * Which bookings a user may see: the one rule, used by the bookings list and details, the booking
 * confirmation, cancellation and statistics. A partner user sees only their partner's bookings;
 * anyone limited to some institutions (partner users too) only those institutions'. As data, so
 * queries put it into their WHERE (lib/scope.queries.ts) and statistics can hand it around.
 */
export type BookingScope = { partnerId: number | null; institutionIds: readonly number[] | null };

export function bookingScopeOf(user: CurrentUser): BookingScope {
  return {
    partnerId: user.partnerId,
    institutionIds: user.allInstitutions ? null : [...user.institutionIds],
  };
}

/**
 * May this account act at all? An inactive user cannot, nor can the users of a deactivated
 * partner (they cannot act for it any more). Checked when the user is loaded for each request.
 */
export function accountMayAct(account: {
  active: boolean;
  partnerId: number | null;
  partnerActive: boolean;
}): boolean {
  return account.active && (account.partnerId === null || account.partnerActive);
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

// ---- Booking, cancelling and patient visibility (the booking/bookings/patients features call these)

/** May this user book through this calendar mode (a partner's channel, or a clinic channel)? */
export function mayBook(user: CurrentUser | null | undefined, mode: 'partner' | 'clinic'): boolean {
  return can(user, mode === 'partner' ? 'partner_booking' : 'booking');
}

/**
 * May this user save a hold now? The user is loaded afresh for every request, so rights withdrawn
 * since the hold apply: the hold's partner must still be a partner user's own, the institution
 * and the booking permission for the hold's kind.
 */
export function maySaveHold(
  user: CurrentUser,
  hold: { institution_id: number; partner_id: number | null },
): boolean {
  if (!holdIsForUsersPartner(user, hold)) return false;
  if (!canUseInstitution(user, hold.institution_id)) return false;
  return mayBook(user, hold.partner_id ? 'partner' : 'clinic');
}

/**
 * A partner user books only for the partner they belong to now: a hold placed for their old
 * partner (they were moved to another one since) is not theirs to save. Clinic staff may book
 * for any partner.
 */
export function holdIsForUsersPartner(user: CurrentUser, hold: { partner_id: number | null }): boolean {
  return !isPartnerUser(user) || hold.partner_id === user.partnerId;
}

/**
 * May this user cancel this booking? Only a standing booking, only by someone who sees bookings;
 * clinic-channel bookings need `booking`, partner bookings `booking` or `partner_booking`.
 */
export function mayCancel(user: CurrentUser, booking: { partnerId: number | null; status: string }): boolean {
  if (booking.status !== 'booked' || !can(user, 'bookings_view')) return false;
  if (booking.partnerId === null) return can(user, 'booking');
  return can(user, 'booking') || can(user, 'partner_booking');
}

/** Does this user cancel any kind of booking (mayCancel allows some)? The home tile says so. */
export function mayCancelSomeBookings(user: CurrentUser): boolean {
  return can(user, 'booking') || can(user, 'partner_booking');
}

/**
 * Whose full patient records a user sees. Clinic staff: everyone. A partner user: the patients their
 * partner registered; patients another partner registered while their partner has a standing (not
 * cancelled) booking for them; and the clinic's own patients (registered by no partner) only when
 * the partner may see clinic records, however the patient came into one of its bookings. Patient
 * queries put exactly this into their WHERE (patients.queries fullAccessSql).
 */
export type PatientVisibility =
  { kind: 'all' } | { kind: 'partner'; partnerId: number; clinicRecords: boolean };

export function patientVisibility(user: CurrentUser, partnerSeesClinicRecords: boolean): PatientVisibility {
  if (!isPartnerUser(user)) return { kind: 'all' };
  return { kind: 'partner', partnerId: user.partnerId!, clinicRecords: partnerSeesClinicRecords };
}

/** The same rule for one patient's facts (the SQL form is patients.queries fullAccessSql). */
export function maySeePatientRecord(
  v: PatientVisibility,
  p: { registeredByPartnerId: number | null; standingBookingByPartner: boolean },
): boolean {
  if (v.kind === 'all') return true;
  if (p.registeredByPartnerId === v.partnerId) return true;
  if (p.registeredByPartnerId === null) return v.clinicRecords;
  return p.standingBookingByPartner;
}

/**
 * May a patient outside the user's full view be shown (name and year of birth) or booked? Only by
 * a session that found them by exact identifier; otherwise guessing ids would reveal any patient.
 */
export function maySeePatientSummary(
  p: { restricted: boolean },
  foundByIdentifierThisSession: boolean,
): boolean {
  return !p.restricted || foundByIdentifierThisSession;
}

/**
 * May this user correct a patient's record? Only with `patients`, and only a record they fully see
 * (maySeePatientRecord; for partner users the query's WHERE decides it): a restricted patient, shown
 * as name and year of birth, can never be edited.
 */
export function mayEditPatient(user: CurrentUser, p: { restricted: boolean }): boolean {
  return can(user, 'patients') && !p.restricted;
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

// ---- The partner's own user administration and the audit log viewer (partner-users/, audit-log/)

/**
 * The permissions a user effectively holds: a partner user's Partner users (partner_admin) only
 * while the clinic leaves it switched on for their partner. Applied when the user is loaded for
 * each request, so the tile, the guard and every check below agree at once.
 */
export function effectivePermissions(
  permissions: readonly Permission[],
  account: { partnerId: number | null; partnerAdminEnabled: boolean },
): Permission[] {
  if (account.partnerId === null || account.partnerAdminEnabled) return [...permissions];
  return permissions.filter((p) => p !== 'partner_admin');
}

/** May this user manage their own partner's users (the Partner users tile and pages)? */
export function mayAdministerPartnerUsers(user: CurrentUser | null | undefined): boolean {
  return !!user && isPartnerUser(user) && can(user, 'partner_admin');
}

/** Is this account one the partner admin may see and change? Only their own partner's users. */
export function partnerAdminManages(actor: CurrentUser, target: { partnerId: number | null }): boolean {
  return mayAdministerPartnerUsers(actor) && target.partnerId === actor.partnerId;
}

/** The institutions a partner admin's new user may act in: never wider than the admin's own. */
export function partnerAdminInstitutionAccess(actor: CurrentUser): {
  allInstitutions: boolean;
  institutionIds: number[];
} {
  return { allInstitutions: actor.allInstitutions, institutionIds: [...actor.institutionIds] };
}

/** What a partner admin may grant: partner permissions they hold themselves, never more. */
export function partnerAdminGrantable(actor: CurrentUser): Permission[] {
  if (!mayAdministerPartnerUsers(actor)) return [];
  return partnerUserPermissions.filter((p) => can(actor, p));
}

/**
 * The permissions a partner admin asks for that they may not grant (outside their own, or clinic
 * permissions), leaving aside those the account already holds (kept as they are).
 */
export function partnerAdminRefusedGrants(
  actor: CurrentUser,
  requested: readonly string[],
  alreadyHeld: readonly Permission[] = [],
): string[] {
  const grantable = new Set<string>(partnerAdminGrantable(actor));
  return requested.filter((p) => !grantable.has(p) && !alreadyHeld.includes(p as Permission));
}

/**
 * Which audit entries a user may read: clinic administrators (Admin users) all of them; a partner
 * admin only those their partner's users made (an entry belongs to a partner through its actor,
 * audit_log.actor_partner_id). null: none.
 */
export type AuditScope = { partnerId: number | null };

export function auditScopeOf(user: CurrentUser | null | undefined): AuditScope | null {
  if (!user) return null;
  if (!isPartnerUser(user)) return can(user, 'users_admin') ? { partnerId: null } : null;
  return can(user, 'partner_admin') ? { partnerId: user.partnerId } : null;
}

export function mayViewAuditLog(user: CurrentUser | null | undefined): boolean {
  return auditScopeOf(user) !== null;
}

// ---- Moving, attendance and the partner's cancellation window (bookings/move, bookings/attendance)

/**
 * Is the partner's cancellation window still open for this booking? Partner users may cancel and
 * move only until `windowHours` before the appointment starts; no window (null) never closes.
 * Clinic staff are not bound by it (their late cancellation is marked instead).
 */
export function insideCancellationWindow(
  booking: { startsAt: string },
  windowHours: number | null,
  nowMs: number,
): boolean {
  if (windowHours === null) return true;
  return nowMs <= Date.parse(booking.startsAt) - windowHours * 3_600_000;
}

/** May this user cancel this booking now, the partner's window considered (mayCancel, then the window)? */
export function mayCancelNow(
  user: CurrentUser,
  booking: { partnerId: number | null; status: string; startsAt: string },
  windowHours: number | null,
  nowMs: number,
): boolean {
  if (!mayCancel(user, booking)) return false;
  return !isPartnerUser(user) || insideCancellationWindow(booking, windowHours, nowMs);
}

/** A clinic cancellation of a partner booking after its window closed is a late cancellation. */
export function isLateCancellation(
  booking: { partnerId: number | null; startsAt: string },
  windowHours: number | null,
  nowMs: number,
): boolean {
  return booking.partnerId !== null && !insideCancellationWindow(booking, windowHours, nowMs);
}

/**
 * May this user move this booking (at all, before the window)? A standing booking without an
 * attendance mark, seen by the user, booked through a calendar the user may book in (a partner's
 * booking needs Partner booking, a clinic one Booking); a partner user only their own partner's.
 */
export function mayMove(
  user: CurrentUser,
  booking: { partnerId: number | null; status: string; attendance: string | null; institutionId: number },
): boolean {
  if (booking.status !== 'booked' || booking.attendance !== null || !can(user, 'bookings_view')) return false;
  if (!holdIsForUsersPartner(user, { partner_id: booking.partnerId })) return false;
  if (!canUseInstitution(user, booking.institutionId)) return false;
  return mayBook(user, booking.partnerId ? 'partner' : 'clinic');
}

/** May this user move this booking now: mayMove, and a partner user only inside the window. */
export function mayMoveNow(
  user: CurrentUser,
  booking: {
    partnerId: number | null;
    status: string;
    attendance: string | null;
    institutionId: number;
    startsAt: string;
  },
  windowHours: number | null,
  nowMs: number,
): boolean {
  if (!mayMove(user, booking)) return false;
  return !isPartnerUser(user) || insideCancellationWindow(booking, windowHours, nowMs);
}

/**
 * May this user mark a booking Arrived, Completed or No-show? Clinic staff with Booking and the
 * Bookings list only (partner users see the mark, never set it); a standing booking.
 */
export function maySetAttendance(user: CurrentUser, booking: { status: string }): boolean {
  if (isPartnerUser(user) || !can(user, 'booking') || !can(user, 'bookings_view')) return false;
  return booking.status === 'booked';
}

/** May this user undo the booking's mark? maySetAttendance, and only the institution-local day it was made. */
export function mayUndoAttendance(
  user: CurrentUser,
  booking: { status: string; attendance: string | null; attendanceMarkedLocalDate: string | null },
  todayLocal: string,
): boolean {
  if (!maySetAttendance(user, booking) || booking.attendance === null) return false;
  return booking.attendanceMarkedLocalDate === todayLocal;
}
