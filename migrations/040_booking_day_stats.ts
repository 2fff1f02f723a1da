import type { Knex } from 'knex';

/**
 * Per-day summary of bookings for the traffic statistics (issue 11: <= 200 ms for a year over a
 * million bookings, any grouping). A report used to read every booking of its period: a year is
 * 1,000,000 rows, 450-1,200 ms on SQLite even from a covering index (the GROUP BY on a dimension
 * sorts all of them in a temp B-tree). This table holds one row per date basis (appointment date
 * or booking date) x day x institution x channel x partner x service x doctor with the figures the
 * report sums, so a year is ~150k rows (fewer the narrower the filters).
 *
 * It is kept exact by database triggers on bookings (insert, delete, and update of any column a
 * figure depends on: create, cancel, late cancel, move, attendance marks, undo all go through
 * them), in the same transaction as the change, on SQLite and PostgreSQL alike; nothing in the
 * application writes it. partner_key is the partner id or 0 (a key column cannot be NULL in a
 * unique key on both engines). A group whose bookings went to 0 (everything moved away) stays as a
 * row of zeros; the reader skips it (HAVING sum(bookings) > 0).
 */
const key = ['basis', 'day', 'institution_id', 'channel_id', 'partner_key', 'service_id', 'doctor_id'];
const figures = [
  'bookings',
  'cancellations',
  'late_cancellations',
  'no_shows',
  'revenue_minor',
  'commission_minor',
  'no_show_revenue_minor',
];

/** Each figure of one booking row `r` (NEW, OLD or a table alias), the same on both engines. */
function contributions(r: string): string[] {
  const booked = `${r}.status = 'booked'`;
  const noShow = `${booked} and ${r}.attendance = 'no_show'`;
  return [
    '1',
    `case when ${r}.status = 'cancelled' then 1 else 0 end`,
    `case when ${r}.status = 'cancelled' and ${r}.late_cancellation then 1 else 0 end`,
    `case when ${noShow} then 1 else 0 end`,
    `case when ${booked} then ${r}.price_minor else 0 end`,
    // A cancelled booking (late or not) and a no-show earn no commission (issues 16, 17).
    `case when ${booked} and (${r}.attendance is null or ${r}.attendance <> 'no_show') then ${r}.commission_minor else 0 end`,
    `case when ${noShow} then ${r}.price_minor else 0 end`,
  ];
}

const bases = [
  ['appointment', 'local_date'],
  ['booking', 'created_local_date'],
] as const;

/** Adds (sign 1) or takes away (sign -1) one booking row's figures, for one date basis. */
function upsert(r: 'NEW' | 'OLD', sign: 1 | -1, basis: string, dateColumn: string): string {
  const values = [
    `'${basis}'`,
    `${r}.${dateColumn}`,
    `${r}.institution_id`,
    `${r}.channel_id`,
    `coalesce(${r}.partner_id, 0)`,
    `${r}.service_id`,
    `${r}.doctor_id`,
    ...contributions(r).map((c) => (sign === 1 ? c : `-(${c})`)),
  ];
  return `insert into booking_day_stats (${[...key, ...figures].join(', ')}) values (${values.join(', ')})
    on conflict (${key.join(', ')}) do update set ${figures
      .map((f) => `${f} = booking_day_stats.${f} + excluded.${f}`)
      .join(', ')};`;
}

const apply = (r: 'NEW' | 'OLD', sign: 1 | -1) =>
  bases.map(([basis, column]) => upsert(r, sign, basis, column)).join('\n');

/** The booking columns a figure or a key depends on: an update of anything else changes nothing here. */
const watched = [
  'status',
  'attendance',
  'late_cancellation',
  'local_date',
  'created_local_date',
  'institution_id',
  'channel_id',
  'partner_id',
  'service_id',
  'doctor_id',
  'price_minor',
  'commission_minor',
].join(', ');

const isPg = (db: Knex) => /^(pg|postgres|postgresql)$/.test(String(db.client.config.client));

export async function up(db: Knex): Promise<void> {
  const columns = `basis varchar(11) not null check (basis in ('appointment', 'booking')),
    day varchar(10) not null,
    institution_id integer not null,
    channel_id integer not null,
    partner_key integer not null,
    service_id integer not null,
    doctor_id integer not null,
    ${figures.map((f) => `${f} ${f.endsWith('_minor') ? 'bigint' : 'integer'} not null default 0`).join(',\n    ')},
    primary key (${key.join(', ')})`;
  // On SQLite the table is its primary key's B-tree (WITHOUT ROWID): a period is one ordered range read.
  await db.raw(`create table booking_day_stats (${columns})${isPg(db) ? '' : ' without rowid'}`);

  for (const [basis, column] of bases) {
    const sums = contributions('b').map((c, i) => `sum(${c}) as ${figures[i]}`);
    await db.raw(
      `insert into booking_day_stats (${[...key, ...figures].join(', ')})
       select '${basis}', b.${column}, b.institution_id, b.channel_id, coalesce(b.partner_id, 0), b.service_id, b.doctor_id,
         ${sums.join(', ')}
       from bookings b
       group by b.${column}, b.institution_id, b.channel_id, coalesce(b.partner_id, 0), b.service_id, b.doctor_id`,
    );
  }

  if (isPg(db)) {
    await db.raw(`create or replace function booking_day_stats_sync() returns trigger language plpgsql as $$
      begin
        if tg_op in ('UPDATE', 'DELETE') then
          ${apply('OLD', -1)}
        end if;
        if tg_op in ('INSERT', 'UPDATE') then
          ${apply('NEW', 1)}
        end if;
        return null;
      end $$`);
    await db.raw(`create trigger booking_day_stats_sync after insert or delete or update of ${watched}
      on bookings for each row execute function booking_day_stats_sync()`);
  } else {
    await db.raw(`create trigger booking_day_stats_insert after insert on bookings begin
      ${apply('NEW', 1)}
    end`);
    await db.raw(`create trigger booking_day_stats_delete after delete on bookings begin
      ${apply('OLD', -1)}
    end`);
    await db.raw(`create trigger booking_day_stats_update after update of ${watched} on bookings begin
      ${apply('OLD', -1)}
      ${apply('NEW', 1)}
    end`);
  }
}

export async function down(db: Knex): Promise<void> {
  if (isPg(db)) {
    await db.raw('drop trigger if exists booking_day_stats_sync on bookings');
    await db.raw('drop function if exists booking_day_stats_sync()');
  } else {
    for (const t of ['insert', 'delete', 'update'])
      await db.raw(`drop trigger if exists booking_day_stats_${t}`);
  }
  await db.raw('drop table if exists booking_day_stats');
}
