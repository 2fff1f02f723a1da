/**
 * The test database: SQLite in memory by default; with TEST_DATABASE_URL (a PostgreSQL server
 * URL, e.g. postgresql://root@/postgres?host=/var/run/postgresql) a fresh PostgreSQL database per
 * test app, so test files run in parallel. Each one is a copy of a migrated template (built once
 * per migration set, under an advisory lock so parallel workers build it once), and every
 * database a test file created is dropped after the file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import { openDb, migrate } from '../src/lib/db';

export const testDatabaseUrl = process.env.TEST_DATABASE_URL || null;
export const onPostgres = testDatabaseUrl !== null;

/** The URL of database `name` on the TEST_DATABASE_URL server. */
export function databaseUrl(name: string): string {
  // By hand: WHATWG URL drops the user of a host-less postgresql://root@/db?host=/socket.
  const m = /^(postgres(?:ql)?:\/\/[^/?]*)(\/[^?]*)?(\?.*)?$/.exec(testDatabaseUrl!);
  if (!m) throw new Error(`TEST_DATABASE_URL is not a PostgreSQL URL: ${testDatabaseUrl}`);
  return `${m[1]}/${name}${m[3] ?? ''}`;
}

function admin(): Knex {
  return knex({ client: 'pg', connection: { connectionString: testDatabaseUrl! }, pool: { min: 0, max: 1 } });
}

function migrationsHash(): string {
  const dir = path.join(__dirname, '..', 'migrations');
  const hash = crypto.createHash('sha256');
  for (const f of fs.readdirSync(dir).sort()) hash.update(f).update(fs.readFileSync(path.join(dir, f)));
  return hash.digest('hex').slice(0, 12);
}

let template: Promise<string> | null = null;

/** The migrated template database for the current migrations, built once on the server. */
function templateDatabase(): Promise<string> {
  template ??= (async () => {
    const name = `clinic_test_template_${migrationsHash()}`;
    const a = admin();
    try {
      await a.transaction(async (trx) => {
        // One builder at a time across all jest workers (released at commit).
        await trx.raw('select pg_advisory_xact_lock(724024)');
        const exists = await trx.raw('select 1 from pg_database where datname = ?', [name]);
        if (exists.rows.length > 0) return;
        const building = `${name}_building_${process.pid}`;
        // CREATE/DROP DATABASE cannot run in a transaction (an error there would abort the one
        // holding the lock): use a second connection.
        const b = admin();
        try {
          await b.raw(`drop database if exists "${building}"`);
          await b.raw(`create database "${building}"`);
          const db = openDb(databaseUrl(building), { poolMax: 1 });
          try {
            await migrate(db);
          } finally {
            await db.destroy();
          }
          try {
            await b.raw(`alter database "${building}" rename to "${name}"`);
          } catch (err) {
            // Another worker's template won the race after all: it is the same schema.
            if (!/already exists/.test((err as Error).message)) throw err;
            await b.raw(`drop database if exists "${building}"`);
          }
        } finally {
          await b.destroy();
        }
      });
    } finally {
      await a.destroy();
    }
    return name;
  })();
  return template;
}

const created: { name: string; db: Knex }[] = [];
let counter = 0;

/** A fresh PostgreSQL database with the current schema, dropped after this test file. */
async function freshPostgres(): Promise<Knex> {
  const from = await templateDatabase();
  const name = `clinic_test_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const a = admin();
  try {
    // Copies from one template may not overlap on some versions ("being accessed by other users").
    for (let attempt = 0; ; attempt++) {
      try {
        await a.raw(`create database "${name}" template "${from}"`);
        break;
      } catch (err) {
        if (attempt >= 20 || !/being accessed by other users/.test((err as Error).message)) throw err;
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
      }
    }
  } finally {
    await a.destroy();
  }
  const db = openDb(databaseUrl(name), { poolMax: 5 });
  created.push({ name, db });
  return db;
}

/** A new empty PostgreSQL database (not migrated) for tests that migrate themselves; dropped after the file. */
export async function emptyPostgresDatabase(): Promise<string> {
  const name = `clinic_test_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const a = admin();
  try {
    await a.raw(`create database "${name}"`);
  } finally {
    await a.destroy();
  }
  created.push({ name, db: null as unknown as Knex });
  return databaseUrl(name);
}

/** Drops every database this file created (closing its pool first). */
export async function dropTestDatabases(): Promise<void> {
  if (!created.length) return;
  await Promise.all(created.map((c) => c.db?.destroy().catch(() => undefined)));
  const a = admin();
  try {
    for (const c of created.splice(0)) await a.raw(`drop database if exists "${c.name}" with (force)`);
  } finally {
    await a.destroy();
  }
}

/** A migrated database on the test engine: SQLite in memory, or a fresh PostgreSQL database. */
export async function openTestDb(): Promise<Knex> {
  if (onPostgres) return freshPostgres();
  const db = openDb(':memory:');
  await migrate(db);
  return db;
}

if (onPostgres && typeof afterAll === 'function') afterAll(dropTestDatabases, 60_000);

/** The rows of a raw statement on either engine (better-sqlite3: the rows; pg: { rows }). */
export async function rawRows<T = Record<string, unknown>>(
  db: Knex,
  sql: string,
  bindings: readonly unknown[] = [],
): Promise<T[]> {
  const result = await db.raw(sql, bindings as Knex.RawBinding[]);
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** The application's tables, by name. */
export async function tableNames(db: Knex): Promise<string[]> {
  const sql =
    db.client.config.client === 'pg'
      ? 'select tablename as name from pg_tables where schemaname = current_schema() order by tablename'
      : "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name";
  return (await rawRows<{ name: string }>(db, sql)).map((r) => r.name);
}
