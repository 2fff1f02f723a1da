/**
 * Which bookings a user may see, written into the WHERE of the caller's query. The rule itself is
 * bookingScopeOf in lib/permissions.ts; these put it into queries on bookings and institutions.
 */
import type { Knex } from 'knex';
import { bookingScopeOf, type BookingScope, type CurrentUser } from './permissions';

export { bookingScopeOf, type BookingScope } from './permissions';

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
