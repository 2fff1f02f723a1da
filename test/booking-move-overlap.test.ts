/**
 * Moving a booking onto slots that overlap its own (issue 16): the move frees the booking's own
 * occupancy and takes the new one in one transaction, so a 40-minute booking can shift by one slot;
 * the occupancy key still decides a race against another booking of the new slot.
 */
import type { Knex } from 'knex';
import { FixedClock } from '../src/lib/clock';
import { makeTestApp, loginAs, type TestApp, type LoggedIn } from './helpers';
import { bookElsewhere, demoIds, idOf, insertBooking, type DemoIds } from './booking-helpers';
import { fixtures } from './fixtures';
import { bookingInvariants } from './reliability/support';
import { confirmMove, moveTo, moveTokenOf, startMove } from './move-helpers';

let t: TestApp;
let ids: DemoIds;
let clock: FixedClock;
let desk: LoggedIn;
let patients = 0;

beforeEach(async () => {
  clock = new FixedClock('2027-01-18T06:00:00.000Z');
  t = await makeTestApp({ demo: true, clock });
  ids = await demoIds(t.db);
  desk = await loginAs(t.app, 'desk');
});
afterEach(async () => {
  await t.db.destroy();
});

type Slot = { id: number; doctor_id: number; starts_at: string; ends_at: string; local_date: string };

/** Three back-to-back free slots (no booking, no hold) of a doctor who does Cardiac ultrasound at Buda. */
async function threeFreeSlots(db: Knex): Promise<Slot[]> {
  const from = clock.now().plus({ days: 1 }).toISO()!;
  const rows: (Slot & { so: number | null; hs: number | null })[] = await db('slots as sl')
    .join('doctor_services as ds', function () {
      this.on('ds.doctor_id', '=', 'sl.doctor_id').andOn('ds.institution_id', '=', 'sl.institution_id');
    })
    .leftJoin('slot_occupancies as so', 'so.slot_id', 'sl.id')
    .leftJoin('hold_slots as hs', 'hs.slot_id', 'sl.id')
    .select(
      'sl.id',
      'sl.doctor_id',
      'sl.starts_at',
      'sl.ends_at',
      'sl.local_date',
      'so.slot_id as so',
      'hs.slot_id as hs',
    )
    .where({ 'sl.institution_id': ids.buda, 'ds.service_id': ids.cardiacUltrasound, 'sl.status': 'open' })
    .where('sl.starts_at', '>', from)
    .orderBy(['sl.doctor_id', 'sl.starts_at'])
    .limit(2000);
  for (let i = 0; i + 2 < rows.length; i++) {
    const run = rows.slice(i, i + 3);
    const together = run.every(
      (s, k) =>
        s.doctor_id === run[0].doctor_id &&
        s.so === null &&
        s.hs === null &&
        (k === 0 || Date.parse(run[k - 1].ends_at) === Date.parse(s.starts_at)),
    );
    if (together)
      return run.map(({ id, doctor_id, starts_at, ends_at, local_date }) => ({
        id,
        doctor_id,
        starts_at,
        ends_at,
        local_date,
      }));
  }
  throw new Error('no three free slots in a row');
}

/** A standing booking of `serviceId` on these slots, for a new patient, through Alfa's channel. */
async function bookingOn(slots: Slot[], serviceId: number): Promise<number> {
  const patientId = await fixtures.patient(t.db, 'Átfedő', `Páciens${++patients}`, {
    registeredByPartnerId: ids.alfa,
  });
  return insertBooking(
    t.db,
    {
      institutionId: ids.buda,
      doctorId: slots[0].doctor_id,
      serviceId,
      patientId,
      channelId: ids.alfaChannel,
      partnerId: ids.alfa,
      createdByUserId: await idOf(t.db, 'users', { username: 'desk' }),
      slots,
      createdLocalDate: slots[0].local_date,
      priceMinor: 3800000,
      commissionMinor: 380000,
      idempotencyKey: `overlap-${slots[0].id}-${patients}`,
    },
    clock,
  );
}

const occupancy = async (bookingId: number) =>
  (
    await t
      .db('slot_occupancies as so')
      .join('slots as sl', 'sl.id', 'so.slot_id')
      .where({ 'so.booking_id': bookingId })
      .orderBy('sl.starts_at')
      .select('so.slot_id')
  ).map((r) => r.slot_id);

describe('POST /bookings/:id/move onto its own slots', () => {
  it('moves a 40-minute booking 20 minutes later (half on its own slot): occupancy is exactly the new slots, audited', async () => {
    const [s1, s2, s3] = await threeFreeSlots(t.db);
    const bookingId = await bookingOn([s1, s2], ids.cardiacUltrasound);
    const res = await moveTo(desk, bookingId, s2.id);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/bookings/${bookingId}`);
    expect(await occupancy(bookingId)).toEqual([s2.id, s3.id]);
    const slots = (await t.db('booking_slots').where({ booking_id: bookingId }).select('slot_id')).map(
      (r) => r.slot_id,
    );
    expect(slots.sort((a, b) => a - b)).toEqual([s2.id, s3.id].sort((a, b) => a - b));
    const row = await t.db('bookings').where({ id: bookingId }).first();
    expect(Date.parse(row.starts_at)).toBe(Date.parse(s2.starts_at));
    expect(Date.parse(row.ends_at)).toBe(Date.parse(s3.ends_at));
    const auditRows = await t.db('audit_log').where({ action: 'booking.moved', entity_id: bookingId });
    expect(auditRows).toHaveLength(1);
    const details = JSON.parse(auditRows[0].details);
    expect(details).toMatchObject({
      old_starts_at: s1.starts_at,
      old_ends_at: s2.ends_at,
      new_starts_at: s2.starts_at,
      new_ends_at: s3.ends_at,
      old_slot_ids: [s1.id, s2.id],
      new_slot_ids: [s2.id, s3.id],
    });
    expect(await t.db('holds')).toHaveLength(0);
    expect(await bookingInvariants(t.db)).toEqual([]);
  });

  it('moves a one-slot service to the second slot of its own two-slot booking', async () => {
    const [s1, s2] = await threeFreeSlots(t.db);
    const bookingId = await bookingOn([s1, s2], ids.cardioConsult);
    const res = await moveTo(desk, bookingId, s2.id);
    expect(res.status).toBe(303);
    expect(await occupancy(bookingId)).toEqual([s2.id]);
    const row = await t.db('bookings').where({ id: bookingId }).first();
    expect(Date.parse(row.starts_at)).toBe(Date.parse(s2.starts_at));
  });

  it("still refuses a slot of another booking (409), the booking's own slots kept", async () => {
    const [s1, s2, s3] = await threeFreeSlots(t.db);
    const bookingId = await bookingOn([s1, s2], ids.cardiacUltrasound);
    await bookElsewhere(t.db, ids, s3.id, 'admin', clock);
    const res = await startMove(desk, bookingId, s2.id);
    expect(res.status).toBe(409);
    expect(await occupancy(bookingId)).toEqual([s1.id, s2.id]);
    expect(await t.db('holds')).toHaveLength(0);
  });

  it('a lost race leaves the booking where it was: the non-overlapping new slot booked first (409)', async () => {
    const [s1, s2, s3] = await threeFreeSlots(t.db);
    const bookingId = await bookingOn([s1, s2], ids.cardiacUltrasound);
    const reserved = await startMove(desk, bookingId, s2.id);
    expect(reserved.status).toBe(303);
    const token = moveTokenOf(bookingId, reserved.headers.location);
    const other = await bookElsewhere(t.db, ids, s3.id, 'admin', clock);
    const res = await confirmMove(desk, bookingId, token);
    expect(res.status).toBe(409);
    expect(await occupancy(bookingId)).toEqual([s1.id, s2.id]);
    expect(await occupancy(other)).toEqual([s3.id]);
    expect(await t.db('booking_moves').where({ booking_id: bookingId })).toHaveLength(0);
    expect(await bookingInvariants(t.db)).toEqual([]);
  });

  it('races another booking of the non-overlapping slot: exactly one wins, the booking intact', async () => {
    const [s1, s2, s3] = await threeFreeSlots(t.db);
    const bookingId = await bookingOn([s1, s2], ids.cardiacUltrasound);
    const reserved = await startMove(desk, bookingId, s2.id);
    const token = moveTokenOf(bookingId, reserved.headers.location);
    const [move, other] = await Promise.allSettled([
      confirmMove(desk, bookingId, token),
      bookElsewhere(t.db, ids, s3.id, 'admin', clock),
    ]);
    expect(move.status).toBe('fulfilled');
    const moveStatus = (move as PromiseFulfilledResult<{ status: number }>).value.status;
    const otherWon = other.status === 'fulfilled';
    expect([303, 409]).toContain(moveStatus);
    expect(moveStatus === 303).toBe(!otherWon);
    if (!otherWon)
      expect((other as PromiseRejectedResult).reason).toMatchObject({
        message: expect.stringMatching(/just taken/),
      });
    const holders = await t.db('slot_occupancies').where({ slot_id: s3.id });
    expect(holders).toHaveLength(1);
    if (otherWon) {
      expect(await occupancy(bookingId)).toEqual([s1.id, s2.id]);
      expect(await t.db('booking_moves').where({ booking_id: bookingId })).toHaveLength(0);
    } else {
      expect(await occupancy(bookingId)).toEqual([s2.id, s3.id]);
      expect(holders[0].booking_id).toBe(bookingId);
    }
    const row = await t.db('bookings').where({ id: bookingId }).first();
    expect(row.status).toBe('booked');
    expect(await bookingInvariants(t.db)).toEqual([]);
  });
});
