/** The home feature's one statement: the health check's round trip to the database. */
import type { Knex } from 'knex';

export async function pingDatabase(db: Knex): Promise<void> {
  await db.raw('select 1');
}
