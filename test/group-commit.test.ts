/**
 * Group commit (issue 11): concurrent writes share one transaction, a savepoint each; each one's
 * success or refusal is its own, success is answered after COMMIT, and Saves stay exact.
 */
import { makeTestApp, loginAs, type TestApp } from './helpers';
import { demoIds, holdCardioConsult, save } from './booking-helpers';
import { groupWrite } from '../src/lib/group-commit';
import { Conflict } from '../src/lib/errors';
import { onPostgres } from './test-db';
import { fixtures } from './fixtures';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp({ demo: true });
});
afterEach(() => t.db.destroy());

function recordSql() {
  const sql: string[] = [];
  const listen = (q: { sql: string }) => sql.push(q.sql);
  t.db.on('query', listen);
  return { sql, stop: () => t.db.removeListener('query', listen) };
}
const metaKey = (k: string) => t.db('app_meta').insert({ key: k, value: 'v' });
const keys = async () =>
  (await t.db('app_meta').select('key').where('key', 'like', 'gc-%').orderBy('key')).map(
    (r: { key: string }) => r.key,
  );

// SQLite batches concurrent writes; on PostgreSQL each work is its own transaction.
(onPostgres ? describe.skip : describe)('groupWrite', () => {
  it('runs concurrent works in one transaction with a savepoint each; a refusal rolls back only its own', async () => {
    const rec = recordSql();
    const results = await Promise.allSettled([
      groupWrite(t.db, async (trx) => (await metaKey('gc-1').transacting(trx), 1)),
      groupWrite(t.db, async (trx) => (await metaKey('gc-2').transacting(trx), 2)),
      groupWrite(t.db, async (trx) => {
        await metaKey('gc-3').transacting(trx);
        throw new Conflict('refused');
      }),
      // A primary-key violation (gc-1 exists in this batch): refused on its own too.
      groupWrite(t.db, async (trx) => {
        await metaKey('gc-4').transacting(trx);
        await metaKey('gc-1').transacting(trx);
      }),
      groupWrite(t.db, async (trx) => (await metaKey('gc-5').transacting(trx), 5)),
    ]);
    rec.stop();
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
    ]);
    expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(Conflict);
    expect((results[3] as PromiseRejectedResult).reason).toMatchObject({
      code: expect.stringMatching(/SQLITE_CONSTRAINT/),
    });
    expect(await keys()).toEqual(['gc-1', 'gc-2', 'gc-5']);
    // The first starts at once alone; the four that arrived meanwhile share the next commit.
    expect(rec.sql.filter((s) => /^BEGIN/i.test(s))).toHaveLength(2);
    expect(rec.sql.filter((s) => /^COMMIT/i.test(s))).toHaveLength(2);
    // The four of the second batch each in a savepoint (the lone first one needs none).
    expect(rec.sql.filter((s) => /^SAVEPOINT/i.test(s))).toHaveLength(4);
  });

  it('answers only after COMMIT: each caller hears of success once its batch has committed', async () => {
    const rec = recordSql();
    const commitsSeen = () => rec.sql.filter((q) => /^COMMIT/i.test(q)).length;
    const seen = await Promise.all(
      ['gc-a', 'gc-b', 'gc-c'].map((k) =>
        groupWrite(t.db, (trx) => metaKey(k).transacting(trx)).then(commitsSeen),
      ),
    );
    rec.stop();
    // gc-a alone in the first batch; gc-b and gc-c together in the second.
    expect(seen).toEqual([1, 2, 2]);
    expect(await keys()).toEqual(['gc-a', 'gc-b', 'gc-c']);
  });

  it('rolls back the whole batch on an unexpected error and tells every caller in it', async () => {
    await groupWrite(t.db, (trx) => metaKey('gc-0').transacting(trx));
    const first = groupWrite(t.db, (trx) => metaKey('gc-first').transacting(trx));
    const batch = [
      groupWrite(t.db, (trx) => metaKey('gc-x').transacting(trx)),
      groupWrite(t.db, () => Promise.reject(new Error('disk on fire'))),
      groupWrite(t.db, (trx) => metaKey('gc-y').transacting(trx)),
    ];
    await first;
    const settled = await Promise.allSettled(batch);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const s of settled)
      expect((s as PromiseRejectedResult).reason).toMatchObject({ message: 'disk on fire' });
    expect(await keys()).toEqual(['gc-0', 'gc-first']);
    // The queue keeps working afterwards.
    await groupWrite(t.db, (trx) => metaKey('gc-z').transacting(trx));
    expect(await keys()).toEqual(['gc-0', 'gc-first', 'gc-z']);
  });
});

describe('concurrent Saves', () => {
  it('books every distinct hold once, with its audit entry, and answers each after its commit', async () => {
    const ids = await demoIds(t.db);
    const desks: Awaited<ReturnType<typeof loginAs>>[] = [];
    for (let i = 0; i < 6; i++) desks.push(await loginAs(t.app, 'desk'));
    const holds: string[] = [];
    for (const d of desks) holds.push((await holdCardioConsult(t.db, d, ids, { partner: ids.alfa })).token);
    // A patient per desk: one patient at overlapping times would meet the overlap warning (409),
    // which depends on which slots are free today and is not what this test is about.
    const patients: number[] = [];
    for (let i = 0; i < desks.length; i++)
      patients.push(await fixtures.patient(t.db, 'Group', `Desk${i}`, { id_number: `GROUP${i}` }));
    const rec = recordSql();
    // Every desk saves; the first one double-clicks (same token twice).
    const answers = await Promise.all([
      ...desks.map((d, i) => save(d, holds[i], patients[i])),
      save(desks[0], holds[0], patients[0]),
    ]);
    rec.stop();
    expect(answers.map((a) => a.status)).toEqual(Array(7).fill(303));
    expect(answers[6].headers.location).toBe(answers[0].headers.location);
    const bookings = await t.db('bookings').whereIn('idempotency_key', holds).select('id');
    expect(bookings).toHaveLength(6);
    const audited = await t
      .db('audit_log')
      .where({ action: 'booking.created' })
      .whereIn(
        'entity_id',
        bookings.map((b: { id: number }) => b.id),
      )
      .count({ n: '*' })
      .first();
    expect(audited).toEqual({ n: 6 });
    expect(await t.db('holds').whereIn('token', holds).count({ n: '*' }).first()).toEqual({ n: 0 });
    expect(rec.sql.filter((s) => /^insert into [`"]bookings[`"]/i.test(s))).toHaveLength(6);
  });
});
