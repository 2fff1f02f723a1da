/** The catalogue's reads: institutions, qualifications, services and doctors (column lists, typed rows). */
import type { Knex } from 'knex';

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
