/**
 * Query shapes of issue 11, checked with EXPLAIN QUERY PLAN on a migrated SQLite database: the
 * name search reads an index range in index order (no temp B-tree before LIMIT), the calendar's
 * slot query is one seek per doctor on slots_calendar_index (migration 018) with no sort.
 */
import { makeTestApp, type TestApp } from './helpers';
import { demoIds } from './booking-helpers';
import { searchPatients } from '../src/patients/patients.service';
import { slotRows } from '../src/booking/booking.queries';
import { loadCurrentUser } from '../src/users/users.queries';
import { onPostgres } from './test-db';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp({ demo: true });
});
afterEach(() => t.db.destroy());

/** The plans of every statement `run` issues. */
async function plans(run: () => Promise<unknown>): Promise<{ sql: string; plan: string }[]> {
  const seen: { sql: string; bindings: unknown[] }[] = [];
  const listen = (q: { sql: string; bindings?: unknown[] }) =>
    seen.push({ sql: q.sql, bindings: q.bindings ?? [] });
  t.db.on('query', listen);
  await run();
  t.db.removeListener('query', listen);
  const out = [];
  for (const q of seen) {
    const rows: { detail: string }[] = await t.db.raw(`explain query plan ${q.sql}`, q.bindings as never[]);
    out.push({ sql: q.sql, plan: rows.map((r) => r.detail).join('\n') });
  }
  return out;
}

/** SQLite's planner and PRAGMAs (PostgreSQL's plans: bench/pg-explain.ts). */
const sqliteOnly = onPostgres ? it.skip : it;

sqliteOnly('searches each name column by index range, in index order', async () => {
  const row = await t.db('users').select('id').where({ username: 'desk' }).first();
  const desk = (await loadCurrentUser(t.db, row.id))!;
  const name = (await plans(() => searchPatients(t.db, desk, 'kov'))).filter((p) =>
    /from `patients`/.test(p.sql),
  );
  expect(name).toHaveLength(2);
  expect(name[0].plan).toMatch(/SEARCH patients USING INDEX patients_search_name_index/);
  expect(name[1].plan).toMatch(/SEARCH patients USING INDEX patients_search_name_reversed_index/);
  for (const p of name) expect(p.plan).not.toMatch(/TEMP B-TREE|MULTI-INDEX/);
});

sqliteOnly('reads the calendar week off slots_calendar_index without sorting', async () => {
  const ids = await demoIds(t.db);
  const doctors = (await t.db('doctor_services').select('doctor_id').where({ institution_id: ids.buda })).map(
    (r: { doctor_id: number }) => r.doctor_id,
  );
  const [slots] = await plans(() =>
    slotRows(t.db, {
      institutionId: ids.buda,
      doctorIds: doctors,
      from: '2030-01-07',
      to: '2030-01-13',
      nowIso: t.clock.nowIso(),
    }),
  );
  expect(slots.plan).toMatch(
    /SEARCH sl USING INDEX slots_calendar_index \(doctor_id=\? AND institution_id=\? AND local_date>\? AND local_date<\?\)/,
  );
  expect(slots.plan).not.toMatch(/TEMP B-TREE/);
});
