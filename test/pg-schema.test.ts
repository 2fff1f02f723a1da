/**
 * PostgreSQL (runs when TEST_DATABASE_URL is set): the same migrations build the same schema as
 * on SQLite (tables, columns, NOT NULL, unique keys, foreign keys, checks), the rules PostgreSQL
 * adds (one doctor never has two overlapping slots), the audit log's triggers, the indexed
 * patient search, and every migration rolling back and re-applying.
 */
import type { Knex } from 'knex';
import { openDb, migrate } from '../src/lib/db';
import { emptyPostgresDatabase, onPostgres, openTestDb, rawRows, tableNames } from './test-db';
import { fixtures } from './fixtures';

type Shape = Record<
  string,
  { columns: string[]; notNull: string[]; unique: string[]; foreignKeys: string[]; checks: number }
>;

const ignored = new Set(['knex_migrations', 'knex_migrations_lock']);

async function sqliteShape(db: Knex): Promise<Shape> {
  const shape: Shape = {};
  for (const table of await tableNames(db)) {
    if (ignored.has(table)) continue;
    const cols = (await db.raw(`pragma table_info("${table}")`)) as {
      name: string;
      notnull: number;
      pk: number;
    }[];
    const indexes = (await db.raw(`pragma index_list("${table}")`)) as { name: string; unique: number }[];
    const unique: string[] = [];
    for (const i of indexes.filter((x) => x.unique)) {
      const info = (await db.raw(`pragma index_info("${i.name}")`)) as { name: string | null }[];
      // An expression column (e.g. coalesce(from_time, '')) has no name: written as (expr) on both engines.
      unique.push(info.map((c) => c.name ?? '(expr)').join(','));
    }
    const pk = cols.filter((c) => c.pk).map((c) => c.name);
    if (pk.length && !unique.includes(pk.join(','))) unique.push(pk.join(','));
    const fks = (await db.raw(`pragma foreign_key_list("${table}")`)) as { from: string; table: string }[];
    const sql = (
      (await db.raw(`select sql from sqlite_master where name = ?`, [table])) as { sql: string }[]
    )[0].sql;
    shape[table] = {
      columns: cols.map((c) => c.name).sort(),
      // SQLite's integer primary key is NOT NULL without saying so.
      notNull: cols
        .filter((c) => c.notnull || c.pk)
        .map((c) => c.name)
        .sort(),
      unique: unique.sort(),
      foreignKeys: fks.map((f) => `${f.from}->${f.table}`).sort(),
      checks: (sql.match(/\bcheck\s*\(/gi) ?? []).length,
    };
  }
  return shape;
}

async function postgresShape(db: Knex): Promise<Shape> {
  const shape: Shape = {};
  for (const table of await tableNames(db)) {
    if (ignored.has(table) || table === 'fuzz_changes') continue;
    const cols = await rawRows<{ column_name: string; is_nullable: string }>(
      db,
      'select column_name, is_nullable from information_schema.columns where table_schema = current_schema() and table_name = ?',
      [table],
    );
    const unique = await rawRows<{ cols: string }>(
      db,
      `select string_agg(coalesce(a.attname, '(expr)'), ',' order by k.ord) as cols
         from pg_index i
         join pg_class c on c.oid = i.indrelid
         cross join lateral unnest(i.indkey) with ordinality as k(attnum, ord)
         left join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum and k.attnum > 0
        where c.relname = ? and i.indisunique and c.relnamespace = current_schema()::regnamespace
        group by i.indexrelid`,
      [table],
    );
    const fks = await rawRows<{ fk: string }>(
      db,
      `select a.attname || '->' || f.relname as fk
         from pg_constraint k
         join pg_class c on c.oid = k.conrelid
         join pg_class f on f.oid = k.confrelid
         cross join lateral unnest(k.conkey) as ck(attnum)
         join pg_attribute a on a.attrelid = c.oid and a.attnum = ck.attnum
        where k.contype = 'f' and c.relname = ?`,
      [table],
    );
    const checks = await rawRows<{ n: number }>(
      db,
      `select count(*) as n from pg_constraint k join pg_class c on c.oid = k.conrelid
        where k.contype = 'c' and c.relname = ?`,
      [table],
    );
    shape[table] = {
      columns: cols.map((c) => c.column_name).sort(),
      notNull: cols
        .filter((c) => c.is_nullable === 'NO')
        .map((c) => c.column_name)
        .sort(),
      unique: unique.map((u) => u.cols).sort(),
      foreignKeys: fks.map((f) => f.fk).sort(),
      checks: Number(checks[0].n),
    };
  }
  return shape;
}

/** What PostgreSQL adds on purpose (migration 024): checks SQLite leaves to the application. */
const postgresOnlyChecks: Record<string, number> = { slots: 1 };

(onPostgres ? describe : describe.skip)('PostgreSQL schema', () => {
  let db: Knex;
  afterEach(async () => {
    await db?.destroy();
  });

  it('has the same tables, columns, NOT NULLs, unique keys, foreign keys and checks as SQLite', async () => {
    const sqlite = openDb(':memory:');
    try {
      await migrate(sqlite);
      db = await openTestDb();
      const expected = await sqliteShape(sqlite);
      const actual = await postgresShape(db);
      for (const [table, extra] of Object.entries(postgresOnlyChecks)) actual[table].checks -= extra;
      expect(actual).toEqual(expected);
      expect(Object.keys(actual).length).toBeGreaterThan(25);
    } finally {
      await sqlite.destroy();
    }
  });

  it('refuses a second slot of one doctor that overlaps the first (exclusion constraint), not one that only touches it', async () => {
    db = await openTestDb();
    const institutionId = await fixtures.institution(db);
    const qualificationId = await fixtures.qualification(db);
    const serviceId = await fixtures.service(db, qualificationId);
    const doctorId = await fixtures.doctor(db, 'Dr. Test', qualificationId, [institutionId], [serviceId]);
    const other = await fixtures.doctor(db, 'Dr. Other', qualificationId, [institutionId], [serviceId]);
    const slot = (doctor: number, startsAt: string, endsAt: string) =>
      db('slots').insert({
        doctor_id: doctor,
        institution_id: institutionId,
        starts_at: startsAt,
        ends_at: endsAt,
        local_date: startsAt.slice(0, 10),
        status: 'open',
        created_at: '2026-01-01T00:00:00.000Z',
      });
    await slot(doctorId, '2030-01-07T08:00:00.000Z', '2030-01-07T08:30:00.000Z');
    await expect(
      slot(doctorId, '2030-01-07T08:15:00.000Z', '2030-01-07T08:45:00.000Z'),
    ).rejects.toMatchObject({
      code: '23P01',
    });
    // A blocked slot still takes its time; another doctor may work then; back to back is fine.
    await slot(other, '2030-01-07T08:15:00.000Z', '2030-01-07T08:45:00.000Z');
    await slot(doctorId, '2030-01-07T08:30:00.000Z', '2030-01-07T09:00:00.000Z');
    await expect(
      slot(doctorId, '2030-01-07T09:00:00.000Z', '2030-01-07T08:50:00.000Z'),
    ).rejects.toMatchObject({
      code: '23514',
    });
    expect(await db('slots').where({ doctor_id: doctorId }).count({ n: '*' }).first()).toEqual({ n: 2 });
  });

  it('refuses TRUNCATE of the audit log as well as UPDATE and DELETE', async () => {
    db = await openTestDb();
    await db('audit_log').insert({ at: '2026-01-01T00:00:00.000Z', action: 'test', details: '{}' });
    await expect(db.raw('truncate audit_log')).rejects.toMatchObject({
      message: expect.stringMatching(/audit_log is append-only/),
    });
    expect(await db('audit_log').count({ n: '*' }).first()).toEqual({ n: 1 });
  });

  it('answers the patient name search from the btree indexes (byte order, like SQLite)', async () => {
    db = await openTestDb();
    const collations = await rawRows<{ column_name: string; collation_name: string }>(
      db,
      "select column_name, collation_name from information_schema.columns where table_name = 'patients' and column_name like 'search_name%'",
    );
    expect(collations.map((c) => c.collation_name)).toEqual(['C', 'C']);
    await db.transaction(async (trx) => {
      // Few rows: tell the planner a scan is not an option, to prove the index can answer it.
      await trx.raw('set local enable_seqscan = off');
      const plan = await rawRows<{ 'QUERY PLAN': string }>(
        trx,
        "explain select id from patients where (search_name >= 'kovacs' and search_name < ? and search_name like 'kovacs%') or (search_name_reversed >= 'kovacs' and search_name_reversed < ? and search_name_reversed like 'kovacs%')",
        ['kovacs\uffff', 'kovacs\uffff'],
      );
      const text = plan.map((r) => r['QUERY PLAN']).join('\n');
      expect(text).toMatch(/patients_search_name_index/);
      expect(text).toMatch(/patients_search_name_reversed_index/);
      expect(text).not.toMatch(/Seq Scan/);
    });
  });

  it('migrates an empty database, is idempotent, and every migration rolls back and re-applies', async () => {
    db = openDb(await emptyPostgresDatabase(), { poolMax: 2 });
    await migrate(db);
    await migrate(db);
    const [, pending] = await db.migrate.list();
    expect(pending).toEqual([]);
    await db.migrate.rollback(undefined, true);
    expect(await db.schema.hasTable('bookings')).toBe(false);
    await migrate(db);
    expect(await db.schema.hasTable('slot_occupancies')).toBe(true);
  });
});
