import type { Knex } from 'knex';

function isPostgres(db: Knex): boolean {
  return /^(pg|postgres|postgresql)$/.test(String(db.client.config.client));
}

/**
 * PostgreSQL only (SQLite keeps its rules in the application and its unique keys):
 *
 * 1. One doctor is in one place at a time, enforced by the database: an exclusion constraint
 *    refuses two slots of one doctor whose [starts_at, ends_at) overlap, whatever the institution,
 *    schedule or status (a blocked slot still takes its time, as slot generation assumes). Slots
 *    store UTC ISO-8601 text ("...Z"); clinic_instant() reads it as timestamptz. It is declared
 *    IMMUTABLE, which holds for these strings: they carry their zone, so TimeZone does not matter.
 *
 * 2. Patient search: the folded name columns compare byte-wise (COLLATE "C", like SQLite's
 *    BINARY), so the prefix range `search_name >= ? and < ? || U+FFFF` and LIKE 'prefix%' are
 *    exact and use the btree indexes from 010 whatever the server's default collation is.
 */
export async function up(db: Knex): Promise<void> {
  if (!isPostgres(db)) return;
  await db.raw('create extension if not exists btree_gist');
  await db.raw(`create or replace function clinic_instant(text) returns timestamptz
    language sql immutable strict parallel safe as $$ select $1::timestamptz $$`);
  await db.raw(`alter table slots add constraint slots_doctor_no_overlap exclude using gist
    (doctor_id with =, tstzrange(clinic_instant(starts_at), clinic_instant(ends_at), '[)') with &&)`);
  await db.raw(`alter table slots add constraint slots_ends_after_start check (ends_at > starts_at)`);
  for (const column of ['search_name', 'search_name_reversed'])
    await db.raw(`alter table patients alter column ${column} type varchar(210) collate "C"`);
}

export async function down(db: Knex): Promise<void> {
  if (!isPostgres(db)) return;
  for (const column of ['search_name', 'search_name_reversed'])
    await db.raw(`alter table patients alter column ${column} type varchar(210) collate "default"`);
  await db.raw('alter table slots drop constraint if exists slots_ends_after_start');
  await db.raw('alter table slots drop constraint if exists slots_doctor_no_overlap');
  await db.raw('drop function if exists clinic_instant(text)');
}
