import type { Knex } from 'knex';

/**
 * A version number per institution that changes whenever anything its calendar shows changes
 * (issue 11: the week calendar served from a cache that is never stale, on every instance).
 *
 * The calendar of a week is drawn from slots, their bookings (slot_occupancies) and holds, the
 * institution's closures and the partner contracts (validity, allotments and their use, reserved
 * blocks), plus the names of partners and channels in its notes. Database triggers on each of
 * those tables add 1 to the version of every institution a statement touched, in the same
 * transaction as the change; a change of a partner's or a channel's name bumps every institution.
 * Nothing in the application writes the table, so no code path (a CLI, another instance, a
 * future route) can change a calendar without its version moving.
 *
 * What changes with time alone (a slot becoming past, a hold expiring, a reserved block's release)
 * is not here: the cache keeps each week only until the first such moment (booking/week-cache.ts).
 *
 * SQLite: row triggers. PostgreSQL: statement triggers over the transition tables (one UPDATE
 * per statement, not per row: generating a year of slots is one bump per batch).
 *
 * A later SQLite migration that rebuilds one of these tables (sqlite-rebuild.ts) drops its
 * triggers and must create them again (`calendarTriggersSqlite`).
 */
type Watched = { table: string; institutionOf: (row: string) => string };

const direct = (row: string) => `${row}.institution_id`;
const viaSlot = (row: string) => `(select s.institution_id from slots s where s.id = ${row}.slot_id)`;
const viaAllotment = (row: string) =>
  `(select a.institution_id from allotments a where a.id = ${row}.allotment_id)`;

export const watched: Watched[] = [
  { table: 'slots', institutionOf: direct },
  { table: 'slot_occupancies', institutionOf: viaSlot },
  { table: 'hold_slots', institutionOf: viaSlot },
  { table: 'holds', institutionOf: direct },
  { table: 'closures', institutionOf: direct },
  { table: 'channel_services', institutionOf: direct },
  { table: 'channel_service_validity', institutionOf: direct },
  { table: 'allotments', institutionOf: direct },
  { table: 'allotment_usage', institutionOf: viaAllotment },
  { table: 'reserved_blocks', institutionOf: direct },
];
/** Named in the calendar's notes ("Reserved for ...", "... is enabled until ..."): every institution. */
const everywhere = ['partners', 'traffic_channels'];

const isPg = (db: Knex) => /^(pg|postgres|postgresql)$/.test(String(db.client.config.client));

const bump = (where: string) => `update calendar_versions set version = version + 1 where ${where};`;

/** The SQLite triggers of one watched table (also for a migration that rebuilds the table). */
export function calendarTriggersSqlite(w: Watched): string[] {
  const t = w.table;
  return [
    `create trigger calendar_version_${t}_insert after insert on ${t} begin
      ${bump(`institution_id = ${w.institutionOf('NEW')}`)}
    end`,
    `create trigger calendar_version_${t}_update after update on ${t} begin
      ${bump(`institution_id in (${w.institutionOf('OLD')}, ${w.institutionOf('NEW')})`)}
    end`,
    `create trigger calendar_version_${t}_delete after delete on ${t} begin
      ${bump(`institution_id = ${w.institutionOf('OLD')}`)}
    end`,
  ];
}

export async function up(db: Knex): Promise<void> {
  await db.raw(`create table calendar_versions (
    institution_id integer not null primary key,
    version bigint not null default 0
  )`);
  await db.raw('insert into calendar_versions (institution_id, version) select id, 0 from institutions');

  if (isPg(db)) {
    // The institution's row comes with it.
    await db.raw(`create function calendar_version_institution() returns trigger language plpgsql as $$
      begin
        insert into calendar_versions (institution_id, version) values (new.id, 0) on conflict do nothing;
        return null;
      end $$`);
    await db.raw(`create trigger calendar_version_institution after insert on institutions
      for each row execute function calendar_version_institution()`);
    for (const w of watched) {
      const events = [
        ['insert', 'referencing new table as n', `select ${w.institutionOf('n')} from n`],
        ['delete', 'referencing old table as o', `select ${w.institutionOf('o')} from o`],
        [
          'update',
          'referencing old table as o new table as n',
          `select ${w.institutionOf('o')} from o union select ${w.institutionOf('n')} from n`,
        ],
      ];
      for (const [event, referencing, institutions] of events) {
        const name = `calendar_version_${w.table}_${event}`;
        await db.raw(`create function ${name}() returns trigger language plpgsql as $$
          begin
            ${bump(`institution_id in (${institutions})`)}
            return null;
          end $$`);
        await db.raw(`create trigger ${name} after ${event} on ${w.table} ${referencing}
          for each statement execute function ${name}()`);
      }
    }
    await db.raw(`create function calendar_version_everywhere() returns trigger language plpgsql as $$
      begin
        ${bump('true')}
        return null;
      end $$`);
    for (const t of everywhere)
      await db.raw(`create trigger calendar_version_${t} after insert or update or delete on ${t}
        for each statement execute function calendar_version_everywhere()`);
  } else {
    await db.raw(`create trigger calendar_version_institution after insert on institutions begin
      insert into calendar_versions (institution_id, version) values (NEW.id, 0) on conflict do nothing;
    end`);
    for (const w of watched) for (const sql of calendarTriggersSqlite(w)) await db.raw(sql);
    for (const t of everywhere)
      for (const event of ['insert', 'update', 'delete'])
        await db.raw(`create trigger calendar_version_${t}_${event} after ${event} on ${t} begin
          ${bump('1')}
        end`);
  }
}

export async function down(db: Knex): Promise<void> {
  if (isPg(db)) {
    await db.raw('drop trigger if exists calendar_version_institution on institutions');
    await db.raw('drop function if exists calendar_version_institution()');
    for (const w of watched)
      for (const event of ['insert', 'delete', 'update']) {
        await db.raw(`drop trigger if exists calendar_version_${w.table}_${event} on ${w.table}`);
        await db.raw(`drop function if exists calendar_version_${w.table}_${event}()`);
      }
    for (const t of everywhere) await db.raw(`drop trigger if exists calendar_version_${t} on ${t}`);
    await db.raw('drop function if exists calendar_version_everywhere()');
  } else {
    await db.raw('drop trigger if exists calendar_version_institution');
    for (const t of [...watched.map((w) => w.table), ...everywhere])
      for (const event of ['insert', 'update', 'delete'])
        await db.raw(`drop trigger if exists calendar_version_${t}_${event}`);
  }
  await db.raw('drop table if exists calendar_versions');
}
