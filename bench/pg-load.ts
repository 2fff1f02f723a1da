/**
 * The benchmark's chain-scale database on PostgreSQL (`npm run bench -- --engine pg`).
 *
 * The data is the SQLite build's (bench/build.ts: the same rows, made by the project's own slot
 * code), copied into a PostgreSQL database built by the project's migrations. The copy is kept on
 * the server as `clinic_bench_<key>` (key = the SQLite build's cache key), so it is made once; each
 * run then works on a fresh `CREATE DATABASE ... TEMPLATE` of it, since Save writes bookings.
 */
import Database from 'better-sqlite3';
import knex, { type Knex } from 'knex';
import { migrate, openDb } from '../src/lib/db';

/** The URL of database `name` on the server of `serverUrl` (socket host URLs kept as they are). */
export function databaseUrlOn(serverUrl: string, name: string): string {
  const m = /^(postgres(?:ql)?:\/\/[^/?]*)(\/[^?]*)?(\?.*)?$/.exec(serverUrl);
  if (!m) throw new Error(`not a PostgreSQL URL: ${serverUrl}`);
  return `${m[1]}/${name}${m[3] ?? ''}`;
}

function admin(serverUrl: string): Knex {
  return knex({ client: 'pg', connection: { connectionString: serverUrl }, pool: { min: 0, max: 1 } });
}

async function databaseExists(a: Knex, name: string): Promise<boolean> {
  const r = await a.raw('select 1 from pg_database where datname = ?', [name]);
  return r.rows.length > 0;
}

/** Tables of the SQLite file in an order where every table comes after those it references. */
function tablesInOrder(lite: Database.Database): string[] {
  const names = (
    lite
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'knex_%'",
      )
      .all() as { name: string }[]
  ).map((r) => r.name);
  const deps = new Map(
    names.map((n) => [
      n,
      (lite.prepare(`pragma foreign_key_list("${n}")`).all() as { table: string }[])
        .map((f) => f.table)
        .filter((t) => t !== n),
    ]),
  );
  const out: string[] = [];
  const visit = (n: string) => {
    if (out.includes(n)) return;
    for (const d of deps.get(n) ?? []) if (names.includes(d)) visit(d);
    out.push(n);
  };
  for (const n of names.sort()) visit(n);
  return out;
}

async function copyTable(lite: Database.Database, pg: Knex, table: string): Promise<number> {
  const columns = (lite.prepare(`pragma table_info("${table}")`).all() as { name: string }[]).map(
    (c) => c.name,
  );
  const types = new Map(
    (
      await pg.raw('select column_name, data_type from information_schema.columns where table_name = ?', [
        table,
      ])
    ).rows.map((r: { column_name: string; data_type: string }) => [r.column_name, r.data_type]),
  );
  const booleans = columns.filter((c) => types.get(c) === 'boolean');
  const perChunk = Math.max(1, Math.floor(30_000 / columns.length));
  const rows = lite.prepare(`select * from "${table}"`).iterate() as IterableIterator<
    Record<string, unknown>
  >;
  let chunk: Record<string, unknown>[] = [];
  let n = 0;
  const flush = async () => {
    if (!chunk.length) return;
    await pg(table).insert(chunk);
    n += chunk.length;
    chunk = [];
  };
  for (const row of rows) {
    for (const b of booleans) if (row[b] !== null) row[b] = Boolean(row[b]);
    chunk.push(row);
    if (chunk.length >= perChunk) await flush();
  }
  await flush();
  if (columns.includes('id') && types.get('id') === 'integer')
    await pg.raw(
      `select setval(pg_get_serial_sequence(?, 'id'), coalesce((select max(id) from "${table}"), 0) + 1, false)`,
      [table],
    );
  return n;
}

/**
 * The kept PostgreSQL copy of the SQLite bench database `sqliteFile` (built if missing), and a
 * fresh working copy of it for this run. Returns the working copy's URL and a function dropping it.
 */
export async function postgresBenchDatabase(
  sqliteFile: string,
  key: string,
  serverUrl: string,
  log: (line: string) => void,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const kept = `clinic_bench_${key}`;
  const a = admin(serverUrl);
  try {
    if (!(await databaseExists(a, kept))) {
      const t0 = performance.now();
      const building = `${kept}_partial`;
      await a.raw(`drop database if exists "${building}"`);
      await a.raw(`create database "${building}"`);
      const pg = openDb(databaseUrlOn(serverUrl, building), { poolMax: 1 });
      const lite = new Database(sqliteFile, { readonly: true });
      try {
        await migrate(pg);
        await pg.raw('set statement_timeout = 0');
        await pg.raw('set synchronous_commit = off');
        // booking_day_stats is not copied: PostgreSQL's own triggers (migration 040) fill it
        // while the bookings are copied, exactly as they keep it afterwards.
        const tables = tablesInOrder(lite).filter((t) => t !== 'booking_day_stats');
        // Rows the migrations wrote (e.g. the clinic channels) are replaced by the build's.
        for (const t of [...tables].reverse()) if (await pg(t).first()) await pg(t).del();
        await pg('booking_day_stats').del();
        for (const t of tables) {
          const n = await copyTable(lite, pg, t);
          if (n) log(`  copied ${t}: ${n.toLocaleString('en-GB')} rows`);
        }
        await pg.raw('analyze');
      } finally {
        lite.close();
        await pg.destroy();
      }
      await a.raw(`alter database "${building}" rename to "${kept}"`);
      log(`  PostgreSQL copy ${kept} built in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    } else log(`  cached PostgreSQL database ${kept}`);
    const run = `clinic_bench_run_${process.pid}`;
    await a.raw(`drop database if exists "${run}"`);
    await a.raw(`create database "${run}" template "${kept}"`);
    return {
      url: databaseUrlOn(serverUrl, run),
      drop: async () => {
        const b = admin(serverUrl);
        try {
          await b.raw(`drop database if exists "${run}" with (force)`);
        } finally {
          await b.destroy();
        }
      },
    };
  } finally {
    await a.destroy();
  }
}
