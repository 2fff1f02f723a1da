/**
 * The rules of booking: placing a hold ("Start the reservation"), releasing it, and Save.
 * Every write runs in one writeTransaction; the database's primary keys (hold_slots.slot_id,
 * slot_occupancies.slot_id, bookings.idempotency_key) decide every race, never a
 * check-then-insert in this code. The checks before the inserts only give clearer messages.
 */
import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { audit } from '../lib/audit';
import { isUniqueViolation, writeTransaction } from '../lib/db';
import { groupWrite } from '../lib/group-commit';
import type { Clock } from '../lib/clock';
import { AppError, Conflict, Forbidden, Validation } from '../lib/errors';
import {
  holdIsForUsersPartner,
  isPartnerUser,
  mayNameReservingPartner,
  maySaveHold,
  maySeePatientSummary,
  type CurrentUser,
} from '../lib/permissions';
import { todayIn } from '../lib/time';
import { findVisiblePatient } from '../patients/patients.service';
import { runFrom } from './calendar';
import * as q from './booking.queries';
import { findOwnHold, holdSlots, type HoldRow } from './booking.queries';
import { isLiveHold } from './holds.queries';
import { checkBookingReference } from '../partners/references.service';
import { queueBookingMail } from '../mail/outbox';
import { checkContracts, enforceContracts } from '../contracts/contracts.service';
import { assertNotClosed } from '../closures/closures.service';

export const messages = {
  slotTaken: 'This slot was just taken. Please choose another one.',
  notEnabled: 'This service is no longer enabled for this partner here.',
  notEnabledClinic: 'This service is no longer enabled for this channel here.',
  // A partner user cannot open Traffic channels: tell them whom to ask instead.
  notEnabledForPartnerUser:
    'This service is not enabled for your organisation at this institution. Please contact the clinic.',
  inactive: 'This service, doctor, institution or partner is no longer available for booking.',
  slotUnknown: 'Please choose a free slot from the calendar.',
  slotPast: 'This slot is in the past. Please choose another one.',
  tooShort: 'There is not enough free time from this slot for the service. Please choose another start.',
  holdGone:
    'This reservation has ended: it expired and its slot was reserved by someone else, or it was cancelled. Please choose a slot again.',
  patientMissing: 'Please choose a patient or add a new one.',
  mayNotBook: 'You may no longer book here. Ask an administrator if this is wrong.',
  overlap:
    'This patient already has an appointment at this time. Tick Book anyway and press Save to book a second one, or choose another slot.',
  overlapForPartnerUser:
    'This patient already has an appointment at this time, so nothing was booked. Please choose another slot or contact the clinic.',
  otherPartner:
    'This reservation was made for another partner than the one you now belong to. Nothing was booked; please choose a slot again.',
};

/** Save refused because the patient already has an overlapping standing booking (any doctor). */
export class PatientOverlap extends Conflict {
  constructor(
    message: string,
    /** The overlapping bookings; empty for a partner user, who may not see other bookings. */
    public readonly overlaps: q.OverlapRow[],
    public readonly mayConfirm: boolean,
  ) {
    super(message);
  }
}

export type BookableTarget = {
  channelId: number;
  partnerId: number | null;
  institutionId: number;
  serviceId: number;
  doctorId: number;
  /** Who asks: only the wording of a refusal depends on it. */
  byPartnerUser?: boolean;
};

/**
 * May this channel (partner) book this service with this doctor here, now? Checked inside the
 * writing transaction, so a cell unticked a second ago already refuses.
 */
export async function assertBookable(
  trx: Knex,
  t: BookableTarget,
): Promise<{ durationMinutes: number; priceMinor: number; timeZone: string }> {
  const ticked = await q.isTicked(trx, t);
  if (!ticked)
    throw new Conflict(
      t.byPartnerUser
        ? messages.notEnabledForPartnerUser
        : t.partnerId
          ? messages.notEnabled
          : messages.notEnabledClinic,
    );
  const row = await q.activeOffer(trx, t);
  const channel = await q.isActiveChannel(trx, t);
  if (!row || !channel) throw new Conflict(messages.inactive);
  return { durationMinutes: row.duration_minutes, priceMinor: row.price_minor, timeZone: row.time_zone };
}

export function newHoldToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function isHoldToken(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}

export type HoldRequest = {
  user: CurrentUser;
  sessionId: string;
  channelId: number;
  partnerId: number | null;
  institutionId: number;
  serviceId: number;
  /** The doctor chosen on the page, if any; the slot decides otherwise. */
  doctorId: number | null;
  slotId: number;
  holdMinutes: number;
  clock: Clock;
  /**
   * Moving a booking of this local date: an allotment period it already counts in has room for it,
   * and the slots it occupies itself count as free for its new time (the move frees them first).
   */
  movingFrom?: { localDate: string; bookingId?: number };
};

/** "Start the reservation": holds the slot(s) for this session. Returns the hold's token. */
export async function placeHold(db: Knex, r: HoldRequest): Promise<{ token: string; expiresAt: string }> {
  const token = newHoldToken();
  if (await q.slotTakenByOthers(db, r.slotId, r.sessionId, r.clock.nowIso(), r.movingFrom?.bookingId))
    throw new Conflict(messages.slotTaken);
  try {
    return await groupWrite(db, async (trx) => {
      const at = r.clock.now();
      const now = r.clock.nowIso();
      const slot = await q.slotAt(trx, r.slotId, r.institutionId);
      if (!slot || (r.doctorId !== null && slot.doctor_id !== r.doctorId))
        throw new Validation(messages.slotUnknown, { slot: messages.slotUnknown });
      const { durationMinutes, timeZone } = await assertBookable(trx, {
        channelId: r.channelId,
        partnerId: r.partnerId,
        institutionId: r.institutionId,
        serviceId: r.serviceId,
        doctorId: slot.doctor_id,
        byPartnerUser: isPartnerUser(r.user),
      });
      if (Date.parse(slot.starts_at) <= Date.parse(now)) throw new Conflict(messages.slotPast);

      // The run of consecutive slots the service needs, starting at the chosen one.
      const candidates = await q.slotsFrom(trx, {
        doctorId: slot.doctor_id,
        institutionId: r.institutionId,
        startsAt: slot.starts_at,
        durationMinutes,
      });
      const run = runFrom(candidates, 0, durationMinutes);
      if (!run) throw new Conflict(messages.tooShort);
      const slotIds = run.map((i) => candidates[i].id);
      if (run.some((i) => candidates[i].status !== 'open')) throw new Conflict(messages.slotTaken);
      await assertNotClosed(trx, slotIds);
      // Partner contracts: validity dates, reserved blocks, room left in the allotments.
      await checkContracts(trx, {
        ...r,
        namePartner: mayNameReservingPartner(r.user),
        doctorId: slot.doctor_id,
        slots: run.map((i) => candidates[i]),
        zone: timeZone,
      });

      // Expired holds are ignored everywhere: clear them off these slots before placing ours.
      await q.deleteExpiredHoldsOn(trx, slotIds, now);
      // Housekeeping: long-expired holds go; recently expired ones stay so their dialog can say "expired".
      await q.deleteHoldsExpiredBy(trx, at.minus({ days: 1 }).toISO() ?? now);
      // One reservation per session at a time, so a desk cannot hoard slots by clicking around.
      await q.deleteSessionHolds(trx, r.sessionId);
      if (await q.anyOccupied(trx, slotIds, r.movingFrom?.bookingId)) throw new Conflict(messages.slotTaken);

      const expiresAt = at.plus({ minutes: r.holdMinutes }).toISO()!;
      await q.insertHold(
        trx,
        {
          token,
          user_id: r.user.id,
          session_id: r.sessionId,
          partner_id: r.partnerId,
          channel_id: r.channelId,
          institution_id: r.institutionId,
          doctor_id: slot.doctor_id,
          service_id: r.serviceId,
          expires_at: expiresAt,
          created_at: now,
        },
        slotIds,
      );
      return { token, expiresAt };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new Conflict(messages.slotTaken);
    throw err;
  }
}

/** "Cancel reservation": deletes this session's hold. Returns the hold that was released. */
export async function releaseHold(
  db: Knex,
  user: CurrentUser,
  sessionId: string,
  token: string,
): Promise<HoldRow | undefined> {
  return writeTransaction(db, async (trx) => {
    const hold = await findOwnHold(trx, token, sessionId, user.id);
    if (hold) await q.deleteHold(trx, hold.id);
    return hold;
  });
}

/**
 * Is this expired hold's slot run still free for it? Its hold_slots rows still being there means no
 * other hold took them (placing a hold deletes expired ones first); a booking made another way
 * shows in slot_occupancies.
 */
export async function expiredHoldStillFree(db: Knex, hold: HoldRow, now: string): Promise<boolean> {
  const slots = await holdSlots(db, hold.id);
  if (slots.length === 0 || slots.some((s) => s.status !== 'open')) return false;
  if (Date.parse(slots[0].starts_at) <= Date.parse(now)) return false;
  return !(await q.anyOccupied(
    db,
    slots.map((s) => s.id),
  ));
}

/**
 * "Reserve the same slot again" after the hold ran out: the same hold gets a fresh expiry if its
 * slots are still free. A live hold is left as it is.
 */
export async function renewHold(
  db: Knex,
  r: { user: CurrentUser; sessionId: string; token: string; holdMinutes: number; clock: Clock },
): Promise<HoldRow> {
  return writeTransaction(db, async (trx) => {
    const now = r.clock.nowIso();
    const hold = await findOwnHold(trx, r.token, r.sessionId, r.user.id);
    if (!hold) throw new Conflict(messages.holdGone);
    if (!maySaveHold(r.user, hold)) throw new Forbidden(messages.mayNotBook);
    if (isLiveHold(hold, now)) return hold;
    if (!(await expiredHoldStillFree(trx, hold, now))) throw new Conflict(messages.slotTaken);
    const expiresAt = r.clock.now().plus({ minutes: r.holdMinutes }).toISO()!;
    await q.extendHold(trx, hold.id, expiresAt);
    return { ...hold, expires_at: expiresAt };
  });
}

/**
 * At the write (Save, or Move the booking): is the hold's service still enabled for its channel
 * here, and are its slots still open? Returns the price and zone, and the hold's slots in order.
 */
export async function holdStillBookable(trx: Knex, user: CurrentUser, hold: HoldRow) {
  const offer = await assertBookable(trx, {
    channelId: hold.channel_id,
    partnerId: hold.partner_id,
    institutionId: hold.institution_id,
    serviceId: hold.service_id,
    doctorId: hold.doctor_id,
    byPartnerUser: isPartnerUser(user),
  });
  const slots = await holdSlots(trx, hold.id);
  if (slots.length === 0 || slots.some((s) => s.status !== 'open')) throw new Conflict(messages.slotTaken);
  // A closure entered after the hold was placed (a stale form) refuses it here, in the transaction.
  await assertNotClosed(
    trx,
    slots.map((s) => s.id),
  );
  return { ...offer, slots };
}

export type NewBooking = {
  institutionId: number;
  doctorId: number;
  serviceId: number;
  patientId: number;
  channelId: number;
  partnerId: number | null;
  createdByUserId: number;
  slots: { id: number; starts_at: string; ends_at: string; local_date: string }[];
  createdLocalDate: string;
  priceMinor: number;
  commissionMinor: number;
  idempotencyKey: string;
  /** When it is made (the app clock's now, UTC ISO). */
  createdAt: string;
  /** The partner's reference number, if one was quoted. */
  reference?: string | null;
};

/**
 * Writes a booking, its history rows and its slot occupancies, inside the caller's transaction.
 * slot_occupancies' primary key refuses a second active booking of a slot (throws a unique violation).
 */
export async function insertBookingRows(trx: Knex, b: NewBooking): Promise<number> {
  return q.insertBooking(
    trx,
    {
      institution_id: b.institutionId,
      doctor_id: b.doctorId,
      service_id: b.serviceId,
      patient_id: b.patientId,
      channel_id: b.channelId,
      partner_id: b.partnerId,
      created_by_user_id: b.createdByUserId,
      starts_at: b.slots[0].starts_at,
      ends_at: b.slots[b.slots.length - 1].ends_at,
      local_date: b.slots[0].local_date,
      created_local_date: b.createdLocalDate,
      price_minor: b.priceMinor,
      commission_minor: b.commissionMinor,
      status: 'booked',
      idempotency_key: b.idempotencyKey,
      created_at: b.createdAt,
      reference: b.reference ?? null,
    },
    b.slots.map((s) => s.id),
  );
}

/** Commission snapshot: percent is stored in hundredths of a percent, fixed in minor units. */
export function commissionFor(
  priceMinor: number,
  partner: { commission_type: string; commission_value: number } | null,
): number {
  if (!partner) return 0;
  return partner.commission_type === 'fixed'
    ? partner.commission_value
    : Math.round((priceMinor * partner.commission_value) / 10000);
}

/** A hold as the partner contracts see it. */
/** What the partner contract checks for a hold's slots (Save and Move). */
export function contractTarget(
  hold: HoldRow,
  slots: { starts_at: string; ends_at: string; local_date: string }[],
  zone: string,
  clock: Clock,
  /** Who acts: whether a refusal may name the partner holding a reserved block. */
  actor: CurrentUser,
) {
  return {
    namePartner: mayNameReservingPartner(actor),
    partnerId: hold.partner_id,
    channelId: hold.channel_id,
    institutionId: hold.institution_id,
    serviceId: hold.service_id,
    doctorId: hold.doctor_id,
    slots,
    zone,
    clock,
  };
}

/** The booking this user saved from the hold with this token (the token is its idempotency key). */
export async function bookingByKey(db: Knex, key: string, userId: number): Promise<number | null> {
  return q.bookingIdByKey(db, key, userId);
}

export type SaveRequest = {
  user: CurrentUser;
  sessionId: string;
  token: string;
  patientId: number | null;
  ip?: string | null;
  clock: Clock;
  /**
   * A restricted patient (outside the partner's view) may only be booked by a session that found
   * them by exact identifier; otherwise guessing ids would book, and so reveal, any clinic patient.
   */
  mayUseRestricted?: (patientId: number) => boolean;
  /** Clinic staff ticked "Book anyway" for a patient with an overlapping booking. */
  confirmOverlap?: boolean;
  /** The reference number typed in the dialog (checked against the partner's rule as it is now). */
  reference?: string;
};

/**
 * Save: turns this session's hold into a booking. A repeated submit of the same token finds the
 * booking already made (the token is the idempotency key) and returns it instead of a second one.
 */
export async function saveBooking(
  db: Knex,
  r: SaveRequest,
): Promise<{ bookingId: number; repeated: boolean }> {
  try {
    // Everything inside the (group-committed) write transaction: each check is read once, at
    // the moment the booking is written, in the order a lone Save always answered.
    return await groupWrite(db, async (trx) => {
      // A repeated submit of the same token: the booking already made.
      const again = await bookingByKey(trx, r.token, r.user.id);
      if (again) return { bookingId: again, repeated: true };
      const at = r.clock.now();
      const now = r.clock.nowIso();
      const hold = await findOwnHold(trx, r.token, r.sessionId, r.user.id);
      // A partner user moved to another partner since the hold: refused before anything else is looked at.
      if (hold && !holdIsForUsersPartner(r.user, hold)) throw new Forbidden(messages.otherPartner);
      if (r.patientId === null)
        throw new Validation(messages.patientMissing, { patient_id: messages.patientMissing });
      const patient = await findVisiblePatient(trx, r.user, r.patientId);
      if (!patient || !maySeePatientSummary(patient, r.mayUseRestricted?.(patient.id) ?? false))
        throw new Validation(messages.patientMissing, { patient_id: messages.patientMissing });
      if (!hold) throw new Conflict(messages.holdGone);
      // The user is loaded afresh for every request: rights withdrawn since the hold apply now.
      if (!maySaveHold(r.user, hold)) throw new Forbidden(messages.mayNotBook);
      const { priceMinor, timeZone, slots } = await holdStillBookable(trx, r.user, hold);
      const reference = await checkBookingReference(trx, hold.partner_id, r.reference);
      if (!isLiveHold(hold, now)) {
        // An expired hold still saves if nobody took its slots meanwhile, so a desk typing in a new
        // patient during a phone call need not start over. Its hold_slots rows still being there
        // means no other hold took them (placing a hold deletes expired ones first); a booking
        // made another way shows in slot_occupancies, whose primary key decides any race anyway.
        if (Date.parse(slots[0].starts_at) <= Date.parse(now)) throw new Conflict(messages.slotPast);
      }
      // A slot taken meanwhile says so first (else its own booking would read as an overlap). For
      // an expired hold this is the check that nobody booked its slots since.
      if (
        await q.anyOccupied(
          trx,
          slots.map((s) => s.id),
        )
      )
        throw new Conflict(messages.slotTaken);
      // Another standing booking of this patient at an overlapping time (any doctor): clinic staff
      // may confirm it (the answer is audited with the booking); a partner user is refused without
      // being shown the other booking, which may not be theirs to see.
      const overlaps = await q.overlappingBookings(
        trx,
        patient.id,
        slots[0].starts_at,
        slots[slots.length - 1].ends_at,
      );
      const staff = !isPartnerUser(r.user);
      if (overlaps.length && !(staff && r.confirmOverlap))
        throw staff
          ? new PatientOverlap(messages.overlap, overlaps, true)
          : new PatientOverlap(messages.overlapForPartnerUser, [], false);
      // Partner contracts, re-checked here: validity dates, reserved blocks; takes one from each allotment.
      await enforceContracts(trx, contractTarget(hold, slots, timeZone, r.clock, r.user));
      const partner = hold.partner_id ? ((await q.partnerCommission(trx, hold.partner_id)) ?? null) : null;

      const bookingId = await insertBookingRows(trx, {
        institutionId: hold.institution_id,
        doctorId: hold.doctor_id,
        serviceId: hold.service_id,
        patientId: patient.id,
        channelId: hold.channel_id,
        partnerId: hold.partner_id,
        createdByUserId: r.user.id,
        slots,
        createdLocalDate: todayIn(timeZone, at),
        priceMinor,
        commissionMinor: commissionFor(priceMinor, partner),
        idempotencyKey: r.token,
        createdAt: now,
        reference: reference.value,
      }).catch(reference.onRace);
      await q.deleteHold(trx, hold.id);
      await audit(trx, r.clock, {
        actor: r.user,
        action: 'booking.created',
        entityType: 'booking',
        entityId: bookingId,
        ip: r.ip ?? null,
        details: {
          institution_id: hold.institution_id,
          doctor_id: hold.doctor_id,
          service_id: hold.service_id,
          partner_id: hold.partner_id,
          channel_id: hold.channel_id,
          patient_id: patient.id,
          starts_at: slots[0].starts_at,
          ...(reference.value === null ? {} : { reference: reference.value }),
          ...(overlaps.length
            ? { overlap_confirmed: true, overlapping_booking_ids: overlaps.map((o) => o.id) }
            : {}),
        },
      });
      await queueBookingMail(trx, r.clock, bookingId, 'booked');
      return { bookingId, repeated: false };
    });
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (isUniqueViolation(err)) {
      const existing = await bookingByKey(db, r.token, r.user.id);
      if (existing) return { bookingId: existing, repeated: true };
      throw new Conflict(messages.slotTaken);
    }
    throw err;
  }
}
