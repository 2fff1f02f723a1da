/**
 * Cancelling a booking: one transaction flips the status, records who and why, deletes the
 * slot occupancy (which frees the slot for a new booking; booking_slots keeps the history)
 * and writes the audit entry.
 */
import type { Knex } from 'knex';
import { audit } from '../lib/audit';
import { writeTransaction } from '../lib/db';
import type { Clock } from '../lib/clock';
import { Conflict, Forbidden, NotFound } from '../lib/errors';
import { mayCancel, type CurrentUser } from '../lib/permissions';
import { parseOr422 } from '../lib/validate';
import { formMessages, reasonForm } from './bookings.forms';
import { bookingToCancel, freeBookingSlots, markCancelled } from './bookings.queries';
import { queueBookingMail } from '../mail/outbox';
import { applyCancellationWindow } from './late-cancellation.service';
import { releaseBookingAllotments } from '../contracts/contracts.service';

export const messages = {
  reasonRequired: formMessages.reasonRequired,
  invalid: 'Please correct the marked fields.',
  notFound: 'No such booking, or you may not see it.',
  forbidden: 'You may not cancel this booking.',
  alreadyCancelled: 'This booking has already been cancelled.',
};

export async function cancelBooking(
  db: Knex,
  user: CurrentUser,
  id: number,
  reason: unknown,
  clock: Clock,
  ip?: string | null,
): Promise<void> {
  await writeTransaction(db, async (trx) => {
    const booking = await bookingToCancel(trx, user, id);
    if (!booking) throw new NotFound(messages.notFound);
    if (booking.status === 'cancelled') throw new Conflict(messages.alreadyCancelled);
    if (!mayCancel(user, { partnerId: booking.partner_id, status: booking.status }))
      throw new Forbidden(messages.forbidden);
    // The reason is asked only of someone who may cancel this booking; nothing is written before.
    const { reason: why } = parseOr422(reasonForm, { reason }, messages.invalid);
    const at = clock.nowIso();
    // The status condition makes a concurrent second cancellation a no-op we can detect.
    const changed = await markCancelled(trx, { id, at, byUserId: user.id, reason: why });
    if (changed !== 1) throw new Conflict(messages.alreadyCancelled);
    const freed = await freeBookingSlots(trx, id);
    const lateCancellation = await applyCancellationWindow(trx, user, id, clock);
    await releaseBookingAllotments(trx, id); // the partner's allotment gets this booking back
    await audit(trx, clock, {
      actor: user,
      action: 'booking.cancelled',
      entityType: 'booking',
      entityId: id,
      details: {
        reason: why,
        partnerId: booking.partner_id,
        institutionId: booking.institution_id,
        freedSlotIds: freed,
        lateCancellation,
      },
      ip: ip ?? null,
    });
    await queueBookingMail(trx, clock, id, 'cancelled');
  });
}
