import type { Knex } from 'knex';
import { isSqlite } from './db';

/**
 * Keeps the query planner's statistics fresh (issue 11): SQLite's `PRAGMA optimize` runs ANALYZE
 * on the tables whose statistics are missing or out of date (cheap when they are not; limited
 * to a bounded amount of work). 0x10002 also checks tables not used since the last run, so a
 * long-running server analyses everything that grew. PostgreSQL analyses on its own (autovacuum).
 */
export async function optimizeStatistics(db: Knex): Promise<void> {
  if (!isSqlite(db)) return;
  await db.raw('PRAGMA analysis_limit = 1000');
  await db.raw('PRAGMA optimize = 0x10002');
}
