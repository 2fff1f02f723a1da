import type { Knex } from 'knex';

/**
 * Issue 12: each user's own interface language (null: the browser's language or the clinic
 * default decides). The check keeps the column to the three catalogues on SQLite and PostgreSQL.
 */
export async function up(db: Knex): Promise<void> {
  await db.raw(
    "alter table users add column language varchar(2) null check (language is null or language in ('en', 'hu', 'ro'))",
  );
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('users', (t) => {
    t.dropColumn('language');
  });
}
