/** The catalogue's reads: institutions, qualifications, services and doctors (column lists, typed rows). */
import type { Knex } from 'knex';
import { insertId } from '../lib/db';

export type InstitutionRow = {
  id: number;
  name: string;
  address: string;
  time_zone: string;
  active: boolean;
};
export type QualificationRow = { id: number; name: string; active: boolean };
export type ServiceRow = {
  id: number;
  qualification_id: number;
  qualification_name: string;
  name: string;
  duration_minutes: number;
  price_minor: number;
  active: boolean;
};
export type DoctorRow = { id: number; name: string; active: boolean };

const bool = <T extends { active: unknown }>(r: T) => ({ ...r, active: Boolean(r.active) });

export async function listInstitutions(db: Knex): Promise<InstitutionRow[]> {
  const q = db('institutions')
    .select('id', 'name', 'address', 'time_zone', 'active')
    .orderBy([{ column: 'active', order: 'desc' }, 'name']);
  return (await q).map(bool);
}
export async function findInstitution(db: Knex, id: number): Promise<InstitutionRow | undefined> {
  const row = await db('institutions')
    .select('id', 'name', 'address', 'time_zone', 'active')
    .where({ id })
    .first();
  return row && bool(row);
}
export async function listQualifications(db: Knex): Promise<QualificationRow[]> {
  const q = db('qualifications')
    .select('id', 'name', 'active')
    .orderBy([{ column: 'active', order: 'desc' }, 'name']);
  return (await q).map(bool);
}
export async function findQualification(db: Knex, id: number): Promise<QualificationRow | undefined> {
  const row = await db('qualifications').select('id', 'name', 'active').where({ id }).first();
  return row && bool(row);
}
const serviceColumns = [
  'services.id',
  'services.qualification_id',
  'qualifications.name as qualification_name',
  'services.name',
  'services.duration_minutes',
  'services.price_minor',
  'services.active',
];
export async function listServices(db: Knex): Promise<ServiceRow[]> {
  const q = db('services')
    .join('qualifications', 'qualifications.id', 'services.qualification_id')
    .select(serviceColumns)
    .orderBy([{ column: 'services.active', order: 'desc' }, 'qualifications.name', 'services.name']);
  return (await q).map(bool);
}
export async function findService(db: Knex, id: number): Promise<ServiceRow | undefined> {
  const row = await db('services')
    .join('qualifications', 'qualifications.id', 'services.qualification_id')
    .select(serviceColumns)
    .where('services.id', id)
    .first();
  return row && bool(row);
}
export async function listDoctors(
  db: Knex,
): Promise<(DoctorRow & { qualifications: string; institutions: string })[]> {
  const q = db('doctors')
    .select('id', 'name', 'active')
    .orderBy([{ column: 'active', order: 'desc' }, 'name']);
  const doctors = (await q).map(bool);
  const [quals, insts] = await Promise.all([
    db('doctor_qualifications')
      .join('qualifications', 'qualifications.id', 'doctor_qualifications.qualification_id')
      .select('doctor_qualifications.doctor_id', 'qualifications.name')
      .orderBy('qualifications.name'),
    db('doctor_institutions')
      .join('institutions', 'institutions.id', 'doctor_institutions.institution_id')
      .select('doctor_institutions.doctor_id', 'institutions.name')
      .orderBy('institutions.name'),
  ]);
  const names = (rows: { doctor_id: number; name: string }[], id: number) =>
    rows
      .filter((r) => r.doctor_id === id)
      .map((r) => r.name)
      .join(', ');
  return doctors.map((d) => ({ ...d, qualifications: names(quals, d.id), institutions: names(insts, d.id) }));
}
export type DoctorRecord = {
  id: number;
  name: string;
  active: boolean;
  qualificationIds: number[];
  institutionIds: number[];
  offers: string[];
};

export async function findDoctor(db: Knex, id: number): Promise<DoctorRecord | undefined> {
  const row: { id: number; name: string; active: unknown } | undefined = await db('doctors')
    .select('id', 'name', 'active')
    .where({ id })
    .first();
  if (!row) return undefined;
  const [quals, insts, offers] = await Promise.all([
    db('doctor_qualifications').select('qualification_id').where({ doctor_id: id }),
    db('doctor_institutions').select('institution_id').where({ doctor_id: id }),
    db('doctor_services').select('institution_id', 'service_id').where({ doctor_id: id }),
  ]);
  return {
    ...bool(row),
    qualificationIds: quals.map((r) => r.qualification_id as number),
    institutionIds: insts.map((r) => r.institution_id as number),
    offers: offers.map((r) => `${r.institution_id}:${r.service_id}`),
  };
}

export type CatalogueTable = 'institutions' | 'qualifications' | 'services' | 'doctors';

export function insertRecord(db: Knex, table: CatalogueTable, row: Record<string, unknown>): Promise<number> {
  return insertId(db, table, row);
}

export async function updateRecord(
  db: Knex,
  table: CatalogueTable,
  id: number,
  values: Record<string, unknown>,
): Promise<void> {
  await db(table).where({ id }).update(values);
}

/** id and active of the rows among `ids` that exist. */
export async function recordStates(
  db: Knex,
  table: 'qualifications' | 'institutions',
  ids: number[],
): Promise<{ id: number; active: boolean }[]> {
  const rows: { id: number; active: unknown }[] = await db(table).select('id', 'active').whereIn('id', ids);
  return rows.map(bool);
}

export async function namedRecordState(
  db: Knex,
  table: CatalogueTable,
  id: number,
): Promise<{ id: number; name: string; active: boolean } | undefined> {
  const row = (await db(table).select('id', 'name', 'active').where({ id }).first()) as
    { id: number; name: string; active: unknown } | undefined;
  return row && bool(row);
}

export async function serviceStates(
  db: Knex,
  ids: number[],
): Promise<{ id: number; qualification_id: number; active: boolean }[]> {
  const rows: { id: number; qualification_id: number; active: unknown }[] = await db('services')
    .select('id', 'qualification_id', 'active')
    .whereIn('id', ids);
  return rows.map(bool);
}

/** Replaces what a doctor is qualified in, where they work and what they offer there. */
export async function replaceDoctorLinks(
  db: Knex,
  doctorId: number,
  qualificationIds: number[],
  institutionIds: number[],
  offers: [number, number][],
): Promise<void> {
  await db('doctor_services').where({ doctor_id: doctorId }).del();
  await db('doctor_institutions').where({ doctor_id: doctorId }).del();
  await db('doctor_qualifications').where({ doctor_id: doctorId }).del();
  for (const qualification_id of qualificationIds)
    await db('doctor_qualifications').insert({ doctor_id: doctorId, qualification_id });
  for (const institution_id of institutionIds)
    await db('doctor_institutions').insert({ doctor_id: doctorId, institution_id });
  for (const [institution_id, service_id] of offers)
    await db('doctor_services').insert({ doctor_id: doctorId, institution_id, service_id });
}
