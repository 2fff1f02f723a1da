/**
 * Group commit (issue 11): write transactions that arrive while one is committing are run
 * together in the next one, each inside its own SAVEPOINT, so a batch costs one COMMIT (one
 * fsync with synchronous=FULL) instead of one per request. Every guarantee of a lone
 * writeTransaction stays:
 * - each work's outcome is its own: a work that throws is rolled back to its savepoint (nothing
 *   of it is written) and only its caller gets the error; the others go on;
 * - a caller hears of success only after the batch's COMMIT returned (its rows are on disk);
 *   if the COMMIT fails, every caller in the batch gets that error (nothing was written);
 * - an unexpected error (not an AppError, not a constraint violation; e.g. a full disk, after
 *   which SQLite may have rolled the whole transaction back) ends the batch: it is rolled back
 *   and every caller in it gets that error, rather than running later works outside a transaction.
 * The first work to arrive starts at once (no added wait when idle). SQLite only: it has one
 * writer anyway (pool of one connection); on PostgreSQL every work is its own writeTransaction.
 */
import type { Knex } from 'knex';
import { isForeignKeyViolation, isSqlite, isUniqueViolation, writeTransaction } from './db';
import { AppError } from './errors';

type Work<T> = (trx: Knex.Transaction) => Promise<T>;
type Entry = {
  work: Work<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
};
type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };
type Queue = { pending: Entry[]; running: boolean };

/** At most this many works share one transaction (bounds the time the write lock is held). */
export const MAX_BATCH = 64;

const queues = new WeakMap<Knex, Queue>();

/** The errors a work may end with while its batch goes on: its own refusals and races. */
function isOwnError(err: unknown): boolean {
  return err instanceof AppError || isUniqueViolation(err) || isForeignKeyViolation(err);
}

class BatchAborted extends Error {
  constructor(readonly inner: unknown) {
    super('batch aborted');
  }
}

/** Runs `work` in a write transaction shared with concurrent callers (its own savepoint). */
export function groupWrite<T>(db: Knex, work: Work<T>): Promise<T> {
  if (!isSqlite(db)) return writeTransaction(db, work);
  let queue = queues.get(db);
  if (!queue) {
    queue = { pending: [], running: false };
    queues.set(db, queue);
  }
  const q = queue;
  return new Promise<T>((resolve, reject) => {
    q.pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
    if (!q.running) void drain(db, q);
  });
}

async function drain(db: Knex, q: Queue): Promise<void> {
  q.running = true;
  try {
    while (q.pending.length > 0) {
      const batch = q.pending.splice(0, MAX_BATCH);
      const outcomes: Outcome[] = [];
      try {
        await writeTransaction(db, async (trx) => {
          // Alone in its batch, a work needs no savepoint: its failure rolls back the transaction.
          if (batch.length === 1) {
            try {
              outcomes.push({ ok: true, value: await batch[0].work(trx) });
              return;
            } catch (error) {
              if (!isOwnError(error)) throw new BatchAborted(error);
              outcomes.push({ ok: false, error });
              throw error;
            }
          }
          for (const entry of batch) {
            try {
              // A nested knex transaction is a SAVEPOINT, rolled back to if the work throws.
              outcomes.push({ ok: true, value: await trx.transaction((sp) => entry.work(sp)) });
            } catch (error) {
              if (!isOwnError(error)) throw new BatchAborted(error);
              outcomes.push({ ok: false, error });
            }
          }
        });
      } catch (err) {
        const error = err instanceof BatchAborted ? err.inner : err;
        // Nothing of this batch was written: refusals keep their own answer, the rest get the error.
        batch.forEach((entry, i) => {
          const o = outcomes[i];
          entry.reject(o && !o.ok ? o.error : error);
        });
        continue;
      }
      batch.forEach((entry, i) => {
        const o = outcomes[i];
        if (o.ok) entry.resolve(o.value);
        else entry.reject(o.error);
      });
    }
  } finally {
    q.running = false;
  }
}
