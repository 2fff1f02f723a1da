import type Database from 'better-sqlite3';
import knex, { type Knex } from 'knex';
import { migrationSource } from '../../migrations';
import { takeWriteLock } from './db.queries';

export type Db = Knex;

/**
 * Opens the SQLite database with the pragmas our guarantees rest on:
 * WAL (readers never block the writer), foreign keys enforced, synchronous=FULL so an
 * acknowledged commit survives a crash or power loss, and a busy timeout so a second
 * process waits for the write lock instead of failing.
 */
export function openDb(filename: string): Db {
  return knex({
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: Database.Database, done: (err: Error | null, conn: Database.Database) => void) {
        try {
          if (filename !== ':memory:') conn.pragma('journal_mode = WAL');
          conn.pragma('foreign_keys = ON');
          conn.pragma('synchronous = FULL');
          conn.pragma('busy_timeout = 5000');
          done(null, conn);
        } catch (err) {
          done(err as Error, conn);
        }
      },
    },
    migrations: { migrationSource },
  });
}

export async function migrate(db: Db): Promise<void> {
  await db.migrate.latest();
}

export function isSqlite(db: Db): boolean {
  return /sqlite/.test(String(db.client.config.client));
}

/**
 * A transaction that takes the write lock at its first statement. SQLite's deferred BEGIN
 * would take it only at the first write, and a reader that later upgrades can fail with
 * SQLITE_BUSY without waiting when another process committed meanwhile. A no-op DELETE
 * acquires the lock up front, honouring busy_timeout. On PostgreSQL it is a harmless no-op.
 */
export async function writeTransaction<T>(db: Db, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (trx) => {
    if (isSqlite(db)) await takeWriteLock(trx);
    return work(trx);
  });
}

// Its statement lives in db.queries.ts with the other SQL; callers keep importing it from here.
export { insertId } from './db.queries';

/** True for a unique or primary-key violation, on SQLite and PostgreSQL. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string };
  return (
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    e?.code === '23505'
  );
}

/**
 * True when a write failed because the disk (or the database's size limit) is full: SQLite's
 * SQLITE_FULL, or ENOSPC from the file system. Nothing was written: the transaction rolled back.
 */
export function isDiskFull(err: unknown): boolean {
  const e = err as { code?: string; errno?: number; message?: string };
  return (
    e?.code === 'SQLITE_FULL' ||
    e?.code === 'ENOSPC' ||
    e?.code === '53100' || // PostgreSQL disk_full
    (typeof e?.code === 'string' &&
      e.code.startsWith('SQLITE_IOERR') &&
      /disk is full|ENOSPC/i.test(e.message ?? ''))
  );
}

export function isForeignKeyViolation(err: unknown): boolean {
  const e = err as { code?: string };
  return e?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || e?.code === '23503';
}
