/** The partner's cancellation window column (migration 027). */
import type { Knex } from 'knex';

export async function windowOf(
  db: Knex,
  partnerId: number,
): Promise<{ name: string; hours: number | null } | undefined> {
  const row = await db('partners').select('name', 'cancel_window_hours').where({ id: partnerId }).first();
  if (!row) return undefined;
  return { name: row.name, hours: row.cancel_window_hours === null ? null : Number(row.cancel_window_hours) };
}

export async function setWindow(db: Knex, partnerId: number, hours: number | null): Promise<void> {
  await db('partners').where({ id: partnerId }).update({ cancel_window_hours: hours });
}
