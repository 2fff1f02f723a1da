/**
 * The traffic channel settings matrix, per institution: rows are active services, columns the
 * active channels (clinic channels first, then one per active partner). A row in
 * channel_services exists exactly where a cell is ticked. Every change is audited per cell.
 */
import type { Knex } from 'knex';
import { audit } from '../lib/audit';
import { writeTransaction } from '../lib/db';
import { NotFound } from '../lib/errors';
import type { CurrentUser } from '../lib/permissions';

export const messages = {
  unknownInstitution: 'This institution does not exist or is not active.',
  unknownChannel: 'This traffic channel does not exist or is not active.',
  unknownService: 'This service does not exist or is not active.',
};

export type ChannelColumn = {
  id: number;
  code: string;
  name: string;
  kind: 'clinic' | 'partner';
  partner_id: number | null;
};
export type ServiceRowOfMatrix = { id: number; name: string; qualification_name: string; offered: boolean };
export type Matrix = {
  institution: { id: number; name: string; time_zone: string };
  channels: ChannelColumn[];
  services: ServiceRowOfMatrix[];
  /** "channelId:serviceId" of ticked cells. */
  ticked: Set<string>;
};

export const cellKey = (channelId: number, serviceId: number) => `${channelId}:${serviceId}`;

export async function activeInstitutions(db: Knex) {
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

export async function loadMatrix(db: Knex, institutionId: number): Promise<Matrix> {
  const institution = await db('institutions')
    .select('id', 'name', 'time_zone')
    .where({ id: institutionId, active: true })
    .first();
  if (!institution) throw new NotFound(messages.unknownInstitution);
  const [channels, services, offered, ticks] = await Promise.all([
    matrixChannels(db),
    db('services')
      .join('qualifications', 'qualifications.id', 'services.qualification_id')
      .select('services.id', 'services.name', 'qualifications.name as qualification_name')
      .where('services.active', true)
      .orderBy(['qualifications.name', 'services.name']),
    db('doctor_services')
      .join('doctors', 'doctors.id', 'doctor_services.doctor_id')
      .distinct('doctor_services.service_id')
      .where({ 'doctor_services.institution_id': institutionId, 'doctors.active': true }),
    db('channel_services').select('channel_id', 'service_id').where({ institution_id: institutionId }),
  ]);
  const offeredIds = new Set(offered.map((r) => r.service_id as number));
  return {
    institution,
    channels,
    services: services.map((s) => ({ ...s, offered: offeredIds.has(s.id) })),
    ticked: new Set(ticks.map((t) => cellKey(t.channel_id, t.service_id))),
  };
}

type Ctx = { actor: CurrentUser; ip?: string | null };
export type CellChange = { channelId: number; serviceId: number; old: boolean; new: boolean };

async function auditCell(
  trx: Knex,
  ctx: Ctx,
  institutionId: number,
  change: CellChange,
  names: { channel: string; service: string },
) {
  await audit(trx, {
    actor: ctx.actor,
    action: 'traffic_channel.cell_changed',
    entityType: 'traffic_channel',
    entityId: change.channelId,
    details: {
      institutionId,
      channelId: change.channelId,
      channel: names.channel,
      serviceId: change.serviceId,
      service: names.service,
      old: change.old,
      new: change.new,
    },
    ip: ctx.ip,
  });
}

/**
 * Saves the whole matrix form: the wanted set of ticked cells among the cells the page shows
 * (active channels x active services). Cells outside it (an inactive partner's) are left alone.
 * Returns the changes made.
 */
export function saveMatrix(
  db: Knex,
  ctx: Ctx,
  institutionId: number,
  wanted: Set<string>,
): Promise<CellChange[]> {
  return writeTransaction(db, async (trx) => {
    const matrix = await loadMatrix(trx, institutionId);
    const changes: CellChange[] = [];
    for (const channel of matrix.channels) {
      for (const service of matrix.services) {
        const key = cellKey(channel.id, service.id);
        const was = matrix.ticked.has(key);
        const now = wanted.has(key);
        if (was === now) continue;
        if (now)
          await trx('channel_services').insert({
            institution_id: institutionId,
            channel_id: channel.id,
            service_id: service.id,
          });
        else
          await trx('channel_services')
            .where({ institution_id: institutionId, channel_id: channel.id, service_id: service.id })
            .del();
        const change = { channelId: channel.id, serviceId: service.id, old: was, new: now };
        changes.push(change);
        await auditCell(trx, ctx, institutionId, change, { channel: channel.name, service: service.name });
      }
    }
    return changes;
  });
}

/** Sets one cell; a no-op (already in that state) changes and audits nothing. */
export function setCell(
  db: Knex,
  ctx: Ctx,
  institutionId: number,
  channelId: number,
  serviceId: number,
  checked: boolean,
) {
  return writeTransaction(db, async (trx) => {
    const institution = await trx('institutions')
      .select('id', 'name')
      .where({ id: institutionId, active: true })
      .first();
    if (!institution) throw new NotFound(messages.unknownInstitution);
    const channel = (await matrixChannels(trx)).find((c) => c.id === channelId);
    if (!channel) throw new NotFound(messages.unknownChannel);
    const service = await trx('services').select('id', 'name').where({ id: serviceId, active: true }).first();
    if (!service) throw new NotFound(messages.unknownService);
    const where = { institution_id: institutionId, channel_id: channelId, service_id: serviceId };
    const was = Boolean(await trx('channel_services').select('service_id').where(where).first());
    if (was !== checked) {
      if (checked) await trx('channel_services').insert(where);
      else await trx('channel_services').where(where).del();
      await auditCell(
        trx,
        ctx,
        institutionId,
        { channelId, serviceId, old: was, new: checked },
        { channel: channel.name, service: service.name },
      );
    }
    return { institution, channel, service, checked, changed: was !== checked };
  });
}
