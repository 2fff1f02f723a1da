/**
 * The day list: one institution's bookings on one local date (optionally one doctor), in time
 * order per doctor, scoped to what the user may see (a partner user: only their partner's).
 */
import type { Knex } from 'knex';
import type { CurrentUser } from '../lib/permissions';
import { scopeBookings, scopeInstitutions } from '../lib/scope.queries';

export type DayListRow = {
  id: number;
  doctor_id: number;
  doctor: string;
  starts_at: string;
  ends_at: string;
  service: string;
  family_name: string;
  given_name: string;
  partner: string | null;
  status: string;
  /** null | arrived | completed | no_show (issue 16). */
  attendance: string | null;
  /** The partner's reference number, when it gave one. */
  reference: string | null;
  local_date: string;
};

export async function dayListRows(
  db: Knex,
  user: CurrentUser,
  f: { institutionId: number; date: string; doctorId: number | null },
): Promise<DayListRow[]> {
  const q = db('bookings as b')
    .join('doctors as d', 'd.id', 'b.doctor_id')
    .join('services as s', 's.id', 'b.service_id')
    .join('patients as p', 'p.id', 'b.patient_id')
    .leftJoin('partners as pa', 'pa.id', 'b.partner_id')
    .select(
      'b.id',
      'b.doctor_id',
      'd.name as doctor',
      'b.starts_at',
      'b.ends_at',
      's.name as service',
      'p.family_name',
      'p.given_name',
      'pa.name as partner',
      'b.status',
      'b.attendance',
      'b.reference',
      'b.local_date',
    )
    // bookings (institution_id, local_date) index: one range for the day.
    .where({ 'b.institution_id': f.institutionId, 'b.local_date': f.date })
    .orderBy([{ column: 'd.name' }, { column: 'b.doctor_id' }, { column: 'b.starts_at' }, { column: 'b.id' }])
    .limit(2000);
  if (f.doctorId) q.where('b.doctor_id', f.doctorId);
  return scopeBookings(q, user, 'b');
}

/** Active institutions the user may act in. */
export async function dayListInstitutions(
  db: Knex,
  user: CurrentUser,
): Promise<{ id: number; name: string; time_zone: string }[]> {
  return scopeInstitutions(
    db('institutions').select('id', 'name', 'time_zone').where('active', true).orderBy('name'),
    user,
    'id',
  );
}

/** Doctors working at the institution (the doctor filter). */
export async function dayListDoctors(
  db: Knex,
  institutionId: number,
): Promise<{ id: number; name: string }[]> {
  return db('doctors as d')
    .join('doctor_institutions as di', 'di.doctor_id', 'd.id')
    .select('d.id', 'd.name')
    .where('di.institution_id', institutionId)
    .orderBy('d.name');
}
