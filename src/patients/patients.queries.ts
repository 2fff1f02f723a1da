/**
 * Every SQL statement of the patients feature. The visibility rule ("this user fully sees this
 * patient", decided by maySeePatientRecord in lib/permissions) is applied in each query's WHERE
 * through fullAccessSql, never as a filter afterwards.
 */
import type { Knex } from 'knex';
import { insertId } from '../lib/db';
import { escapeLike } from '../lib/text';
import {
  isPartnerUser,
  patientVisibility,
  type CurrentUser,
  type PatientVisibility,
} from '../lib/permissions';
import type { IdentifierType, NoIdentifierReason } from './identifiers';
import type { Language } from '../i18n';

export type PatientRow = {
  id: number;
  family_name: string;
  given_name: string;
  birth_date: string;
  /** Both null when the patient has no identifier (no_identifier_reason says why; a CHECK holds it). */
  id_type: IdentifierType | null;
  id_number: string | null;
  no_identifier_reason: NoIdentifierReason | null;
  full_access: number | boolean;
};

export type PatientRecordRow = Omit<PatientRow, 'full_access'> & {
  phone: string;
  email: string;
  postal_code: string;
  city: string;
  street_address: string;
  language: Language | null;
  created_at: string;
  partner_name: string | null;
};

/** Whose full records a user sees: decided by patientVisibility in lib/permissions. */
export type PatientScope = PatientVisibility;

/** May this partner see the clinic's own patient records? */
export async function partnerSeesClinicRecords(db: Knex, partnerId: number): Promise<boolean> {
  const partner: { can_see_patient_records: number | boolean } | undefined = await db('partners')
    .select('can_see_patient_records')
    .where({ id: partnerId })
    .first();
  return Boolean(partner?.can_see_patient_records);
}

/** Whose full records this user sees (the rule is patientVisibility in lib/permissions). */
export async function patientScopeOf(db: Knex, user: CurrentUser): Promise<PatientScope> {
  const seesClinic = isPartnerUser(user) ? await partnerSeesClinicRecords(db, user.partnerId!) : true;
  return patientVisibility(user, seesClinic);
}

/**
 * SQL condition "this user fully sees patients.*" (raw fragment with bindings): maySeePatientRecord
 * of lib/permissions, written for the WHERE. A clinic patient (registered by no partner) is fully
 * visible to a partner only with the clinic-records right, whatever bookings exist; another
 * partner's patient only while this partner has a standing booking for them.
 */
export function fullAccessSql(db: Knex, scope: PatientScope): Knex.Raw {
  if (scope.kind === 'all') return db.raw('1 = 1');
  const standingBooking =
    "EXISTS (SELECT 1 FROM bookings b WHERE b.patient_id = patients.id AND b.partner_id = ? AND b.status = 'booked')";
  const clinic = scope.clinicRecords ? 'patients.registered_by_partner_id IS NULL' : '1 = 0';
  return db.raw(
    `(patients.registered_by_partner_id = ? OR (${clinic}) OR (patients.registered_by_partner_id IS NOT NULL AND ${standingBooking}))`,
    [scope.partnerId, scope.partnerId],
  );
}

function baseSelect(db: Knex, full: Knex.Raw) {
  return db('patients').select(
    'patients.id',
    'patients.family_name',
    'patients.given_name',
    'patients.birth_date',
    'patients.id_type',
    'patients.id_number',
    'patients.no_identifier_reason',
    db.raw(`CASE WHEN ${full.toSQL().sql} THEN 1 ELSE 0 END AS full_access`, full.toSQL().bindings),
  );
}

const order = [
  { column: 'patients.family_name' },
  { column: 'patients.given_name' },
  { column: 'patients.birth_date' },
  { column: 'patients.id' },
];

/** The two folded name columns, each with its own index: "family given" and "given family". */
export const nameKeys = ['search_name', 'search_name_reversed'] as const;
export type NameKey = (typeof nameKeys)[number];

/**
 * Name-prefix matches (folded) on one name column, among the patients this user fully sees, in
 * that column's index order (the column, then id, which is the rowid): the first `limit` are read
 * straight off the index, with no sort of every match. match_key is the matched column's text.
 * Portable shape: a plain range `>= prefix AND < prefix || U+FFFF` (what an index can seek; LIKE
 * cannot use a BINARY index in SQLite), plus LIKE with an escape to keep the match exact.
 */
export async function patientsByNamePrefix(
  db: Knex,
  scope: PatientScope,
  key: NameKey,
  folded: string,
  limit: number,
): Promise<(PatientRow & { match_key: string })[]> {
  const column = `patients.${key}`;
  const full = fullAccessSql(db, scope);
  return baseSelect(db, full)
    .select(`${column} as match_key`)
    .where(column, '>=', folded)
    .andWhere(column, '<', folded + '\uffff')
    .andWhereRaw(`${column} LIKE ? ESCAPE '\\'`, [`${escapeLike(folded)}%`])
    .andWhere(full)
    .orderBy([{ column }, { column: 'patients.id' }])
    .limit(limit);
}

/** Exact identifier matches among all patients (full_access says which the user fully sees). */
export async function patientsByIdentifier(
  db: Knex,
  scope: PatientScope,
  idNumbers: string[],
  limit: number,
): Promise<PatientRow[]> {
  return baseSelect(db, fullAccessSql(db, scope))
    .whereIn('patients.id_number', idNumbers)
    .orderBy(order)
    .limit(limit);
}

export async function patientById(
  db: Knex,
  scope: PatientScope,
  patientId: number,
): Promise<PatientRow | undefined> {
  return baseSelect(db, fullAccessSql(db, scope)).where('patients.id', patientId).first();
}

/** The full record, only if this user fully sees the patient (scope in the WHERE). */
export async function patientRecord(
  db: Knex,
  scope: PatientScope,
  patientId: number,
): Promise<PatientRecordRow | undefined> {
  return db('patients')
    .leftJoin('partners', 'partners.id', 'patients.registered_by_partner_id')
    .select(
      'patients.id',
      'patients.family_name',
      'patients.given_name',
      'patients.birth_date',
      'patients.id_type',
      'patients.id_number',
      'patients.no_identifier_reason',
      'patients.phone',
      'patients.email',
      'patients.postal_code',
      'patients.city',
      'patients.street_address',
      'patients.language',
      'patients.created_at',
      'partners.name as partner_name',
    )
    .where('patients.id', patientId)
    .andWhere(fullAccessSql(db, scope))
    .first();
}

export async function patientsWithIdentifier(
  db: Knex,
  scope: PatientScope,
  idType: IdentifierType,
  idNumber: string,
): Promise<PatientRow[]> {
  return baseSelect(db, fullAccessSql(db, scope)).where({
    'patients.id_type': idType,
    'patients.id_number': idNumber,
  });
}

/** Patients this user fully sees with this folded name and date of birth (at most 10). */
export async function nameTwins(
  db: Knex,
  scope: PatientScope,
  searchName: string,
  birthDate: string,
): Promise<PatientRow[]> {
  const full = fullAccessSql(db, scope);
  return baseSelect(db, full)
    .where({ 'patients.search_name': searchName, 'patients.birth_date': birthDate })
    .andWhere(full)
    .limit(10);
}

export type NewPatientRow = {
  family_name: string;
  given_name: string;
  search_name: string;
  search_name_reversed: string;
  birth_date: string;
  id_type: IdentifierType | null;
  id_number: string | null;
  no_identifier_reason: NoIdentifierReason | null;
  phone: string;
  email: string;
  postal_code: string;
  city: string;
  street_address: string;
  language: Language | null;
  registered_by_partner_id: number | null;
  created_by_user_id: number;
  created_at: string;
};

export async function insertPatient(db: Knex, row: NewPatientRow): Promise<number> {
  return insertId(db, 'patients', row);
}

export type PatientChange = Omit<
  NewPatientRow,
  'registered_by_partner_id' | 'created_by_user_id' | 'created_at'
>;

/** Writes an edited record (the caller has checked the user may edit it). */
export async function updatePatientRow(db: Knex, patientId: number, row: PatientChange): Promise<void> {
  await db('patients').where({ id: patientId }).update(row);
}
