/**
 * Rolling sessions without a write per request (issue 11): a request does not write the session
 * row while the stored expiry is recent; after the threshold the expiry is extended again.
 */
import { makeTestApp, loginAs, type TestApp } from './helpers';
import { TouchThrottle, touchAfterMs } from '../src/auth/session-touch';

let t: TestApp;
afterEach(async () => {
  jest.useRealTimers();
  await t?.db.destroy();
});

/** Fake only Date (sockets, timers and the database keep running for real). */
function fakeDate(at: number) {
  jest.useFakeTimers({
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
    now: at,
  });
}

describe('TouchThrottle', () => {
  it('asks for a write when nothing was written, and again once the new expiry is afterMs later', () => {
    const th = new TouchThrottle(60_000);
    expect(th.due('a', 1_000_000)).toBe(true);
    th.wrote('a', 1_000_000);
    expect(th.due('a', 1_000_000 + 59_999)).toBe(false);
    expect(th.due('a', 1_000_000 + 60_000)).toBe(true);
    expect(th.due('b', 1_000_000)).toBe(true);
    th.forget('a');
    expect(th.due('a', 1_000_001)).toBe(true);
    // A cookie without expiry (browser session) is always written through.
    expect(th.due('a', null)).toBe(true);
  });

  it('keeps a bounded number of sessions', () => {
    const th = new TouchThrottle(60_000, 4);
    for (let i = 0; i < 10; i++) th.wrote(`s${i}`, 1000);
    expect(th.due('s9', 1000)).toBe(false);
    expect(th.due('s0', 1000)).toBe(true);
  });

  it('waits a tenth of the session, at most 5 minutes', () => {
    expect(touchAfterMs(12 * 3600_000)).toBe(5 * 60_000);
    expect(touchAfterMs(10 * 60_000)).toBe(60_000);
  });
});

/** The stored expiry as ISO text (SQLite keeps the text, PostgreSQL a timestamp). */
async function storedExpiry(): Promise<string> {
  return new Date((await t.db('sessions').first('expired')).expired).toISOString();
}

describe('rolling session over HTTP', () => {
  const updates = (sql: string[]) => sql.filter((s) => /^update [`"]sessions[`"]/i.test(s));

  it('does not write the session row on requests soon after the last write', async () => {
    t = await makeTestApp({ staff: true });
    const u = await loginAs(t.app, 'desk');
    const before = await t.db('sessions').select('sid', 'expired');
    expect(before).toHaveLength(1);
    const sql: string[] = [];
    const listen = (q: { sql: string }) => sql.push(q.sql);
    t.db.on('query', listen);
    for (let i = 0; i < 3; i++) expect((await u.agent.get('/')).status).toBe(200);
    t.db.removeListener('query', listen);
    expect(updates(sql)).toEqual([]);
    expect(sql.some((s) => /insert into [`"]sessions[`"]|replace into/i.test(s))).toBe(false);
    expect(await t.db('sessions').select('sid', 'expired')).toEqual(before);
  });

  it('extends the stored expiry once the threshold has passed, and the session stays logged in', async () => {
    const start = Date.parse('2031-03-03T09:00:00Z');
    fakeDate(start);
    t = await makeTestApp({ staff: true, config: { sessionHours: 12 } });
    const u = await loginAs(t.app, 'desk');
    const first = await storedExpiry();
    expect(Date.parse(first)).toBeGreaterThanOrEqual(start + 12 * 3600_000);

    jest.setSystemTime(start + 4 * 60_000);
    expect((await u.agent.get('/')).status).toBe(200);
    expect(await storedExpiry()).toBe(first);

    jest.setSystemTime(start + 6 * 60_000);
    expect((await u.agent.get('/')).status).toBe(200);
    const extended = Date.parse(await storedExpiry());
    expect(extended).toBeGreaterThanOrEqual(start + 6 * 60_000 + 12 * 3600_000);
    expect(extended).toBeLessThan(start + 7 * 60_000 + 12 * 3600_000);

    // Idle timeout: past the stored expiry the session has ended.
    jest.setSystemTime(extended + 1000);
    const late = await u.agent.get('/');
    expect(late.status).toBe(302);
    expect(late.headers.location).toMatch(/^\/login/);
  });
});
