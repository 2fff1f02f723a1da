/** PRAGMA optimize (issue 11): statistics for a table that grew are made by optimizeStatistics. */
import { makeTestApp, type TestApp } from './helpers';
import { fixtures } from './fixtures';
import { optimizeStatistics } from '../src/lib/maintenance.queries';
import { onPostgres } from './test-db';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp({ demo: true });
});
afterEach(() => t.db.destroy());

/** SQLite's planner and PRAGMAs (PostgreSQL's plans: bench/pg-explain.ts). */
const sqliteOnly = onPostgres ? it.skip : it;

sqliteOnly('analyses a table that grew since the last statistics', async () => {
  const patientStats = () => t.db('sqlite_stat1').where({ tbl: 'patients' }).select('idx', 'stat');
  await t.db('sqlite_stat1').where({ tbl: 'patients' }).del();
  for (let i = 0; i < 300; i++) await fixtures.patient(t.db, `Family${i}`, 'Given');
  expect(await patientStats()).toEqual([]);
  await optimizeStatistics(t.db);
  const stats = await patientStats();
  expect(stats.map((s: { idx: string }) => s.idx)).toContain('patients_search_name_index');
  expect(stats.find((s: { idx: string }) => s.idx === 'patients_search_name_index')!.stat).toMatch(/^3\d\d /);
});
