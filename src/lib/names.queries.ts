/** Name uniqueness for clinic records (institutions, qualifications, services, partners). */
import type { Knex } from 'knex';
import { Validation } from './errors';

/** Refuses a name another row already has (case-insensitive; inactive rows count too). */
export async function assertNameFree(
  trx: Knex,
  table: 'institutions' | 'qualifications' | 'services' | 'partners',
  value: string,
  exceptId: number | undefined,
  message: string,
): Promise<void> {
  const q = trx(table).select('id').whereRaw('lower(name) = lower(?)', [value]);
  if (exceptId) q.whereNot('id', exceptId);
  if (await q.first()) throw new Validation(message, { name: message });
}
