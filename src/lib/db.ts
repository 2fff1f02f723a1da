import type Database from 'better-sqlite3';
import knex, { type Knex } from 'knex';
import pg from 'pg';
import { migrationSource } from '../../migrations';
import { AppError } from './errors';
import { takeAdvisoryLock, takeNamedAdvisoryLock, takeWriteLock } from './db.queries';

export type Db = Knex;

/** The two engines. PostgreSQL when the target is a postgres:// or postgresql:// URL. */
export type Engine = 'sqlite' | 'pg';

export function engineOf(target: string): Engine {
  return /^postgres(ql)?:\/\//.test(target) ? 'pg' : 'sqlite';
}

// Rows have one shape on both engines, SQLite's: PostgreSQL answers count(*) and sums as
// int8/numeric strings (our integers: counts, minor currency units, epoch milliseconds, all fit a
// double) and booleans as true/false, SQLite as numbers and 0/1. Read PostgreSQL's as SQLite's.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.BOOL, (v) => (v === 't' ? 1 : 0));

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
    acquireConnectionTimeout: 30_000,
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
          keepPrepared(conn);
          done(null, conn);
        } catch (err) {
          done(err as Error, conn);
        }
      },
    },
    migrations: { migrationSource },
  });
}

/** How many distinct statements a connection keeps prepared (the least recently used go first). */
export const preparedKept = 500;

/**
 * Knex prepares every statement anew on each call (better-sqlite3's prepare: parse and plan, 3-4 %
 * of a calendar request, issue 11). The connection keeps its prepared statements by SQL text
 * instead, and hands the same one back; knex only ever runs them with all() or run(), so one is
 * never in use twice at once. A schema change makes SQLite prepare it again by itself.
 */
function keepPrepared(conn: Database.Database): void {
  const prepare = conn.prepare.bind(conn);
  const kept = new Map<string, Database.Statement>();
  conn.prepare = ((sql: string) => {
    let statement = kept.get(sql);
    if (statement) kept.delete(sql);
    else {
      statement = prepare(sql);
      if (kept.size >= preparedKept) kept.delete(kept.keys().next().value!);
    }
    kept.set(sql, statement);
    return statement;
  }) as Database.Database['prepare'];
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
 * Every check-then-write runs in one of these; the checks see what the write will commit.
 *
 * SQLite: a transaction that takes the write lock at its first statement. SQLite's deferred
 * BEGIN would take it only at the first write, and a reader that later upgrades can fail with
 * SQLITE_BUSY without waiting when another process committed meanwhile. A no-op DELETE
 * acquires the lock up front, honouring busy_timeout; writers are serial.
 *
 * PostgreSQL: the same rule across every instance: the transaction's first statement takes one
 * advisory lock (held to commit) shared by all writers of this database, so writers run one at a
 * time as on SQLite, and each statement after it (READ COMMITTED) sees every earlier writer's
 * commit: a check cannot be overtaken by another instance's write. Reads never wait for it.
 * (SERIALIZABLE was tried first: with 30 sessions booking different slots over 3 instances its
 * predicate locks on the small holds table failed most transactions even after retries.) A
 * deadlock or serialization failure (40P01/40001; e.g. with a statement outside these) runs the
 * work again from the start (it must only touch the database), at most `serializationRetries`
 * times with a growing random pause; then the request answers 503 (DatabaseBusy), nothing changed.
 */
export async function writeTransaction<T>(db: Db, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  if (isSqlite(db))
    return db.transaction(async (trx) => {
      await takeWriteLock(trx);
      return work(trx);
    });
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(async (trx) => {
        await takeAdvisoryLock(trx, writerLockKey);
        return work(trx);
      });
    } catch (err) {
      if (!isSerializationFailure(err)) throw err;
      if (attempt >= serializationRetries) throw new DatabaseBusy();
      await new Promise((r) => setTimeout(r, Math.random() * 10 * 2 ** attempt));
    }
  }
}

/** The advisory lock every PostgreSQL writeTransaction holds (an arbitrary, fixed number). */
const writerLockKey = 724_000_001;

export const serializationRetries = 8;

/**
 * Inside a transaction: waits until no other transaction (in any process) holds the lock named
 * `name`, and holds it until commit. SQLite: the database's write lock; PostgreSQL: an advisory
 * transaction lock on a hash of the name.
 */
export async function takeExclusiveLock(trx: Knex.Transaction, name: string): Promise<void> {
  if (isSqlite(trx)) await takeWriteLock(trx);
  else await takeNamedAdvisoryLock(trx, name);
}

/** PostgreSQL refused a transaction because a concurrent one conflicted with it: run it again. */
export function isSerializationFailure(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return code === '40001' || code === '40P01';
}

export const databaseMessages = {
  busy: 'The database is very busy right now and nothing was changed. Please try again in a moment.',
  unavailable: 'The database cannot be reached right now. Nothing was changed. Please try again in a moment.',
};

/** Too many concurrent conflicts on one row even after the retries: 503, nothing changed. */
export class DatabaseBusy extends AppError {
  constructor() {
    super(503, databaseMessages.busy);
  }
}

/**
 * True when the database cannot be reached (PostgreSQL down, restarting, refusing connections,
 * or the pool timed out waiting for one): 503, and the next request tries again.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; name?: string; message?: string };
  const code = e?.code ?? '';
  return (
    [
      'ECONNREFUSED',
      'ECONNRESET',
      'ENOTFOUND',
      'ETIMEDOUT',
      'EPIPE',
      'ENOENT',
      '57P01',
      '57P02',
      '57P03',
    ].includes(code) ||
    code.startsWith('08') ||
    e?.name === 'KnexTimeoutError' ||
    /Connection terminated|connection is closed|Client has encountered a connection error/i.test(
      e?.message ?? '',
    )
  );
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

/**
 * PostgreSQL refused a value SQLite would have stored or compared: a NUL character (22021), one
 * the encoding cannot hold (22P05), a number out of its column's range (22003) or not a number
 * (22P02). The input was malformed: 400, nothing was changed.
 */
export function isInvalidValue(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return code === '22021' || code === '22P05' || code === '22003' || code === '22P02';
}

export function isForeignKeyViolation(err: unknown): boolean {
  const e = err as { code?: string };
  return e?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || e?.code === '23503';
}
