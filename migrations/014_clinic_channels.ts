import type { Knex } from 'knex';

/**
 * The clinic's own traffic channels exist on every install (with or without the demo):
 * Reception, Phone and Online. Inserted only where missing, by code.
 */
export const clinicChannels = [
  { code: 'reception', name: 'Reception', sort_order: 1 },
  { code: 'phone', name: 'Phone', sort_order: 2 },
  { code: 'online', name: 'Online', sort_order: 3 },
] as const;

export async function up(db: Knex): Promise<void> {
  await db('traffic_channels')
    .insert(clinicChannels.map((c) => ({ ...c, kind: 'clinic', partner_id: null, active: true })))
    .onConflict('code')
    .ignore();
}

/** Removes them again only where nothing refers to them. */
export async function down(db: Knex): Promise<void> {
  const codes = clinicChannels.map((c) => c.code);
  const used = (table: string) => db(table).select('channel_id');
  await db('traffic_channels')
    .whereIn('code', codes)
    .where('kind', 'clinic')
    .whereNotIn('id', used('channel_services'))
    .whereNotIn('id', used('bookings'))
    .whereNotIn('id', used('holds'))
    .del();
}
