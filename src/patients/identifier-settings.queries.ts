/** Where the clinic's "Identifier types offered" setting is kept: app_meta, one comma-separated value. */
import type { Knex } from 'knex';

const key = 'identifier_types';

/** The stored list as written ('' parts dropped), or null when the clinic never chose. */
export async function storedIdentifierTypes(db: Knex): Promise<string[] | null> {
  const row = (await db('app_meta').select('value').where({ key }).first()) as { value: string } | undefined;
  return row ? row.value.split(',').filter(Boolean) : null;
}

export async function saveIdentifierTypes(db: Knex, types: string[]): Promise<void> {
  await db('app_meta')
    .insert({ key, value: types.join(',') })
    .onConflict('key')
    .merge();
}
