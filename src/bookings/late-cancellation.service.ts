/**
 * The partner's cancellation window applied to cancelling (issue 17): a partner user may cancel
 * only until the window closes; clinic staff may cancel later, and such a cancellation of a partner
 * booking is marked late (it earns no commission). Called by cancelBooking inside its transaction.
 */
import type { Knex } from 'knex';
import type { Clock } from '../lib/clock';
import { Forbidden } from '../lib/errors';
import {
  insideCancellationWindow,
  isLateCancellation,
  isPartnerUser,
  type CurrentUser,
} from '../lib/permissions';
import { bookingState, markLateCancellation } from './move.queries';

export const messages = {
  outsideWindow:
    'The cancellation window for this booking has closed: it can no longer be cancelled by your organisation. Please contact the clinic.',
};

/**
 * Refuses a partner user past the window (403); for clinic staff, marks the booking a late
 * cancellation when the window has closed. Returns whether it was late.
 */
export async function applyCancellationWindow(
  trx: Knex,
  user: CurrentUser,
  id: number,
  clock: Clock,
): Promise<boolean> {
  const b = await bookingState(trx, user, id);
  if (!b) return false;
  if (isPartnerUser(user)) {
    if (!insideCancellationWindow(b, b.windowHours, clock.nowMs()))
      throw new Forbidden(messages.outsideWindow);
    return false;
  }
  const late = isLateCancellation(b, b.windowHours, clock.nowMs());
  if (late) await markLateCancellation(trx, id);
  return late;
}
