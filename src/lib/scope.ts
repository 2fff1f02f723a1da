/**
 * Which bookings a user may see: the one rule, used by the bookings list and details, the booking
 * confirmation, cancellation and statistics. A partner user sees only their partner's bookings;
 * anyone limited to some institutions (partner users too) only those institutions'. Both
 * conditions go into the WHERE of the caller's query.
 */
import type { Knex } from 'knex';
import type { CurrentUser } from './permissions';

/** The visibility rule as data (statistics hands it around instead of the user). */
export type BookingScope = { partnerId: number | null; institutionIds: readonly number[] | null };

export function bookingScopeOf(user: CurrentUser): BookingScope {
  return {
    partnerId: user.partnerId,
    institutionIds: user.allInstitutions ? null : [...user.institutionIds],
  };
}

/** Adds a scope to a query on bookings (aliased `alias`). */
export function applyBookingScope<Q extends Knex.QueryBuilder>(
  q: Q,
  scope: BookingScope,
  alias = 'bookings',
): Q {
  if (scope.partnerId !== null) q.where(`${alias}.partner_id`, scope.partnerId);
  if (scope.institutionIds) q.whereIn(`${alias}.institution_id`, [...scope.institutionIds]);
  return q;
}

/** Adds this user's visibility rule to a query on bookings (aliased `alias`). */
export function scopeBookings<Q extends Knex.QueryBuilder>(q: Q, user: CurrentUser, alias = 'bookings'): Q {
  return applyBookingScope(q, bookingScopeOf(user), alias);
}

/**
 * Restricts a query on an institution id column to the institutions this user may act in: the
 * institution half of the same rule, for queries on institutions themselves (choices, filters).
 */
export function scopeInstitutions<Q extends Knex.QueryBuilder>(q: Q, user: CurrentUser, column: string): Q {
  const { institutionIds } = bookingScopeOf(user);
  if (institutionIds) q.whereIn(column, [...institutionIds]);
  return q;
}
