import type { Knex } from 'knex';

/**
 * Issue 16: the language a patient's e-mail confirmations are written in (null: the clinic
 * default). The check keeps it to the three catalogues on SQLite and PostgreSQL.
 */
export async function up(db: Knex): Promise<void> {
  await db.raw(
    "alter table patients add column language varchar(2) null check (language is null or language in ('en', 'hu', 'ro'))",
  );
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('patients', (t) => {
    t.dropColumn('language');
  });
}
