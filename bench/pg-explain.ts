/**
 * EXPLAIN of the patient search and the calendar queries on PostgreSQL at 1M patients.
 *
 *   npx tsx bench/pg-explain.ts 'postgresql://root@/postgres?host=/var/run/postgresql' [--patients 1000000]
 *
 * Builds (once; kept for the next run) a database clinic_bench_pg_<patients> on that server with
 * the project's migrations, 5 institutions, 200 doctors, a year of 30-minute slots (~1M), the
 * patients (Hungarian family and given names, folded search columns), a booking on every third
 * slot, then runs the application's own query functions, captures their SQL, and prints
 * EXPLAIN (ANALYZE, BUFFERS) of each.
 */
import type { Knex } from 'knex';
import knex from 'knex';
import { openDb, migrate } from '../src/lib/db';
import { nameKeys, patientsByNamePrefix } from '../src/patients/patients.queries';
import { slotRows } from '../src/booking/booking.queries';
import { freeSlotsAfter } from '../src/booking/first-free.queries';
import { foldName } from '../src/lib/text';
import { families, givens } from './build';

const server = process.argv[2];
const patients = Number(process.argv[process.argv.indexOf('--patients') + 1] || 1_000_000) || 1_000_000;
if (!server || !/^postgres(ql)?:\/\//.test(server)) {
  console.error('Usage: npx tsx bench/pg-explain.ts POSTGRES_SERVER_URL [--patients N]');
  process.exit(2);
}

function urlOf(name: string): string {
  const m = /^(postgres(?:ql)?:\/\/[^/?]*)(\/[^?]*)?(\?.*)?$/.exec(server)!;
  return `${m[1]}/${name}${m[3] ?? ''}`;
}

async function build(db: Knex): Promise<void> {
  await migrate(db);
  await db.raw('set statement_timeout = 0'); // the pool has one connection: this session
  const now = '2026-01-01T00:00:00.000Z';
  await db.raw(
    `insert into institutions (name, address, time_zone, active, created_at)
    select 'Institution ' || g, '', 'Europe/Budapest', true, ? from generate_series(1, 5) g`,
    [now],
  );
  await db.raw(
    `insert into doctors (name, active) select 'Doctor ' || g, true from generate_series(1, 200) g`,
  );
  // A year of weekday 08:00-12:00 UTC slots, 30 minutes, each doctor at institution 1 + id % 5.
  await db.raw(
    `insert into slots (doctor_id, institution_id, starts_at, ends_at, local_date, status, created_at)
    select d.id, 1 + d.id % 5,
           to_char(t, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), to_char(t + interval '30 minutes', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           to_char(t, 'YYYY-MM-DD'), 'open', ?
      from doctors d,
           generate_series(timestamp '2026-01-01 08:00', timestamp '2026-12-31 11:30', interval '30 minutes') t
     where extract(isodow from t) < 6 and t::time between '08:00' and '11:30'`,
    [now],
  );
  await db.raw(`create temp table fam (i int, name text, folded text)`);
  await db.raw(`create temp table giv (i int, name text, folded text)`);
  for (const [i, f] of families.entries())
    await db.raw('insert into fam values (?, ?, ?)', [i, f, foldName(f)]);
  for (const [i, g] of givens.entries())
    await db.raw('insert into giv values (?, ?, ?)', [i, g, foldName(g)]);
  await db.raw(
    `insert into patients (family_name, given_name, search_name, search_name_reversed, birth_date, id_type, id_number, created_at)
    select f.name, g.name, f.folded || ' ' || g.folded, g.folded || ' ' || f.folded,
           to_char(date '1940-01-01' + ((n::bigint * 7919) % 29000)::int, 'YYYY-MM-DD'), 'taj', lpad(n::text, 9, '0'), ?
      from generate_series(1, ?) n
      join fam f on f.i = (n::bigint * 2654435761) % ${families.length}
      join giv g on g.i = (n / 7) % ${givens.length}`,
    [now, patients],
  );
  await db.raw(
    `insert into users (username, display_name, password_hash, active, all_institutions, created_at, updated_at)
    values ('bench', 'Bench', 'x', true, true, ?, ?)`,
    [now, now],
  );
  await db.raw(`insert into qualifications (name, active) values ('General', true)`);
  await db.raw(
    `insert into services (qualification_id, name, duration_minutes, price_minor, active) values (1, 'Consultation', 30, 10000, true)`,
  );
  const channel = (await db('traffic_channels').where({ code: 'reception' }).first()).id;
  await db.raw(
    `insert into bookings (institution_id, doctor_id, service_id, patient_id, channel_id, created_by_user_id,
      starts_at, ends_at, local_date, created_local_date, price_minor, commission_minor, status, idempotency_key, created_at)
    select s.institution_id, s.doctor_id, 1, 1 + (s.id * 7) % ?, ?, 1, s.starts_at, s.ends_at, s.local_date, s.local_date,
           10000, 0, 'booked', 'k' || s.id, ?
      from slots s where s.id % 3 = 0`,
    [patients, channel, now],
  );
  await db.raw(`insert into booking_slots (booking_id, slot_id)
    select b.id, substr(b.idempotency_key, 2)::int from bookings b`);
  await db.raw(
    `insert into slot_occupancies (slot_id, booking_id) select slot_id, booking_id from booking_slots`,
  );
  await db.raw('analyze');
}

async function explain(db: Knex, label: string, run: () => Promise<unknown>): Promise<void> {
  let captured: { sql: string; bindings: readonly unknown[] } | null = null;
  const listener = (q: { sql: string; bindings: readonly unknown[] }) => (captured ??= q);
  db.on('query', listener);
  await run();
  db.off('query', listener);
  const q = captured as { sql: string; bindings: readonly unknown[] } | null;
  if (!q) throw new Error(`no query captured for ${label}`);
  // knex's pg client numbers placeholders $1..; EXPLAIN takes the same bindings.
  const plan = await db.raw(
    `explain (analyze, buffers) ${q.sql.replace(/\$(\d+)/g, '?')}`,
    q.bindings as Knex.RawBinding[],
  );
  console.log(
    `\n== ${label}\n${q.sql}\n${(plan.rows as { 'QUERY PLAN': string }[]).map((r) => r['QUERY PLAN']).join('\n')}`,
  );
}

async function main(): Promise<void> {
  const name = `clinic_bench_pg_${patients}`;
  const admin = knex({ client: 'pg', connection: { connectionString: server }, pool: { min: 0, max: 1 } });
  const exists = (await admin.raw('select 1 from pg_database where datname = ?', [name])).rows.length > 0;
  if (!exists) await admin.raw(`create database "${name}"`);
  await admin.destroy();
  const db = openDb(urlOf(name), { poolMax: 1 });
  try {
    if (!exists || !(await db('patients').first('id'))) {
      const t = performance.now();
      await build(db);
      console.log(`built ${name} in ${((performance.now() - t) / 1000).toFixed(0)} s`);
    }
    const counts = await db.raw(
      `select (select count(*) from patients) patients, (select count(*) from slots) slots, (select count(*) from bookings) bookings`,
    );
    console.log('rows', counts.rows[0]);
    // The search runs one index-ordered range query per name column and merges them in JS.
    for (const prefix of ['kovacs', 'kovacs lasz', 'laszlo nag', 'szu'])
      for (const key of nameKeys)
        await explain(db, `patient search "${prefix}" on ${key} (clinic user, limit 20)`, () =>
          patientsByNamePrefix(db, { kind: 'all' }, key, foldName(prefix), 20),
        );
    const doctorIds = (await db('doctors').where('id', '<=', 10).pluck('id')).filter(
      (id: number) => 1 + (id % 5) === 2,
    );
    await explain(db, 'calendar week: institution 2, its doctors among 1-10, 2026-06-01..07', () =>
      slotRows(db, {
        institutionId: 2,
        doctorIds,
        from: '2026-06-01',
        to: '2026-06-07',
        nowIso: '2026-05-31T00:00:00.000Z',
      }),
    );
    // Issue 16: First free slots, one batch of the time-ordered read over the institution's doctors.
    const institutionDoctors = (await db('doctors').pluck('id')).filter((id: number) => 1 + (id % 5) === 2);
    await explain(
      db,
      `first free slots: institution 2, its ${institutionDoctors.length} doctors, from 2026-06-01, batch 200`,
      () =>
        freeSlotsAfter(db, {
          institutionId: 2,
          doctorIds: institutionDoctors,
          after: { startsAt: '2026-06-01T00:00:00.000Z', id: 2_147_483_647 },
          before: '2026-08-30T00:00:00.000Z',
          nowIso: '2026-06-01T00:00:00.000Z',
          limit: 200,
        }),
    );
  } finally {
    await db.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
