/** The audit log is append-only at the database (issue 15, finding 10): triggers refuse changes. */
import type { Knex } from 'knex';
import { audit } from '../src/lib/audit';
import { systemClock } from '../src/lib/clock';
import { openTestDb } from './test-db';

let db: Knex;
beforeEach(async () => {
  db = await openTestDb();
  await audit(db, systemClock, {
    actor: null,
    username: 'someone',
    action: 'login.failed',
    details: { reason: 'test' },
  });
});
afterEach(() => db.destroy());

/**
 * Matched by message, not with toThrow: better-sqlite3's native addon keeps the SqliteError class
 * of the first test file a jest worker loaded, so in later files it is not `instanceof Error` of
 * their realm and toThrow reports "did not throw".
 */
const refused = { message: expect.stringMatching(/audit_log is append-only/) };

describe('audit_log', () => {
  it('refuses UPDATE and DELETE at the database, and still takes new entries', async () => {
    const before = await db('audit_log').select('*').orderBy('id');
    expect(before).toHaveLength(1);
    await expect(db('audit_log').update({ action: 'login.succeeded' })).rejects.toMatchObject(refused);
    await expect(db('audit_log').where({ id: before[0].id }).del()).rejects.toMatchObject(refused);
    await expect(db.raw('delete from audit_log')).rejects.toMatchObject(refused);
    expect(await db('audit_log').select('*').orderBy('id')).toEqual(before);
    await audit(db, systemClock, { actor: null, username: 'someone', action: 'login.failed' });
    expect(await db('audit_log').count({ n: '*' }).first()).toEqual({ n: 2 });
  });
});
