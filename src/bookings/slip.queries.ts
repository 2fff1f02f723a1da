/**
 * What the printed slip, the calendar file and the e-mail confirmations say about a booking. The
 * routes reach these only after findBooking (bookings.queries) found the booking in the user's
 * scope; the outbox reads them inside the booking's own transaction.
 */
import type { Knex } from 'knex';

export type BookingFactsRow = {
  id: number;
  status: 'booked' | 'cancelled';
  starts_at: string;
  ends_at: string;
  time_zone: string;
  institution: string;
  address: string;
  doctor: string;
  service: string;
  given_name: string;
  family_name: string;
  email: string;
  language: string | null;
  partner: string | null;
  /** The partner's reference number quoted at booking, and the partner's name for it ('' = the default). */
  partner_reference: string | null;
  reference_label: string | null;
};

/** One booking's facts for its slip, calendar file and e-mail (no scope: callers check it first). */
export async function bookingFactsRow(db: Knex, bookingId: number): Promise<BookingFactsRow | undefined> {
  return db('bookings')
    .join('institutions', 'institutions.id', 'bookings.institution_id')
    .join('doctors', 'doctors.id', 'bookings.doctor_id')
    .join('services', 'services.id', 'bookings.service_id')
    .join('patients', 'patients.id', 'bookings.patient_id')
    .leftJoin('partners', 'partners.id', 'bookings.partner_id')
    .select(
      'bookings.id',
      'bookings.status',
      'bookings.starts_at',
      'bookings.ends_at',
      'institutions.time_zone',
      'institutions.name as institution',
      'institutions.address',
      'doctors.name as doctor',
      'services.name as service',
      'patients.given_name',
      'patients.family_name',
      'patients.email',
      'patients.language',
      'partners.name as partner',
      'bookings.reference as partner_reference',
      'partners.reference_label',
    )
    .where('bookings.id', bookingId)
    .first();
}

/** How often the booking was moved: its SEQUENCE in calendar files (audit action booking.moved). */
export async function bookingMoves(db: Knex, bookingId: number): Promise<number> {
  const row = await db('audit_log')
    .where({ entity_type: 'booking', entity_id: bookingId, action: 'booking.moved' })
    .count({ n: '*' })
    .first();
  return Number(row?.n ?? 0);
}
