import type { Knex } from 'knex';

type SchemaRow = { type: string; name: string; sql: string };

/**
 * SQLite cannot change a column's constraints in place: the table is rebuilt, following SQLite's
 * own procedure (https://sqlite.org/lang_altertable.html#otheralter). Foreign keys are switched
 * off for it (they cannot be inside a transaction, so the calling migration declares
 * `config = { transaction: false }`): otherwise DROP TABLE would delete every row first and fail
 * on the bookings that point at them. Then, in one transaction: a new table from the current
 * CREATE TABLE as `change` edits it, every row copied (ids kept), the old table dropped, the new
 * one renamed, its indexes and triggers created again, the AUTOINCREMENT counter kept, and
 * `PRAGMA foreign_key_check` must find nothing (else everything is rolled back). Columns added
 * by later migrations, or by other branches before this one, come along: nothing is listed here.
 */
export async function rebuildSqliteTable(
  db: Knex,
  table: string,
  change: (createSql: string) => string,
  /** Runs first, in the same transaction (e.g. ALTER TABLE ADD COLUMN), so all of it or nothing happens. */
  first?: (trx: Knex.Transaction) => Promise<void>,
): Promise<void> {
  type Flag = { foreign_keys: number };
  const [{ foreign_keys: foreignKeysWereOn }] = await db.raw<Flag[]>('PRAGMA foreign_keys');
  await db.raw('PRAGMA foreign_keys = OFF');
  try {
    await db.transaction(async (trx) => {
      if (first) await first(trx);
      const schema = await trx.raw<SchemaRow[]>(
        'select type, name, sql from sqlite_master where tbl_name = ? and sql is not null',
        [table],
      );
      const current = schema.find((r) => r.type === 'table');
      if (!current) throw new Error(`rebuild: no table ${table}`);
      const next = change(current.sql);
      if (next === current.sql) throw new Error(`rebuild of ${table}: the change did not apply`);
      const temporary = `${table}_rebuild`;
      const head = /^CREATE TABLE [`"]?\w+[`"]?/i;
      if (!head.test(next)) throw new Error(`rebuild of ${table}: unexpected CREATE TABLE`);
      await trx.raw(next.replace(head, `CREATE TABLE \`${temporary}\``));
      const columns = (await trx.raw<{ name: string }[]>(`PRAGMA table_info(\`${table}\`)`))
        .map((c) => `\`${c.name}\``)
        .join(', ');
      await trx.raw(`insert into \`${temporary}\` (${columns}) select ${columns} from \`${table}\``);
      const sequence = await trx.raw<{ seq: number }[]>('select seq from sqlite_sequence where name = ?', [
        table,
      ]);
      const [{ n: before }] = await trx.raw<{ n: number }[]>(`select count(*) as n from \`${table}\``);
      await trx.raw(`drop table \`${table}\``);
      await trx.raw(`alter table \`${temporary}\` rename to \`${table}\``);
      for (const r of schema) if (r.type !== 'table') await trx.raw(r.sql);
      if (sequence.length) {
        await trx.raw('delete from sqlite_sequence where name = ?', [table]);
        await trx.raw('insert into sqlite_sequence (name, seq) values (?, ?)', [table, sequence[0].seq]);
      }
      const [{ n: after }] = await trx.raw<{ n: number }[]>(`select count(*) as n from \`${table}\``);
      if (after !== before) throw new Error(`rebuild of ${table}: ${before} rows before, ${after} after`);
      const violations = await trx.raw<unknown[]>('PRAGMA foreign_key_check');
      if (violations.length)
        throw new Error(`rebuild of ${table}: ${violations.length} foreign key violations`);
    });
  } finally {
    if (foreignKeysWereOn) await db.raw('PRAGMA foreign_keys = ON');
  }
}

/**
 * `sql` with `from` replaced by `to`; throws when `from` is not there (the schema is not what this
 * migration expects). Write `from` loosely (case, spaces, quotes): SQLite keeps a CREATE TABLE as
 * it was written, and knex rewrites it in its own style whenever it rebuilds a table itself.
 */
export function replaceOnce(sql: string, from: RegExp, to: string): string {
  if (!from.test(sql)) throw new Error(`migration: expected ${String(from)} in ${sql}`);
  return sql.replace(from, to);
}

/** A column name as it may be written: `name`, "name" or name. */
export const quoted = (name: string) => `[\`"]?${name}[\`"]?`;
