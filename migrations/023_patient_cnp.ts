import type { Knex } from 'knex';
import { quoted, rebuildSqliteTable, replaceOnce } from './sqlite-rebuild';

/**
 * Issue 12: the Romanian personal numeric code (CNP) as a third identifier type. The id_type
 * CHECK is widened: on PostgreSQL the constraint is replaced; SQLite cannot alter a CHECK, so
 * the table is rebuilt (outside the migration's transaction, foreign keys off: sqlite-rebuild.ts).
 */
export const config = { transaction: false };

const isPostgres = (db: Knex) => /^(pg|postgres|postgresql)$/.test(String(db.client.config.client));

/** The id_type column's CHECK, however it is written (knex rewrites it when it rebuilds a table). */
const idTypeCheck = new RegExp(`check\\s*\\(\\s*${quoted('id_type')}\\s+in\\s*\\([^)]*\\)\\s*\\)`, 'i');
const sqliteCheck = (types: string) => `check (\`id_type\` in (${types}))`;

async function replacePgCheck(db: Knex, types: string[]): Promise<void> {
  await db.transaction(async (trx) => {
    const found = await trx.raw<{ rows: { conname: string }[] }>(
      `select conname from pg_constraint
        where conrelid = 'patients'::regclass and contype = 'c'
          and pg_get_constraintdef(oid) like '%id_type%' and pg_get_constraintdef(oid) not like '%no_identifier_reason%'`,
    );
    for (const { conname } of found.rows) await trx.raw('alter table patients drop constraint ??', [conname]);
    // Constants of this file, written as literals: DDL takes no bound parameters.
    const list = types.map((t) => `'${t}'`).join(', ');
    await trx.raw(`alter table patients add constraint patients_id_type_check check (id_type in (${list}))`);
  });
}

export async function up(db: Knex): Promise<void> {
  if (isPostgres(db)) return replacePgCheck(db, ['taj', 'passport', 'cnp']);
  await rebuildSqliteTable(db, 'patients', (sql) =>
    replaceOnce(sql, idTypeCheck, sqliteCheck(`'taj','passport','cnp'`)),
  );
}

export async function down(db: Knex): Promise<void> {
  if (isPostgres(db)) return replacePgCheck(db, ['taj', 'passport']);
  await rebuildSqliteTable(db, 'patients', (sql) =>
    replaceOnce(sql, idTypeCheck, sqliteCheck(`'taj','passport'`)),
  );
}
