import type { Knex } from 'knex';
import { quoted, rebuildSqliteTable, replaceOnce } from './sqlite-rebuild';

/**
 * Issue 14: a patient may be registered without an identifier (a newborn without a TAJ yet, a
 * foreign patient without a passport at hand) when the reason is recorded. The database holds
 * the rule: an identifier (type and number) or a reason, never both and never neither. Patients
 * without one have NULL type and number, so the unique (id_type, id_number) index lets any number
 * of them exist (NULLs are distinct in unique indexes on SQLite and PostgreSQL) while identifiers
 * stay unique. SQLite cannot drop NOT NULL or add a table CHECK in place: the table is rebuilt,
 * outside the migration's transaction so foreign keys can be switched off (sqlite-rebuild.ts).
 */
export const config = { transaction: false };

export const reasons = ['newborn', 'foreign', 'unknown'] as const;

const reasonColumn = `no_identifier_reason varchar(20) null check (no_identifier_reason in ('newborn', 'foreign', 'unknown'))`;
const constraint = 'patients_identifier_or_reason';
const rule =
  '(id_type is not null and id_number is not null and no_identifier_reason is null) or ' +
  '(id_type is null and id_number is null and no_identifier_reason is not null)';

const isPostgres = (db: Knex) => /^(pg|postgres|postgresql)$/.test(String(db.client.config.client));

export async function up(db: Knex): Promise<void> {
  if (isPostgres(db)) {
    await db.transaction(async (trx) => {
      await trx.raw(`alter table patients add column ${reasonColumn}`);
      await trx.raw('alter table patients alter column id_type drop not null');
      await trx.raw('alter table patients alter column id_number drop not null');
      await trx.raw(`alter table patients add constraint ${constraint} check (${rule})`);
    });
    return;
  }
  await rebuildSqliteTable(
    db,
    'patients',
    (sql) => {
      let next = replaceOnce(sql, columnType('id_type', 'not null'), '$1null');
      next = replaceOnce(next, columnType('id_number', 'not null'), '$1null');
      return replaceOnce(next, /\)\s*$/, `, constraint \`${constraint}\` check (${rule}))`);
    },
    async (trx) => {
      await trx.raw(`alter table patients add column ${reasonColumn}`);
    },
  );
}

/** `column varchar(20)` followed by `nullability` (any case and spacing); $1 is the part before it. */
const columnType = (column: string, nullability: 'null' | 'not null') =>
  new RegExp(`(${quoted(column)}\\s+varchar\\(20\\)\\s+)${nullability.replace(' ', '\\s+')}\\b`, 'i');

/** The table constraint this migration adds (two levels of brackets inside its check). */
const constraintSql = new RegExp(
  `,\\s*constraint\\s+${quoted(constraint)}\\s+check\\s*\\((?:[^()]|\\((?:[^()]|\\([^()]*\\))*\\))*\\)`,
  'i',
);

export async function down(db: Knex): Promise<void> {
  if (isPostgres(db)) {
    await db.transaction(async (trx) => {
      await trx.raw(`alter table patients drop constraint ${constraint}`);
      await trx.raw('alter table patients alter column id_type set not null');
      await trx.raw('alter table patients alter column id_number set not null');
      await trx.raw('alter table patients drop column no_identifier_reason');
    });
    return;
  }
  await rebuildSqliteTable(db, 'patients', (sql) => {
    let next = replaceOnce(sql, columnType('id_type', 'null'), '$1not null');
    next = replaceOnce(next, columnType('id_number', 'null'), '$1not null');
    return replaceOnce(next, constraintSql, '');
  });
  await db.raw('alter table patients drop column no_identifier_reason');
}
