/**
 * The traffic channel settings matrix, per institution: rows are active services, columns the
 * active channels (clinic channels first, then one per active partner). A row in
 * channel_services exists exactly where a cell is ticked. Every change is audited per cell.
 */
import type { Knex } from 'knex';
import { audit } from '../lib/audit';
import type { Clock } from '../lib/clock';
import { writeTransaction } from '../lib/db';
import { NotFound } from '../lib/errors';
import * as q from './traffic-channels.queries';
import type { ChannelColumn } from './traffic-channels.queries';
import type { CurrentUser } from '../lib/permissions';

export const messages = {
  unknownInstitution: 'This institution does not exist or is not active.',
  unknownChannel: 'This traffic channel does not exist or is not active.',
  unknownService: 'This service does not exist or is not active.',
};

export type { ChannelColumn } from './traffic-channels.queries';
export type ServiceRowOfMatrix = { id: number; name: string; qualification_name: string; offered: boolean };
export type Matrix = {
  institution: { id: number; name: string; time_zone: string };
  channels: ChannelColumn[];
  services: ServiceRowOfMatrix[];
  /** "channelId:serviceId" of ticked cells. */
  ticked: Set<string>;
};

export const cellKey = (channelId: number, serviceId: number) => `${channelId}:${serviceId}`;

export { activeInstitutions, matrixChannels } from './traffic-channels.queries';

export async function loadMatrix(db: Knex, institutionId: number): Promise<Matrix> {
  const institution = await q.activeInstitution(db, institutionId);
  if (!institution) throw new NotFound(messages.unknownInstitution);
  const [channels, services, offeredIds, ticks] = await Promise.all([
    q.matrixChannels(db),
    q.activeServicesWithQualification(db),
    q.servicesOfferedAt(db, institutionId),
    q.ticksAt(db, institutionId),
  ]);
  return {
    institution,
    channels,
    services: services.map((s) => ({ ...s, offered: offeredIds.has(s.id) })),
    ticked: new Set(ticks.map((t) => cellKey(t.channel_id, t.service_id))),
  };
}

type Ctx = { actor: CurrentUser; ip?: string | null; clock: Clock };
export type CellChange = { channelId: number; serviceId: number; old: boolean; new: boolean };

async function auditCell(
  trx: Knex,
  ctx: Ctx,
  institutionId: number,
  change: CellChange,
  names: { channel: string; service: string },
) {
  await audit(trx, ctx.clock, {
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
        const cell = { institution_id: institutionId, channel_id: channel.id, service_id: service.id };
        if (now) await q.tick(trx, cell);
        else await q.untick(trx, cell);
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
    const found = await q.activeInstitution(trx, institutionId);
    if (!found) throw new NotFound(messages.unknownInstitution);
    const institution = { id: found.id, name: found.name };
    const channel = (await q.matrixChannels(trx)).find((c) => c.id === channelId);
    if (!channel) throw new NotFound(messages.unknownChannel);
    const service = await q.activeService(trx, serviceId);
    if (!service) throw new NotFound(messages.unknownService);
    const cell = { institution_id: institutionId, channel_id: channelId, service_id: serviceId };
    const was = await q.isTicked(trx, cell);
    if (was !== checked) {
      if (checked) await q.tick(trx, cell);
      else await q.untick(trx, cell);
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
