/**
 * The week cache (issue 11): a calendar drawn once is served again without reading the week,
 * and is never stale: any change to what it shows, made by the app or straight in the database
 * (another instance, a CLI), moves the institution's calendar version (migration 041's
 * triggers); what changes by time alone (a slot starting, a hold expiring) ends the entry at
 * that moment. On both engines.
 */
import { FixedClock } from '../src/lib/clock';
import { WeekCache } from '../src/booking/week-cache';
import { changesByTimeAt } from '../src/booking/week';
import { watched } from '../migrations/041_calendar_versions';
import type { SlotRow } from '../src/booking/calendar';
import { makeTestApp, loginAs, type TestApp, type LoggedIn } from './helpers';
import { freeSlotIds, reserve, tokenOf } from './booking-helpers';
import { bookSlots, deskClinic, slotAt, type DeskClinic } from './desk-fixtures';
import { fixtures } from './fixtures';

describe('WeekCache', () => {
  it('gives an entry back only at its version and before its end, and keeps within its bytes', () => {
    const cache = new WeekCache<string>(1000, 60_000);
    cache.set('a', 1, 5_000, 0, 'week a', 400);
    expect(cache.get('a', 1, 4_999)).toBe('week a');
    expect(cache.get('a', 2, 1_000)).toBeUndefined(); // another version: gone
    expect(cache.size).toEqual({ entries: 0, bytes: 0 });

    cache.set('a', 1, 5_000, 0, 'week a', 400);
    expect(cache.get('a', 1, 5_000)).toBeUndefined(); // its end reached

    cache.set('b', 1, Infinity, 0, 'week b', 400);
    expect(cache.get('b', 1, 59_999)).toBe('week b');
    expect(cache.get('b', 1, 60_000)).toBeUndefined(); // at most maxAgeMs

    cache.set('c', 1, Infinity, 0, 'c', 400);
    cache.set('d', 1, Infinity, 0, 'd', 400);
    expect(cache.get('c', 1, 1)).toBe('c'); // c used last: d is the oldest now
    cache.set('e', 1, Infinity, 0, 'e', 400);
    expect(cache.get('d', 1, 1)).toBeUndefined();
    expect(cache.get('c', 1, 1)).toBe('c');
    expect(cache.get('e', 1, 1)).toBe('e');
    expect(cache.size).toEqual({ entries: 2, bytes: 800 });

    cache.set('huge', 1, Infinity, 0, 'x', 2000); // larger than the whole cache: not kept
    expect(cache.get('huge', 1, 1)).toBeUndefined();
  });
});

describe('changesByTimeAt', () => {
  const row = (startsAt: string, extra: Partial<SlotRow> = {}): SlotRow => ({
    id: 1,
    doctor_id: 1,
    starts_at: startsAt,
    ends_at: startsAt,
    local_date: startsAt.slice(0, 10),
    status: 'open',
    booking_id: null,
    hold_id: null,
    ...extra,
  });
  const now = Date.parse('2027-01-18T08:00:00.000Z');

  it('is the first future slot start, hold expiry or release, whichever comes first', () => {
    const rows = [
      row('2027-01-18T07:00:00.000Z'), // already started
      row('2027-01-18T10:00:00.000Z'),
      row('2027-01-19T10:00:00.000Z', { hold_id: 3, hold_expires_at: '2027-01-18T08:05:00.000Z' }),
    ];
    expect(changesByTimeAt(rows, now)).toBe(Date.parse('2027-01-18T08:05:00.000Z'));
    const released = [
      ...rows,
      row('2027-01-20T10:00:00.000Z', { contract_release_ms: Date.parse('2027-01-18T08:01:00.000Z') }),
    ];
    expect(changesByTimeAt(released, now)).toBe(Date.parse('2027-01-18T08:01:00.000Z'));
    expect(changesByTimeAt([row('2027-01-18T07:00:00.000Z')], now)).toBe(Infinity);
  });
});

describe('the calendar served from the week cache', () => {
  let clock: FixedClock;
  let t: TestApp;
  let c: DeskClinic;
  let desk: LoggedIn;
  let slots: number[];
  /** The SQL statements the app ran since the last call. */
  const statements: string[] = [];
  const ran = () => statements.splice(0);

  beforeEach(async () => {
    // Monday 18 January 2027, 07:00 in Budapest.
    clock = new FixedClock('2027-01-18T06:00:00.000Z');
    t = await makeTestApp({ clock });
    c = await deskClinic(t.db);
    slots = [
      await slotAt(t.db, c.apple, c.north, '2027-01-18T09:00'),
      await slotAt(t.db, c.apple, c.north, '2027-01-18T09:20'),
      await slotAt(t.db, c.apple, c.north, '2027-01-20T10:00'),
    ];
    desk = await loginAs(t.app, 'desk');
    t.db.on('query', (q: { sql: string }) => statements.push(q.sql));
  });
  afterEach(async () => {
    await t.db.destroy();
  });

  const calendar = async (as: LoggedIn = desk) => {
    const res = await as.agent
      .get('/booking')
      .query({ institution: c.north, channel: c.reception, service: c.consult, week: '2027-01-18' });
    expect(res.status).toBe(200);
    return res.text;
  };
  /** The slot query of the week (booking.queries slotRows): `slots as sl` joined with occupancies. */
  const readTheWeek = (sql: string[]) => sql.some((s) => /from [`"]slots[`"] as [`"]sl[`"]/.test(s));
  const version = async (institutionId: number) =>
    Number((await t.db('calendar_versions').where({ institution_id: institutionId }).first())?.version);

  it('draws a week once and serves it again without reading the week', async () => {
    const first = await calendar();
    expect(readTheWeek(ran())).toBe(true);
    expect(freeSlotIds(first)).toEqual(slots);
    const second = await calendar();
    expect(readTheWeek(ran())).toBe(false);
    expect(second).toContain('09:00');
    expect(freeSlotIds(second)).toEqual(slots);
  });

  it('shows a change made straight in the database (not by this app) at the next request', async () => {
    expect(freeSlotIds(await calendar())).toEqual(slots);
    const before = await version(c.north);
    await t.db('slots').where({ id: slots[0] }).update({ status: 'blocked' });
    expect(await version(c.north)).toBeGreaterThan(before);
    const blocked = await calendar();
    expect(freeSlotIds(blocked)).toEqual(slots.slice(1));
    expect(blocked).toContain('09:00 Blocked');

    // A booking written outside the routes (slot_occupancies): Taken at once.
    await bookSlots(t.db, clock, c, [slots[2]], { patientId: await fixtures.patient(t.db, 'Kiss', 'Anna') });
    const taken = await calendar();
    expect(freeSlotIds(taken)).toEqual([slots[1]]);
    expect(taken).toContain('10:00 Taken');
  });

  it('shows another desk’s hold, and the slot free again when the hold expires, with no write', async () => {
    expect(freeSlotIds(await calendar())).toEqual(slots);
    const other = await loginAs(t.app, 'desk');
    const held = await reserve(other, {
      institution: c.north,
      channel: c.reception,
      service: c.consult,
      slot: slots[1],
    });
    expect(held.status).toBe(303);
    tokenOf(held.headers.location);
    const withHold = await calendar();
    expect(freeSlotIds(withHold)).toEqual([slots[0], slots[2]]);
    expect(withHold).toContain('09:20 Held');
    const hold = await t.db('holds').first();
    clock.set(new Date(Date.parse(hold.expires_at) - 1000));
    expect(freeSlotIds(await calendar())).toEqual([slots[0], slots[2]]);
    ran();
    clock.set(hold.expires_at);
    expect(freeSlotIds(await calendar())).toEqual(slots);
    expect(readTheWeek(ran())).toBe(true);
  });

  it('shows a slot as past from the moment it starts', async () => {
    expect(freeSlotIds(await calendar())).toEqual(slots);
    clock.set('2027-01-18T07:59:59.999Z'); // 08:59:59.999 in Budapest
    expect(freeSlotIds(await calendar())).toEqual(slots);
    clock.set('2027-01-18T08:00:00.000Z');
    const started = await calendar();
    expect(freeSlotIds(started)).toEqual(slots.slice(1));
    expect(started).toContain('09:00 Past');
  });

  it('prints a doctor’s name and a closure’s reason in the grid as text, never as markup', async () => {
    const payload = '<img src=x onerror="alert(1)">&';
    await t
      .db('doctors')
      .where({ id: c.apple })
      .update({ name: `Dr. Ada ${payload}` });
    const admin = await loginAs(t.app, 'admin');
    const closed = await admin.agent.post('/settings/closures').type('form').send({
      _csrf: admin.csrf,
      institution: c.north,
      date: '2027-01-20',
      from: '',
      to: '',
      reason: payload,
    });
    expect(closed.status).toBe(303);
    const html = await calendar();
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=&#34;alert(1)&#34;&gt;&amp;');
    expect(html).toContain('10:00 Closed: &lt;img src=x');
  });

  it('draws each language on its own', async () => {
    const en = await calendar();
    await desk.agent.get('/').query({ lang: 'hu' });
    const hu = await calendar();
    expect(en).toContain('Free 09:00');
    expect(hu).not.toContain('Free 09:00');
    expect(hu).toMatch(/Szabad: 09:00/);
  });
});

describe('calendar versions (migration 041)', () => {
  let t: TestApp;
  let c: DeskClinic;
  beforeEach(async () => {
    t = await makeTestApp({ clock: new FixedClock('2027-01-18T06:00:00.000Z') });
    c = await deskClinic(t.db);
  });
  afterEach(async () => {
    await t.db.destroy();
  });
  const versions = async () =>
    Object.fromEntries(
      (await t.db('calendar_versions').select('institution_id', 'version')).map((r) => [
        r.institution_id,
        Number(r.version),
      ]),
    );

  it('gives every institution a version, a new one too', async () => {
    const v = await versions();
    expect(Object.keys(v).map(Number).sort()).toEqual([c.north, c.institutions.south].sort());
    const east = await fixtures.institution(t.db, 'East Clinic');
    expect((await versions())[east]).toBe(0);
  });

  it('moves with an update of any watched table, for the institution touched and no other', async () => {
    const slot = await slotAt(t.db, c.apple, c.north, '2027-01-18T09:00');
    await bookSlots(t.db, t.clock, c, [slot], { patientId: await fixtures.patient(t.db, 'Kiss', 'Anna') });
    let tried = 0;
    for (const w of watched) {
      const rows = await t.db(w.table).count({ n: '*' }).first();
      if (!Number(rows?.n)) continue;
      tried++;
      const before = await versions();
      // A no-op update of every row still fires the triggers (the first column set to itself).
      const [column] = Object.keys(await t.db(w.table).columnInfo());
      await t.db(w.table).update({ [column]: t.db.ref(column) });
      const after = await versions();
      // (SQLite moves it once per row, PostgreSQL once per statement.)
      expect([w.table, after[c.north] > before[c.north]]).toEqual([w.table, true]);
      expect([w.table, after[c.institutions.south]]).toEqual([w.table, before[c.institutions.south]]);
    }
    // slots, slot_occupancies, channel_services at least.
    expect(tried).toBeGreaterThanOrEqual(3);
  });

  it('moves everywhere when a partner is renamed (its name is in the calendar’s notes)', async () => {
    const before = await versions();
    await t.db('partners').where({ id: c.partners.alfa.partnerId }).update({ name: 'Alfa Renamed' });
    const after = await versions();
    expect(after[c.north]).toBeGreaterThan(before[c.north]);
    expect(after[c.institutions.south]).toBeGreaterThan(before[c.institutions.south]);
  });
});
