import type { Knex } from 'knex';
import { rebuildSqliteTable, replaceOnce } from './sqlite-rebuild';

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
  await db.raw(`alter table patients add column ${reasonColumn}`);
  await rebuildSqliteTable(db, 'patients', (sql) => {
    let next = replaceOnce(sql, '`id_type` varchar(20) not null', '`id_type` varchar(20) null');
    next = replaceOnce(next, '`id_number` varchar(20) not null', '`id_number` varchar(20) null');
    return replaceOnce(next, /\)$/, `, constraint \`${constraint}\` check (${rule}))`);
  });
}

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
    let next = replaceOnce(sql, '`id_type` varchar(20) null', '`id_type` varchar(20) not null');
    next = replaceOnce(next, '`id_number` varchar(20) null', '`id_number` varchar(20) not null');
    return replaceOnce(next, `, constraint \`${constraint}\` check (${rule})`, '');
  });
  await db.raw('alter table patients drop column no_identifier_reason');
}
