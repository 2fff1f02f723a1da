/**
 * The per-day statistics summary (migration 040) is kept exact by database triggers: after the
 * app's own operations (create, cancel, move, attendance marks, undo) and after random changes of
 * every column a figure depends on, it equals the live aggregate over bookings, on SQLite and
 * PostgreSQL (TEST_DATABASE_URL). The report reads only the summary.
 */
import { FixedClock } from '../src/lib/clock';
import { liveDayStats, summaryDayStats } from '../src/statistics/day-stats.queries';
import { buildReport } from '../src/statistics/statistics.service';
import type { StatisticsFilters } from '../src/statistics/statistics.types';
import { makeTestApp, loginAs, type TestApp, type LoggedIn } from './helpers';
import { demoIds, type DemoIds } from './booking-helpers';
import { bookingFor, moveTo, otherFreeSlot } from './move-helpers';
import * as m040 from '../migrations/040_booking_day_stats';

let t: TestApp;
let ids: DemoIds;
let clock: FixedClock;
let desk: LoggedIn;

beforeEach(async () => {
  clock = new FixedClock('2027-01-18T06:00:00.000Z');
  t = await makeTestApp({ demo: true, clock });
  ids = await demoIds(t.db);
  desk = await loginAs(t.app, 'desk');
});
afterEach(async () => {
  await t.db.destroy();
});

async function expectExact(): Promise<void> {
  const live = await liveDayStats(t.db);
  expect(live.length).toBeGreaterThan(0);
  expect(await summaryDayStats(t.db)).toEqual(live);
}

const filters = (over: Partial<StatisticsFilters> = {}): StatisticsFilters => ({
  from: '2020-01-01',
  to: '2030-12-31',
  basis: 'appointment',
  group: 'partner',
  institutionId: null,
  channelId: null,
  partnerId: null,
  serviceId: null,
  doctorId: null,
  partnerOnly: false,
  ...over,
});

describe('booking_day_stats', () => {
  it('is filled from the bookings already there (the demo data) by the migration', async () => {
    await expectExact();
  });

  it('is backfilled by the migration from bookings made and changed before it existed', async () => {
    await m040.down(t.db);
    // Without the summary and its triggers: a new booking, a cancellation, a late one, a no-show.
    await bookingFor(t.db, ids, clock, { partner: 'alfa', daysAhead: 1 });
    const rows: { id: number }[] = await t.db('bookings').select('id').orderBy('id').limit(3);
    await t.db('bookings').where({ id: rows[0].id }).update({ status: 'cancelled' });
    await t.db('bookings').where({ id: rows[1].id }).update({ status: 'cancelled', late_cancellation: true });
    await t.db('bookings').where({ id: rows[2].id }).update({ attendance: 'no_show' });
    await m040.up(t.db);
    await expectExact();
  });

  it("stays exact through the app's create, cancel, move, no-show, undo and arrived", async () => {
    const a = await bookingFor(t.db, ids, clock, { partner: 'alfa', daysAhead: 0 });
    const b = await bookingFor(t.db, ids, clock, { partner: 'beta', daysAhead: 0 });
    const c = await bookingFor(t.db, ids, clock, { partner: null, daysAhead: 2 });
    await expectExact();
    const base = await buildReport(t.db, filters(), { partnerId: null, institutionIds: null });

    const mark = (id: number, value: string) =>
      desk.agent.post(`/bookings/${id}/attendance`).type('form').send({ mark: value, _csrf: desk.csrf });
    expect((await mark(a.bookingId, 'no_show')).status).toBe(303);
    await expectExact();
    const afterNoShow = await buildReport(t.db, filters(), { partnerId: null, institutionIds: null });
    const alfaRow = (r: typeof base) => r.rows.find((x) => x.key === String(ids.alfa))!;
    expect(alfaRow(afterNoShow).noShows).toBe(alfaRow(base).noShows + 1);
    // A no-show earns no commission.
    expect(alfaRow(afterNoShow).commissionMinor).toBe(alfaRow(base).commissionMinor - 200000);

    const undo = await desk.agent
      .post(`/bookings/${a.bookingId}/attendance/undo`)
      .type('form')
      .send({ _csrf: desk.csrf });
    expect(undo.status).toBe(303);
    await expectExact();
    expect(alfaRow(await buildReport(t.db, filters(), { partnerId: null, institutionIds: null }))).toEqual(
      alfaRow(base),
    );
    expect((await mark(a.bookingId, 'arrived')).status).toBe(303);
    await expectExact();

    const cancel = await desk.agent
      .post(`/bookings/${b.bookingId}/cancel`)
      .type('form')
      .send({ reason: 'Patient called', _csrf: desk.csrf });
    expect(cancel.status).toBe(303);
    await expectExact();

    const target = await otherFreeSlot(t.db, ids, clock, 5);
    const moved = await moveTo(desk, c.bookingId, target.id);
    expect(moved.status).toBe(303);
    expect((await t.db('bookings').where({ id: c.bookingId }).first()).local_date).toBe(target.local_date);
    await expectExact();
  });

  it('stays exact after random changes of every column a figure depends on, and deletes', async () => {
    const made: number[] = [];
    for (let i = 0; i < 6; i++) {
      const partner = (['alfa', 'beta', null] as const)[i % 3];
      made.push((await bookingFor(t.db, ids, clock, { partner, daysAhead: i })).bookingId);
    }
    const all = (await t.db('bookings').select('id')).map((r: { id: number }) => Number(r.id));
    const doctors = (await t.db('doctors').select('id')).map((r: { id: number }) => Number(r.id));
    const services = (await t.db('services').select('id')).map((r: { id: number }) => Number(r.id));
    const channels = [
      { channel_id: ids.alfaChannel, partner_id: ids.alfa },
      { channel_id: ids.betaChannel, partner_id: ids.beta },
      { channel_id: ids.reception, partner_id: null },
    ];
    // A fixed-seed generator: the same "random" operations every run.
    let seed = 17;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pick = <T>(xs: readonly T[]): T => xs[next(xs.length)];
    const changes: (() => Record<string, unknown>)[] = [
      () => ({ status: 'cancelled', late_cancellation: next(2) === 1 }),
      () => ({ status: 'booked', late_cancellation: false }),
      () => ({ attendance: pick([null, 'arrived', 'completed', 'no_show']) }),
      () => ({ local_date: pick(['2027-01-18', '2027-01-19', '2027-02-01']) }),
      () => ({ created_local_date: pick(['2027-01-10', '2027-01-18']) }),
      () => ({ doctor_id: pick(doctors), service_id: pick(services) }),
      () => pick(channels),
      () => ({ price_minor: next(5) * 1000, commission_minor: next(3) * 100 }),
      () => ({ institution_id: pick([ids.buda, ids.vienna]) }),
      () => ({ cancel_reason: 'not a figure' }),
    ];
    for (let i = 0; i < 200; i++) {
      await t
        .db('bookings')
        .where({ id: pick(all) })
        .update(changes[next(changes.length)]());
      if (i % 50 === 49) await expectExact();
    }
    // Several rows in one statement fire the trigger once per row.
    await t.db('bookings').whereIn('id', made).update({ status: 'cancelled', late_cancellation: true });
    await expectExact();
    // A deleted booking (e.g. data removed by an operator) leaves the summary too.
    const gone = made[0];
    await t.db('slot_occupancies').where({ booking_id: gone }).del();
    await t.db('booking_slots').where({ booking_id: gone }).del();
    await t.db('bookings').where({ id: gone }).del();
    await expectExact();
  });

  it('keeps a partner scope to its own partner and leaves out groups that became empty', async () => {
    const a = await bookingFor(t.db, ids, clock, { partner: 'alfa', daysAhead: 0 });
    const alfaOnly = await buildReport(t.db, filters({ group: 'channel' }), {
      partnerId: ids.alfa,
      institutionIds: null,
    });
    expect(alfaOnly.rows.map((r) => r.key)).toEqual([String(ids.alfaChannel)]);
    // Move every Alfa booking to a day outside the period: Alfa's group is gone from the report.
    await t.db('bookings').where({ partner_id: ids.alfa }).update({ local_date: '2031-01-01' });
    const empty = await buildReport(t.db, filters({ group: 'partner' }), {
      partnerId: ids.alfa,
      institutionIds: null,
    });
    expect(empty.rows).toEqual([]);
    expect(empty.totals.bookings).toBe(0);
    expect(a.bookingId).toBeGreaterThan(0);
    await expectExact();
  });
});
