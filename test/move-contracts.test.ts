/**
 * Moving a booking keeps the partner contract right (issues 16 and 17): the allotment of the old
 * period gets the booking back and the new period's takes it, a move into a full period is refused
 * with the booking left where it was, a move within one period needs no room it already has, a
 * reserved block of another partner is refused; and a move queues the patient's e-mail.
 */
import { FixedClock } from '../src/lib/clock';
import { makeTestApp, loginAs, type TestApp, type LoggedIn } from './helpers';
import { demoIds, type DemoIds } from './booking-helpers';
import { bookingFor, moveTo, otherFreeSlot } from './move-helpers';

let t: TestApp;
let ids: DemoIds;
let clock: FixedClock;
let desk: LoggedIn;
let admin: LoggedIn;

beforeEach(async () => {
  clock = new FixedClock('2027-01-18T06:00:00.000Z'); // a Monday
  t = await makeTestApp({ demo: true, clock });
  ids = await demoIds(t.db);
  desk = await loginAs(t.app, 'desk');
  admin = await loginAs(t.app, 'admin');
});
afterEach(async () => {
  await t.db.destroy();
});

/** Alfa's standing consultations at Buda on the days of [from, to]. */
async function alfaBooked(from: string, to: string): Promise<number> {
  const row = await t
    .db('bookings')
    .where({
      partner_id: ids.alfa,
      institution_id: ids.buda,
      service_id: ids.cardioConsult,
      status: 'booked',
    })
    .whereBetween('local_date', [from, to])
    .count({ n: '*' })
    .first();
  return Number(row!.n);
}

async function allotment(period: 'day' | 'month', cap: number): Promise<number> {
  const res = await admin.agent
    .post('/settings/allotments')
    .type('form')
    .send({
      partner: ids.alfa,
      institution: ids.buda,
      target: `service:${ids.cardioConsult}`,
      period,
      cap,
      _csrf: admin.csrf,
    });
  expect(res.status).toBe(303);
  return (await t.db('allotments').orderBy('id', 'desc').first('id')).id;
}

const usage = async (allotmentId: number, key: string) =>
  (await t.db('allotment_usage').where({ allotment_id: allotmentId, period_key: key }).first())?.used;

const monthOf = (date: string) => date.slice(0, 7);

describe('a move and the allotments', () => {
  it('moving within a full month needs no room; moving to another month gives one back and takes one there', async () => {
    const b = await bookingFor(t.db, ids, clock, { daysAhead: 1 });
    const booked = await t.db('bookings').where({ id: b.bookingId }).first();
    const month = monthOf(booked.local_date);
    const full = await alfaBooked(`${month}-01`, `${month}-31`);
    const id = await allotment('month', full); // this month is used up

    const sameMonth = await otherFreeSlot(t.db, ids, clock, 2);
    expect(monthOf(sameMonth.local_date)).toBe(month);
    const within = await moveTo(desk, b.bookingId, sameMonth.id);
    expect(within.status).toBe(303);
    expect(await usage(id, month)).toBe(full);

    // A free slot in the next month (the clock is 18 January; the demo has four weeks of slots).
    const later = await otherFreeSlot(t.db, ids, clock, 15);
    const nextMonthDate = later.local_date;
    expect(monthOf(nextMonthDate)).not.toBe(month);
    const slotId = later.id;
    const nextMonth = monthOf(nextMonthDate);
    const before = await alfaBooked(`${nextMonth}-01`, `${nextMonth}-31`);
    const moved = await moveTo(desk, b.bookingId, slotId);
    expect(moved.status).toBe(303);
    expect((await t.db('bookings').where({ id: b.bookingId }).first()).local_date).toBe(nextMonthDate);
    expect(await usage(id, month)).toBe(full - 1);
    expect(await usage(id, nextMonth)).toBe(before + 1);
  });

  it('a move into a used-up day is refused (409) and the booking and the counters stay as they were', async () => {
    const b = await bookingFor(t.db, ids, clock, { daysAhead: 1 });
    const booked = await t.db('bookings').where({ id: b.bookingId }).first();
    const target = await otherFreeSlot(t.db, ids, clock, 3);
    expect(target.local_date).not.toBe(booked.local_date);
    const onTarget = await alfaBooked(target.local_date, target.local_date);
    const dayAllotment = await allotment('day', onTarget); // the target day is used up
    const res = await moveTo(desk, b.bookingId, target.id);
    expect(res.status).toBe(409);
    expect(res.text).toContain('Alfa Health Insurance');
    const after = await t.db('bookings').where({ id: b.bookingId }).first();
    expect(after.starts_at).toBe(booked.starts_at);
    expect(await t.db('slot_occupancies').where({ booking_id: b.bookingId }).pluck('slot_id')).toEqual([
      b.slotId,
    ]);
    // Rolled back with the move: no counter changed (the old day's stays absent or whole).
    expect(await usage(dayAllotment, target.local_date)).toBeUndefined();
    expect(await usage(dayAllotment, booked.local_date)).toBeUndefined();
    expect(await t.db('booking_moves').where({ booking_id: b.bookingId })).toHaveLength(0);
  });

  it('cancelling after a move gives the allotment of the new date back', async () => {
    const b = await bookingFor(t.db, ids, clock, { daysAhead: 1 });
    const target = await otherFreeSlot(t.db, ids, clock, 3);
    const id = await allotment('day', 100);
    expect((await moveTo(desk, b.bookingId, target.id)).status).toBe(303);
    const onTarget = await usage(id, target.local_date);
    const cancel = await desk.agent
      .post(`/bookings/${b.bookingId}/cancel`)
      .type('form')
      .send({ reason: 'Patient called', _csrf: desk.csrf });
    expect(cancel.status).toBe(303);
    expect(await usage(id, target.local_date)).toBe(onTarget - 1);
  });
});

describe('a move and reserved blocks', () => {
  it('is refused into a slot reserved for another partner, and the booking stays', async () => {
    const b = await bookingFor(t.db, ids, clock, { daysAhead: 1, partner: 'alfa' });
    const target = await otherFreeSlot(t.db, ids, clock, 3);
    await t.db('reserved_blocks').insert({
      partner_id: ids.beta,
      institution_id: ids.buda,
      doctor_id: target.doctor_id,
      weekdays: 127, // every weekday (bit d-1 for ISO weekday d)
      from_time: '00:00',
      to_time: '23:59',
      date_from: target.local_date,
      date_to: target.local_date,
      release_value: 1,
      release_unit: 'hours',
      created_at: clock.nowIso(),
    });
    const res = await moveTo(desk, b.bookingId, target.id);
    expect([409, 422]).toContain(res.status);
    expect((await t.db('bookings').where({ id: b.bookingId }).first()).starts_at).toBe(b.startsAt);
  });
});

describe('a move and the e-mail', () => {
  it('queues a "moved" e-mail to the patient in the move transaction', async () => {
    const enabled = await admin.agent
      .post('/settings/outbox/enabled')
      .type('form')
      .send({ _csrf: admin.csrf, enabled: '1' });
    expect(enabled.status).toBe(303);
    const b = await bookingFor(t.db, ids, clock, { daysAhead: 1 });
    const booked = await t.db('bookings').where({ id: b.bookingId }).first();
    await t.db('patients').where({ id: booked.patient_id }).update({ email: 'moved@example.org' });
    const target = await otherFreeSlot(t.db, ids, clock, 3);
    expect((await moveTo(desk, b.bookingId, target.id)).status).toBe(303);
    const mails = await t.db('mail_outbox').where({ booking_id: b.bookingId });
    expect(mails.map((m) => m.kind)).toEqual(['moved']);
  });
});
