/** Every SQL statement of the traffic-channel matrix. */
import type { Knex } from 'knex';

/** A column of the matrix: an active clinic channel or an active partner's channel. */
export type ChannelColumn = {
  id: number;
  code: string;
  name: string;
  kind: 'clinic' | 'partner';
  partner_id: number | null;
};

type Institution = { id: number; name: string; time_zone: string };
export type Cell = { institution_id: number; channel_id: number; service_id: number };

export async function activeInstitutions(db: Knex): Promise<Institution[]> {
  return db('institutions').select('id', 'name', 'time_zone').where({ active: true }).orderBy('name');
}

/** Columns: active clinic channels, then active partners' channels (only while the partner is active). */
export async function matrixChannels(db: Knex): Promise<ChannelColumn[]> {
  return db('traffic_channels')
    .leftJoin('partners', 'partners.id', 'traffic_channels.partner_id')
    .select(
      'traffic_channels.id',
      'traffic_channels.code',
      'traffic_channels.name',
      'traffic_channels.kind',
      'traffic_channels.partner_id',
    )
    .where('traffic_channels.active', true)
    .andWhere((q) => q.where('traffic_channels.kind', 'clinic').orWhere('partners.active', true))
    .orderBy([
      { column: 'traffic_channels.sort_order' },
      { column: 'traffic_channels.name' },
      { column: 'traffic_channels.id' },
    ]);
}

export async function activeInstitution(db: Knex, id: number): Promise<Institution | undefined> {
  return (await db('institutions').select('id', 'name', 'time_zone').where({ id, active: true }).first()) as
    Institution | undefined;
}

export async function activeService(db: Knex, id: number): Promise<{ id: number; name: string } | undefined> {
  return (await db('services').select('id', 'name').where({ id, active: true }).first()) as
    { id: number; name: string } | undefined;
}

/** The matrix rows: active services with their qualification's name. */
export function activeServicesWithQualification(
  db: Knex,
): Promise<{ id: number; name: string; qualification_name: string }[]> {
  return db('services')
    .join('qualifications', 'qualifications.id', 'services.qualification_id')
    .select('services.id', 'services.name', 'qualifications.name as qualification_name')
    .where('services.active', true)
    .orderBy(['qualifications.name', 'services.name']);
}

/** Ids of the services some active doctor offers at the institution. */
export async function servicesOfferedAt(db: Knex, institutionId: number): Promise<Set<number>> {
  const rows: { service_id: number }[] = await db('doctor_services')
    .join('doctors', 'doctors.id', 'doctor_services.doctor_id')
    .distinct('doctor_services.service_id')
    .where({ 'doctor_services.institution_id': institutionId, 'doctors.active': true });
  return new Set(rows.map((r) => r.service_id));
}

export function ticksAt(
  db: Knex,
  institutionId: number,
): Promise<{ channel_id: number; service_id: number }[]> {
  return db('channel_services').select('channel_id', 'service_id').where({ institution_id: institutionId });
}

export async function isTicked(db: Knex, cell: Cell): Promise<boolean> {
  return Boolean(await db('channel_services').select('service_id').where(cell).first());
}

export async function tick(db: Knex, cell: Cell): Promise<void> {
  await db('channel_services').insert(cell);
}

export async function untick(db: Knex, cell: Cell): Promise<void> {
  await db('channel_services').where(cell).del();
}
