/** Every SQL statement of the partners feature (the partner row, its traffic channel, its users). */
import type { Knex } from 'knex';
import { insertId } from '../lib/db';

export type PartnerRow = {
  id: number;
  name: string;
  tax_number: string;
  registration_number: string;
  contact_name: string;
  contact_email: string;
  contact_phone: string;
  commission_type: 'percent' | 'fixed';
  commission_value: number;
  can_see_patient_records: boolean;
  active: boolean;
  channel_id: number | null;
};

const columns = [
  'partners.id',
  'partners.name',
  'partners.tax_number',
  'partners.registration_number',
  'partners.contact_name',
  'partners.contact_email',
  'partners.contact_phone',
  'partners.commission_type',
  'partners.commission_value',
  'partners.can_see_patient_records',
  'partners.active',
  'traffic_channels.id as channel_id',
];
const toRow = (r: PartnerRow): PartnerRow => ({
  ...r,
  active: Boolean(r.active),
  can_see_patient_records: Boolean(r.can_see_patient_records),
});

export async function listPartners(db: Knex): Promise<PartnerRow[]> {
  const rows = await db('partners')
    .leftJoin('traffic_channels', 'traffic_channels.partner_id', 'partners.id')
    .select(columns)
    .orderBy([{ column: 'partners.active', order: 'desc' }, 'partners.name']);
  return rows.map(toRow);
}

/** The partner users listed on a partner's page (clinic-side view, no password data). */
export async function listPartnerUsers(db: Knex, partnerId: number) {
  const users = await db('users')
    .select('id', 'username', 'display_name', 'active')
    .where({ partner_id: partnerId })
    .orderBy('username');
  const perms = users.length
    ? await db('user_permissions')
        .select('user_id', 'permission')
        .whereIn(
          'user_id',
          users.map((u) => u.id),
        )
    : [];
  return users.map((u) => ({
    ...u,
    active: Boolean(u.active),
    permissions: perms.filter((p) => p.user_id === u.id).map((p) => p.permission as string),
  }));
}

/** The partner columns written from the form. */
export type PartnerValues = {
  name: string;
  tax_number: string;
  registration_number: string;
  contact_name: string;
  contact_email: string;
  contact_phone: string;
  commission_type: 'percent' | 'fixed';
  commission_value: number;
  can_see_patient_records: boolean;
};

export async function findPartner(db: Knex, id: number): Promise<PartnerRow | undefined> {
  const row = (await db('partners')
    .leftJoin('traffic_channels', 'traffic_channels.partner_id', 'partners.id')
    .select(columns)
    .where('partners.id', id)
    .first()) as PartnerRow | undefined;
  return row && toRow(row);
}

export async function partnerState(
  db: Knex,
  id: number,
): Promise<{ id: number; name: string; active: boolean } | undefined> {
  const row = (await db('partners').select('id', 'name', 'active').where({ id }).first()) as
    { id: number; name: string; active: unknown } | undefined;
  return row && { id: row.id, name: row.name, active: Boolean(row.active) };
}

export function insertPartner(
  db: Knex,
  values: PartnerValues & { active: boolean; created_at: string },
): Promise<number> {
  return insertId(db, 'partners', values);
}

export async function updatePartner(db: Knex, id: number, values: PartnerValues): Promise<void> {
  await db('partners').where({ id }).update(values);
}

/** Renames the partner's channel (its column in the matrix); 0 when it has none yet. */
export function renamePartnerChannel(db: Knex, partnerId: number, name: string): Promise<number> {
  return db('traffic_channels').where({ partner_id: partnerId }).update({ name });
}

/** The partner's own traffic channel. */
export async function insertPartnerChannel(
  trx: Knex,
  partnerId: number,
  name: string,
  active: boolean,
): Promise<number> {
  return insertId(trx, 'traffic_channels', {
    code: `partner-${partnerId}`,
    name,
    kind: 'partner',
    partner_id: partnerId,
    active,
    sort_order: 100,
  });
}

/** A partner and its channel go on and off together. */
export async function setPartnerAndChannelActive(db: Knex, id: number, active: boolean): Promise<void> {
  await db('partners').where({ id }).update({ active });
  await db('traffic_channels').where({ partner_id: id }).update({ active });
}
