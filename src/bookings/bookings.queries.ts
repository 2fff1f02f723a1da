/**
 * Reading bookings. Partner users only ever see their own partner's bookings and staff limited
 * to some institutions only those institutions': both rules sit in the WHERE of every query.
 */
import type { Knex } from 'knex';
import { isPartnerUser, type CurrentUser } from '../lib/permissions';
import { scopeBookings, scopeInstitutions } from '../lib/scope.queries';
import { formatLocalDateTime, formatLocalTime } from '../lib/time';
import { fullAccessSql, patientScopeOf } from '../patients/patients.queries';
import { personNameIn } from '../i18n/formats';

/** booked / cancelled: standing or not; arrived / completed / no_show: standing with that attendance mark. */
export type BookingStatusFilter = 'booked' | 'cancelled' | 'arrived' | 'completed' | 'no_show' | 'all';

export type BookingFilter = {
  from?: string;
  to?: string;
  institutionId?: number;
  doctorId?: number;
  /** A partner id, or 'none' for the clinic's own channels only. */
  partner?: number | 'none';
  status: BookingStatusFilter;
  patientId?: number;
  /** A partner's reference number, exactly as quoted. */
  reference?: string;
  page: number;
  perPage: number;
};

export type BookingListRow = {
  id: number;
  startsAt: string;
  /** "yyyy-MM-dd HH:mm" in the institution's zone. */
  startsLocal: string;
  /** "HH:mm" (start and end) in the institution's zone. */
  startsTime: string;
  endsLocal: string;
  localDate: string;
  timeZone: string;
  institution: string;
  doctor: string;
  service: string;
  patientId: number;
  patient: string;
  /** The name's parts, for showing it in the reader's language's order (Formats.personName). */
  patientGiven: string;
  patientFamily: string;
  channel: string;
  partnerId: number | null;
  partner: string | null;
  bookedBy: string;
  status: 'booked' | 'cancelled';
  /** The partner's reference number, if one was quoted. */
  reference: string | null;
  attendance: 'arrived' | 'completed' | 'no_show' | null;
  lateCancellation: boolean;
};

export type BookingDetail = BookingListRow & {
  institutionId: number;
  serviceId: number;
  qualificationId: number;
  channelId: number;
  priceMinor: number;
  commissionMinor: number;
  /** Only when this user fully sees the patient (see maySeePatientRecord); otherwise null. */
  patientBirthDate: string | null;
  patientBirthYear: number;
  createdAt: string;
  createdLocal: string;
  cancelledAt: string | null;
  cancelledLocal: string | null;
  cancelledBy: string | null;
  cancelReason: string | null;
};

function baseQuery(db: Knex, user: CurrentUser) {
  const q = db('bookings')
    .join('institutions', 'institutions.id', 'bookings.institution_id')
    .join('doctors', 'doctors.id', 'bookings.doctor_id')
    .join('services', 'services.id', 'bookings.service_id')
    .join('patients', 'patients.id', 'bookings.patient_id')
    .join('traffic_channels', 'traffic_channels.id', 'bookings.channel_id')
    .join('users as creators', 'creators.id', 'bookings.created_by_user_id')
    .leftJoin('partners', 'partners.id', 'bookings.partner_id');
  return scopeBookings(q, user);
}

function applyFilter(q: Knex.QueryBuilder, f: BookingFilter): Knex.QueryBuilder {
  if (f.from) q.where('bookings.local_date', '>=', f.from);
  if (f.to) q.where('bookings.local_date', '<=', f.to);
  if (f.institutionId) q.where('bookings.institution_id', f.institutionId);
  if (f.doctorId) q.where('bookings.doctor_id', f.doctorId);
  if (f.partner === 'none') q.whereNull('bookings.partner_id');
  else if (typeof f.partner === 'number') q.where('bookings.partner_id', f.partner);
  if (f.status === 'booked' || f.status === 'cancelled') q.where('bookings.status', f.status);
  else if (f.status !== 'all') q.where({ 'bookings.status': 'booked', 'bookings.attendance': f.status });
  if (f.patientId) q.where('bookings.patient_id', f.patientId);
  if (f.reference) q.where('bookings.reference', f.reference);
  return q;
}

const listColumns = [
  'bookings.id',
  'bookings.starts_at',
  'bookings.ends_at',
  'bookings.local_date',
  'bookings.status',
  'bookings.attendance',
  'bookings.late_cancellation',
  'bookings.partner_id',
  'bookings.patient_id',
  'institutions.name as institution_name',
  'institutions.time_zone',
  'doctors.name as doctor_name',
  'services.name as service_name',
  'patients.family_name',
  'patients.given_name',
  'traffic_channels.name as channel_name',
  'partners.name as partner_name',
  'creators.display_name as creator_name',
  'bookings.reference',
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw Knex row
function toListRow(r: Record<string, any>): BookingListRow {
  return {
    id: r.id,
    startsAt: r.starts_at,
    startsLocal: formatLocalDateTime(r.starts_at, r.time_zone),
    startsTime: formatLocalTime(r.starts_at, r.time_zone),
    endsLocal: formatLocalTime(r.ends_at, r.time_zone),
    localDate: r.local_date,
    timeZone: r.time_zone,
    institution: r.institution_name,
    doctor: r.doctor_name,
    service: r.service_name,
    patientId: r.patient_id,
    patient: personNameIn('en', r.given_name, r.family_name),
    patientGiven: r.given_name,
    patientFamily: r.family_name,
    channel: r.channel_name,
    partnerId: r.partner_id ?? null,
    partner: r.partner_name ?? null,
    bookedBy: r.creator_name,
    status: r.status,
    reference: r.reference ?? null,
    attendance: r.attendance ?? null,
    lateCancellation: Boolean(r.late_cancellation),
  };
}

export async function listBookings(
  db: Knex,
  user: CurrentUser,
  f: BookingFilter,
): Promise<{ rows: BookingListRow[]; total: number; page: number; pages: number }> {
  // The count needs no joins: every filter and the scope are columns of bookings.
  const countRow = await applyFilter(scopeBookings(db('bookings'), user), f)
    .count({ n: 'bookings.id' })
    .first();
  const total = Number(countRow?.n ?? 0);
  const pages = Math.max(1, Math.ceil(total / f.perPage));
  const page = Math.min(Math.max(1, f.page), pages);
  const rows = await applyFilter(baseQuery(db, user), f)
    .select(listColumns)
    .orderBy([{ column: 'bookings.starts_at' }, { column: 'bookings.id' }])
    .limit(f.perPage)
    .offset((page - 1) * f.perPage);
  return { rows: rows.map(toListRow), total, page, pages };
}

/** One booking, or null when it does not exist or this user may not see it. */
export async function findBooking(db: Knex, user: CurrentUser, id: number): Promise<BookingDetail | null> {
  // The patient's date of birth only for a patient this user fully sees: a restricted partner gets
  // name and year of birth of a clinic patient, however the patient came into its booking.
  const full = fullAccessSql(db, await patientScopeOf(db, user));
  const patientBirthDate = db.raw(
    `CASE WHEN ${full.toSQL().sql} THEN patients.birth_date ELSE NULL END AS birth_date`,
    full.toSQL().bindings,
  );
  const r = await baseQuery(db, user)
    .leftJoin('users as cancellers', 'cancellers.id', 'bookings.cancelled_by_user_id')
    .select([
      ...listColumns,
      'bookings.institution_id',
      'bookings.service_id',
      'services.qualification_id',
      'bookings.channel_id',
      'bookings.price_minor',
      'bookings.commission_minor',
      'bookings.created_at',
      'bookings.cancelled_at',
      'bookings.cancel_reason',
      patientBirthDate,
      'patients.birth_date as birth_date_for_year',
      'cancellers.display_name as canceller_name',
    ])
    .where('bookings.id', id)
    .first();
  if (!r) return null;
  return {
    ...toListRow(r),
    institutionId: r.institution_id,
    serviceId: r.service_id,
    qualificationId: r.qualification_id,
    channelId: r.channel_id,
    priceMinor: r.price_minor,
    commissionMinor: r.commission_minor,
    patientBirthDate: r.birth_date ?? null,
    patientBirthYear: Number(String(r.birth_date_for_year).slice(0, 4)),
    createdAt: r.created_at,
    createdLocal: formatLocalDateTime(r.created_at, r.time_zone),
    cancelledAt: r.cancelled_at ?? null,
    cancelledLocal: r.cancelled_at ? formatLocalDateTime(r.cancelled_at, r.time_zone) : null,
    cancelledBy: r.canceller_name ?? null,
    cancelReason: r.cancel_reason ?? null,
  };
}

/** Choices for the filter form: institutions this user may see, doctors, partners (staff only). */
export async function filterOptions(db: Knex, user: CurrentUser) {
  const institutions = scopeInstitutions(
    db('institutions').select('id', 'name', 'time_zone').orderBy('name'),
    user,
    'id',
  );
  const [insts, doctors, partners] = await Promise.all([
    institutions,
    db('doctors').select('id', 'name').orderBy('name'),
    isPartnerUser(user) ? Promise.resolve([]) : db('partners').select('id', 'name').orderBy('name'),
  ]);
  return {
    institutions: insts as { id: number; name: string; time_zone: string }[],
    doctors: doctors as { id: number; name: string }[],
    partners: partners as { id: number; name: string }[],
  };
}

// ---- Cancelling (called by bookings.service inside its writeTransaction)

/** The facts cancelling needs of a booking this user may see (scope in the WHERE), or undefined. */
export async function bookingToCancel(
  db: Knex,
  user: CurrentUser,
  id: number,
): Promise<{ id: number; status: string; partner_id: number | null; institution_id: number } | undefined> {
  return scopeBookings(
    db('bookings').select('id', 'status', 'partner_id', 'institution_id').where('bookings.id', id),
    user,
  ).first();
}

/** Flips a standing booking to cancelled; 0 when it was not standing any more (a concurrent cancel). */
export async function markCancelled(
  db: Knex,
  a: { id: number; at: string; byUserId: number; reason: string },
): Promise<number> {
  return db('bookings').where({ id: a.id, status: 'booked' }).update({
    status: 'cancelled',
    cancelled_at: a.at,
    cancelled_by_user_id: a.byUserId,
    cancel_reason: a.reason,
  });
}

/** Deletes the booking's slot occupancies (so its slots are free again); returns the freed slot ids. */
export async function freeBookingSlots(db: Knex, bookingId: number): Promise<number[]> {
  const freed: { slot_id: number }[] = await db('slot_occupancies')
    .where({ booking_id: bookingId })
    .select('slot_id');
  await db('slot_occupancies').where({ booking_id: bookingId }).del();
  return freed.map((s) => s.slot_id);
}
