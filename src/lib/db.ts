import type Database from 'better-sqlite3';
import knex, { type Knex } from 'knex';
import pg from 'pg';
import { migrationSource } from '../../migrations';

export type Db = Knex;

/** The two engines. PostgreSQL when the target is a postgres:// or postgresql:// URL. */
export type Engine = 'sqlite' | 'pg';

export function engineOf(target: string): Engine {
  return /^postgres(ql)?:\/\//.test(target) ? 'pg' : 'sqlite';
}

// PostgreSQL answers count(*) and sums as int8/numeric strings; our integers (counts, minor
// currency units, epoch milliseconds) all fit a double, so read them as numbers like SQLite does.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

/**
 * Opens the database named by `target`: an SQLite file (or ':memory:'), or a PostgreSQL URL.
 * `poolMax` sizes the PostgreSQL pool; SQLite always has one connection.
 */
export function openDb(target: string, options: { poolMax?: number } = {}): Db {
  return engineOf(target) === 'pg' ? openPostgres(target, options.poolMax ?? 10) : openSqlite(target);
}

/** The database the configuration names (DATABASE_URL, else DATABASE_FILE). */
export function openConfiguredDb(config: {
  databaseUrl: string | null;
  databaseFile: string;
  databasePoolMax: number;
}): Db {
  return openDb(config.databaseUrl ?? config.databaseFile, { poolMax: config.databasePoolMax });
}

/**
 * PostgreSQL: each transaction that checks then writes locks what it checks (see the queries),
 * so the default READ COMMITTED is enough; statements time out instead of hanging on a lock,
 * and every connection uses UTC so date functions agree with the stored ISO instants.
 */
function openPostgres(url: string, poolMax: number): Db {
  return knex({
    client: 'pg',
    connection: {
      connectionString: url,
      options: '-c TimeZone=UTC -c statement_timeout=30000',
    } as Knex.PgConnectionConfig,
    pool: { min: 0, max: poolMax, idleTimeoutMillis: 30_000 },
    acquireConnectionTimeout: 10_000,
    migrations: { migrationSource },
  });
}

/**
 * Opens the SQLite database with the pragmas our guarantees rest on:
 * WAL (readers never block the writer), foreign keys enforced, synchronous=FULL so an
 * acknowledged commit survives a crash or power loss, and a busy timeout so a second
 * process waits for the write lock instead of failing.
 */
function openSqlite(filename: string): Db {
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

export function isPostgres(db: Db): boolean {
  return /^(pg|postgres|postgresql)$/.test(String(db.client.config.client));
}

/**
 * A transaction that takes the write lock at its first statement. SQLite's deferred BEGIN
 * would take it only at the first write, and a reader that later upgrades can fail with
 * SQLITE_BUSY without waiting when another process committed meanwhile. A no-op DELETE
 * acquires the lock up front, honouring busy_timeout. On PostgreSQL it is a harmless no-op.
 */
export async function writeTransaction<T>(db: Db, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (trx) => {
    if (isSqlite(db)) await trx('app_meta').where(db.raw('1 = 0')).del();
    return work(trx);
  });
}

/**
 * Inserts one row and returns its id. SQLite drivers answer `returning('id')` with a number or
 * with { id }, PostgreSQL with { id }: the unwrap lives here once.
 */
export async function insertId(db: Knex, table: string, row: Record<string, unknown>): Promise<number> {
  const [r] = await db(table).insert(row).returning('id');
  return typeof r === 'object' ? (r as { id: number }).id : (r as number);
}

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

/** Instants are stored as UTC ISO-8601 strings with milliseconds, everywhere. */
export function nowIso(): string {
  return new Date().toISOString();
}
