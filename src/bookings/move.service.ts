/**
 * Moving a booking (issue 16): the desk (or the partner, inside its cancellation window) reserves
 * new slot(s) with a hold exactly as in the booking flow (placeHold), then "Move the booking" turns
 * the hold into the booking's new time in one transaction: the old occupancy is freed and the new
 * one taken, so slot_occupancies' primary key decides a race with a Save or another move; a lost
 * race rolls everything back and the booking stays where it was. Partner, channel, price,
 * commission snapshot and patient stay; booking_moves keeps the old time; audited.
 *
 * Hooks for the other features: `applyMove` is the one function that writes a move inside the
 * transaction (allotment counts and an e-mail outbox row belong in it, beside the occupancy);
 * `moveBooking` resolves with a `MovedBooking` (old and new time) for anything after the commit.
 */
import type { Knex } from 'knex';
import { audit } from '../lib/audit';
import { isUniqueViolation } from '../lib/db';
import { groupWrite } from '../lib/group-commit';
import type { Clock } from '../lib/clock';
import { AppError, Conflict, Forbidden, NotFound } from '../lib/errors';
import {
  insideCancellationWindow,
  isPartnerUser,
  mayMove,
  maySaveHold,
  type CurrentUser,
} from '../lib/permissions';
import {
  contractTarget,
  holdStillBookable,
  placeHold,
  messages as bookingMessages,
} from '../booking/booking.service';
import { enforceContractsOnMove } from '../contracts/contracts.service';
import { queueBookingMail } from '../mail/outbox';
import { deleteHold, findOwnHold, type HoldRow } from '../booking/booking.queries';
import * as q from './move.queries';
import type { BookingState } from './move.queries';

export const messages = {
  notFound: 'No such booking, or you may not see it.',
  cancelled: 'This booking has been cancelled, so it cannot be moved.',
  marked: 'This booking already has an attendance mark, so it cannot be moved.',
  forbidden: 'You may not move this booking.',
  outsideWindow:
    'The cancellation window for this booking has closed: it can no longer be moved or cancelled by your organisation. Please contact the clinic.',
  holdGone: 'This reservation has ended. Please choose the new time again.',
  holdMismatch: 'This reservation is not for this booking. Please choose the new time again.',
  slotTaken: bookingMessages.slotTaken,
  slotPast: bookingMessages.slotPast,
};

/** Refuses (with the reason) a user who may not move this booking now; the booking as loaded otherwise. */
export function assertMayMove(user: CurrentUser, b: BookingState, nowMs: number): void {
  if (b.status === 'cancelled') throw new Conflict(messages.cancelled);
  if (b.attendance !== null) throw new Conflict(messages.marked);
  if (!mayMove(user, b)) throw new Forbidden(messages.forbidden);
  if (isPartnerUser(user) && !insideCancellationWindow(b, b.windowHours, nowMs))
    throw new Forbidden(messages.outsideWindow);
}

/** The booking to move, if this user may see it (404 otherwise). */
export async function loadBookingToMove(db: Knex, user: CurrentUser, id: number): Promise<BookingState> {
  const booking = await q.bookingState(db, user, id);
  if (!booking) throw new NotFound(messages.notFound);
  return booking;
}

/** "Start the reservation" on the move calendar: a hold on the new slot(s), for the booking's own channel and service. */
export async function placeMoveHold(
  db: Knex,
  r: {
    user: CurrentUser;
    sessionId: string;
    booking: BookingState;
    doctorId: number | null;
    slotId: number;
    holdMinutes: number;
    clock: Clock;
  },
): Promise<string> {
  assertMayMove(r.user, r.booking, r.clock.nowMs());
  const { token } = await placeHold(db, {
    user: r.user,
    sessionId: r.sessionId,
    channelId: r.booking.channelId,
    partnerId: r.booking.partnerId,
    institutionId: r.booking.institutionId,
    serviceId: r.booking.serviceId,
    doctorId: r.doctorId,
    slotId: r.slotId,
    holdMinutes: r.holdMinutes,
    clock: r.clock,
    movingFrom: { localDate: r.booking.localDate, bookingId: r.booking.id },
  });
  return token;
}

/** Does this hold belong to moving this booking (same institution, service, channel and partner)? */
export function holdFitsBooking(hold: HoldRow, b: BookingState): boolean {
  return (
    hold.institution_id === b.institutionId &&
    hold.service_id === b.serviceId &&
    hold.channel_id === b.channelId &&
    (hold.partner_id ?? null) === b.partnerId
  );
}

export type TimeAt = { doctorId: number; startsAt: string; endsAt: string; slotIds: number[] };

export type MovedBooking = {
  bookingId: number;
  moveId: number;
  /** True when this was a repeated submit of a move already made (nothing changed now). */
  repeated: boolean;
  from: TimeAt | null;
  to: TimeAt | null;
};

export type MoveRequest = {
  user: CurrentUser;
  sessionId: string;
  bookingId: number;
  /** The hold's token: also the move's idempotency key. */
  token: string;
  clock: Clock;
  ip?: string | null;
};

/**
 * The writes of one move, inside the caller's transaction: occupancy, booking time, history, hold,
 * audit. Throws a unique violation when a new slot is taken (the transaction must then roll back).
 */
export async function applyMove(
  trx: Knex,
  a: {
    booking: BookingState;
    hold: HoldRow;
    slots: { id: number; starts_at: string; ends_at: string; local_date: string; doctor_id: number }[];
    user: CurrentUser;
    clock: Clock;
    ip?: string | null;
  },
): Promise<{ moveId: number; from: TimeAt; to: TimeAt }> {
  const { booking, slots } = a;
  const from: TimeAt = {
    doctorId: booking.doctorId,
    startsAt: booking.startsAt,
    endsAt: booking.endsAt,
    slotIds: await q.occupiedSlotIds(trx, booking.id),
  };
  const to: TimeAt = {
    doctorId: a.hold.doctor_id,
    startsAt: slots[0].starts_at,
    endsAt: slots[slots.length - 1].ends_at,
    slotIds: slots.map((s) => s.id),
  };
  // The partner contract follows the booking (validity, reserved blocks, allotments of both dates).
  await enforceContractsOnMove(
    trx,
    contractTarget(a.hold, slots, booking.timeZone, a.clock, a.user),
    booking,
  );
  await q.moveOccupancy(trx, booking.id, to.slotIds);
  const changed = await q.setBookingTime(trx, booking.id, {
    doctorId: to.doctorId,
    startsAt: to.startsAt,
    endsAt: to.endsAt,
    localDate: slots[0].local_date,
  });
  if (changed !== 1) throw new Conflict(messages.cancelled);
  const now = a.clock.nowIso();
  const moveId = await q.insertMove(trx, {
    booking_id: booking.id,
    old_starts_at: from.startsAt,
    old_ends_at: from.endsAt,
    new_starts_at: to.startsAt,
    new_ends_at: to.endsAt,
    old_doctor_id: from.doctorId,
    new_doctor_id: to.doctorId,
    old_slot_ids: from.slotIds.join(','),
    new_slot_ids: to.slotIds.join(','),
    moved_by_user_id: a.user.id,
    moved_at: now,
    idempotency_key: a.hold.token,
  });
  await deleteHold(trx, a.hold.id);
  await audit(trx, a.clock, {
    actor: a.user,
    action: 'booking.moved',
    entityType: 'booking',
    entityId: booking.id,
    ip: a.ip ?? null,
    details: {
      move_id: moveId,
      partner_id: booking.partnerId,
      institution_id: booking.institutionId,
      old_starts_at: from.startsAt,
      old_ends_at: from.endsAt,
      old_doctor_id: from.doctorId,
      old_slot_ids: from.slotIds,
      new_starts_at: to.startsAt,
      new_ends_at: to.endsAt,
      new_doctor_id: to.doctorId,
      new_slot_ids: to.slotIds,
    },
  });
  // After the audit row: the .ics SEQUENCE counts the booking's moves.
  await queueBookingMail(trx, a.clock, booking.id, 'moved');
  return { moveId, from, to };
}

/** "Move the booking": this session's hold becomes the booking's new time (idempotent on the token). */
export async function moveBooking(db: Knex, r: MoveRequest): Promise<MovedBooking> {
  const repeatedMove = async (executor: Knex): Promise<MovedBooking | null> => {
    const again = await q.moveByKey(executor, r.token, r.user.id);
    if (!again) return null;
    if (again.booking_id !== r.bookingId) throw new Conflict(messages.holdMismatch);
    return { bookingId: r.bookingId, moveId: again.id, repeated: true, from: null, to: null };
  };
  try {
    return await groupWrite(db, async (trx) => {
      const again = await repeatedMove(trx);
      if (again) return again;
      const booking = await loadBookingToMove(trx, r.user, r.bookingId);
      assertMayMove(r.user, booking, r.clock.nowMs());
      const hold = await findOwnHold(trx, r.token, r.sessionId, r.user.id);
      if (!hold) throw new Conflict(messages.holdGone);
      if (!holdFitsBooking(hold, booking)) throw new Conflict(messages.holdMismatch);
      if (!maySaveHold(r.user, hold)) throw new Forbidden(messages.forbidden);
      // The service must still be enabled for the booking's channel here (re-checked now).
      const { slots } = await holdStillBookable(trx, r.user, hold);
      if (Date.parse(slots[0].starts_at) <= r.clock.nowMs()) throw new Conflict(messages.slotPast);
      // An expired hold still moves if nobody took its slots meanwhile (as Save does): its
      // hold_slots rows still being there means no other hold took them, and the occupancy's
      // primary key refuses a slot another booking has.
      const moved = await applyMove(trx, { booking, hold, slots, user: r.user, clock: r.clock, ip: r.ip });
      return { bookingId: booking.id, repeated: false, ...moved };
    });
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (isUniqueViolation(err)) {
      // The same key committed by a concurrent submit, or a new slot taken meanwhile.
      const again = await repeatedMove(db);
      if (again) return again;
      throw new Conflict(messages.slotTaken);
    }
    throw err;
  }
}
