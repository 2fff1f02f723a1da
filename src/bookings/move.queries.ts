/**
 * Every SQL statement of moving a booking, marking attendance and the partner's cancellation
 * window as seen from a booking. Partner users and institution-limited staff only ever reach a
 * booking through scopeBookings (the WHERE), like every other bookings query.
 */
import type { Knex } from 'knex';
import { insertId } from '../lib/db';
import type { CurrentUser } from '../lib/permissions';
import { scopeBookings } from '../lib/scope.queries';

export type Attendance = 'arrived' | 'completed' | 'no_show';

/** What moving, marking and cancelling decide on: the booking's state, its partner's window, its zone. */
export type BookingState = {
  id: number;
  status: 'booked' | 'cancelled';
  attendance: Attendance | null;
  attendanceMarkedAt: string | null;
  lateCancellation: boolean;
  institutionId: number;
  doctorId: number;
  serviceId: number;
  channelId: number;
  partnerId: number | null;
  startsAt: string;
  endsAt: string;
  localDate: string;
  timeZone: string;
  /** The partner's cancellation window in hours (null: none, or a clinic booking). */
  windowHours: number | null;
};

/** One booking this user may see (scope in the WHERE), or undefined. */
export async function bookingState(
  db: Knex,
  user: CurrentUser,
  id: number,
): Promise<BookingState | undefined> {
  const r = await scopeBookings(
    db('bookings')
      .join('institutions', 'institutions.id', 'bookings.institution_id')
      .leftJoin('partners', 'partners.id', 'bookings.partner_id')
      .select(
        'bookings.id',
        'bookings.status',
        'bookings.attendance',
        'bookings.attendance_marked_at',
        'bookings.late_cancellation',
        'bookings.institution_id',
        'bookings.doctor_id',
        'bookings.service_id',
        'bookings.channel_id',
        'bookings.partner_id',
        'bookings.starts_at',
        'bookings.ends_at',
        'bookings.local_date',
        'institutions.time_zone',
        'partners.cancel_window_hours',
      )
      .where('bookings.id', id),
    user,
  ).first();
  if (!r) return undefined;
  return {
    id: r.id,
    status: r.status,
    attendance: r.attendance ?? null,
    attendanceMarkedAt: r.attendance_marked_at ?? null,
    lateCancellation: Boolean(r.late_cancellation),
    institutionId: r.institution_id,
    doctorId: r.doctor_id,
    serviceId: r.service_id,
    channelId: r.channel_id,
    partnerId: r.partner_id ?? null,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    localDate: r.local_date,
    timeZone: r.time_zone,
    windowHours:
      r.cancel_window_hours === null || r.cancel_window_hours === undefined
        ? null
        : Number(r.cancel_window_hours),
  };
}

export type MoveRow = {
  id: number;
  booking_id: number;
  old_starts_at: string;
  old_ends_at: string;
  new_starts_at: string;
  new_ends_at: string;
  moved_at: string;
  moved_by: string;
};

/** The move this user made with this idempotency key (the Move form's hold token), if any. */
export async function moveByKey(
  db: Knex,
  key: string,
  userId: number,
): Promise<{ id: number; booking_id: number } | undefined> {
  return db('booking_moves')
    .select('id', 'booking_id')
    .where({ idempotency_key: key, moved_by_user_id: userId })
    .first();
}

/** A booking's moves, newest first (its history of times). */
export async function movesOf(db: Knex, bookingId: number): Promise<MoveRow[]> {
  return db('booking_moves as m')
    .join('users as u', 'u.id', 'm.moved_by_user_id')
    .select(
      'm.id',
      'm.booking_id',
      'm.old_starts_at',
      'm.old_ends_at',
      'm.new_starts_at',
      'm.new_ends_at',
      'm.moved_at',
      'u.display_name as moved_by',
    )
    .where('m.booking_id', bookingId)
    .orderBy('m.id', 'desc');
}

/** The slot ids the booking occupies now, in time order. */
export async function occupiedSlotIds(db: Knex, bookingId: number): Promise<number[]> {
  const rows: { slot_id: number }[] = await db('slot_occupancies as so')
    .join('slots as sl', 'sl.id', 'so.slot_id')
    .select('so.slot_id')
    .where('so.booking_id', bookingId)
    .orderBy('sl.starts_at');
  return rows.map((r) => r.slot_id);
}

/**
 * The occupancy moves: the old slots are freed and the new ones taken. slot_occupancies' primary
 * key refuses a slot another booking holds (a unique violation: the caller's transaction, or its
 * savepoint, rolls back and the booking stays where it was). booking_slots names the booking's
 * slots as they are now (a cancelled booking keeps its last ones); the old ones are kept in
 * booking_moves.
 */
export async function moveOccupancy(db: Knex, bookingId: number, newSlotIds: number[]): Promise<void> {
  await db('slot_occupancies').where({ booking_id: bookingId }).del();
  await db('slot_occupancies').insert(newSlotIds.map((slot_id) => ({ slot_id, booking_id: bookingId })));
  await db('booking_slots').where({ booking_id: bookingId }).del();
  await db('booking_slots').insert(newSlotIds.map((slot_id) => ({ booking_id: bookingId, slot_id })));
}

/** The booking's new time; 0 when it is not standing any more (cancelled meanwhile). */
export async function setBookingTime(
  db: Knex,
  bookingId: number,
  at: { doctorId: number; startsAt: string; endsAt: string; localDate: string },
): Promise<number> {
  return db('bookings').where({ id: bookingId, status: 'booked' }).whereNull('attendance').update({
    doctor_id: at.doctorId,
    starts_at: at.startsAt,
    ends_at: at.endsAt,
    local_date: at.localDate,
  });
}

export async function insertMove(
  db: Knex,
  row: {
    booking_id: number;
    old_starts_at: string;
    old_ends_at: string;
    new_starts_at: string;
    new_ends_at: string;
    old_doctor_id: number;
    new_doctor_id: number;
    old_slot_ids: string;
    new_slot_ids: string;
    moved_by_user_id: number;
    moved_at: string;
    idempotency_key: string;
  },
): Promise<number> {
  return insertId(db, 'booking_moves', row);
}

// ---- Attendance

/**
 * Sets (or, with `to` null, clears) the mark, only if the booking is standing and its mark is still
 * `from` (a concurrent mark makes this 0, detected by the caller).
 */
export async function setAttendance(
  db: Knex,
  a: {
    id: number;
    from: Attendance | null;
    to: Attendance | null;
    at: string | null;
    byUserId: number | null;
  },
): Promise<number> {
  const q = db('bookings').where({ id: a.id, status: 'booked' });
  if (a.from === null) q.whereNull('attendance');
  else q.where('attendance', a.from);
  return q.update({ attendance: a.to, attendance_marked_at: a.at, attendance_marked_by_user_id: a.byUserId });
}

// ---- Late cancellation (called by bookings.service's cancel, inside its transaction)

export async function markLateCancellation(db: Knex, id: number): Promise<void> {
  await db('bookings').where({ id }).update({ late_cancellation: true });
}
