/** The few statements the database plumbing itself runs (lib/db.ts and the health check). */
import type { Knex } from 'knex';

/** The health check's round trip to the database. */
export async function pingDatabase(db: Knex): Promise<void> {
  await db.raw('select 1');
}

/**
 * Takes SQLite's write lock at once: a DELETE that matches nothing still makes BEGIN DEFERRED a
 * write transaction (see writeTransaction in lib/db.ts, the only caller).
 */
export async function takeWriteLock(trx: Knex.Transaction): Promise<void> {
  await trx('app_meta').where(trx.raw('1 = 0')).del();
}

/** PostgreSQL: waits for, and holds to commit, the advisory transaction lock `key`. */
export async function takeAdvisoryLock(trx: Knex.Transaction, key: number): Promise<void> {
  await trx.raw('select pg_advisory_xact_lock(?)', [key]);
}

/** PostgreSQL: the advisory transaction lock named by a hash of `name`. */
export async function takeNamedAdvisoryLock(trx: Knex.Transaction, name: string): Promise<void> {
  await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [name]);
}

/**
 * Inserts one row and returns its id. SQLite drivers answer `returning('id')` with a number or
 * with { id }, PostgreSQL with { id }: the unwrap lives here once.
 */
export async function insertId(db: Knex, table: string, row: Record<string, unknown>): Promise<number> {
  const [r] = await db(table).insert(row).returning('id');
  return typeof r === 'object' ? (r as { id: number }).id : (r as number);
}

/**
 * Independent queries at once on a pool, but one after another on a transaction: a transaction
 * is one connection, and pg queues (and from pg 9 refuses) a query sent while another runs on
 * it. Knex builders are lazy, so they only start when awaited here.
 */
export async function allOf<T extends readonly unknown[]>(
  db: Knex,
  queries: { readonly [K in keyof T]: PromiseLike<T[K]> },
): Promise<T> {
  if (!db.isTransaction) return await Promise.all(queries);
  const results: unknown[] = [];
  for (const q of queries) results.push(await q);
  return results as unknown as T;
}
