/**
 * First free slots keep the partner contracts (issues 16 and 17): a slot reserved for another
 * partner's block before its release, a date outside the channel cell's validity and a used-up
 * allotment period are not offered, exactly as the calendar marks them and Start the reservation
 * and Save refuse them. Releases follow the app clock (moved, not slept).
 */
import { FixedClock } from '../src/lib/clock';
import { firstFreeSlots } from '../src/booking/first-free';
import { makeTestApp, loginAs, type TestApp, type LoggedIn } from './helpers';
import { fixtures } from './fixtures';
import { bookSlots, deskClinic, slotAt, zone, type DeskClinic } from './desk-fixtures';

const start = '2027-01-18T06:00:00.000Z'; // Monday 07:00 in Budapest
const clock = new FixedClock(start);
let t: TestApp;
let c: DeskClinic;
let s: Record<string, number>;
let desk: LoggedIn;
let alfa: LoggedIn;
let beta: LoggedIn;

function offered(html: string): number[] {
  return [...html.matchAll(/<input type="hidden" name="slot" value="(\d+)">/g)].map((m) => Number(m[1]));
}

type Who = 'desk' | 'deskForAlfa' | 'deskForBeta' | 'alfa' | 'beta';
async function offeredTo(who: Who, service = c.consult): Promise<number[]> {
  const base = { institution: c.north, service };
  const res =
    who === 'desk'
      ? await desk.agent.get('/booking/first-free').query({ ...base, channel: c.reception })
      : who === 'deskForAlfa' || who === 'deskForBeta'
        ? await desk.agent
            .get('/partner-booking/first-free')
            .query({ ...base, partner: c.partners[who === 'deskForAlfa' ? 'alfa' : 'beta'].partnerId })
        : await (who === 'alfa' ? alfa : beta).agent.get('/partner-booking/first-free').query(base);
  expect(res.status).toBe(200);
  return offered(res.text);
}

beforeAll(async () => {
  t = await makeTestApp({ clock });
  c = await deskClinic(t.db);
  const at = (doctor: number, local: string) => slotAt(t.db, doctor, c.north, local);
  s = {
    birchTue1400: await at(c.birch, '2027-01-19T14:00'),
    appleTue1500: await at(c.apple, '2027-01-19T15:00'), // in Alfa's block
    appleTue1520: await at(c.apple, '2027-01-19T15:20'), // in Alfa's block
    appleWed0900: await at(c.apple, '2027-01-20T09:00'),
    appleFeb0900: await at(c.apple, '2027-02-02T09:00'),
    alfaBooked: await at(c.birch, '2027-01-20T08:00'),
  };
  // One standing Alfa consultation in January (it counts against an allotment).
  await bookSlots(t.db, clock, c, [s.alfaBooked], {
    patientId: await fixtures.patient(t.db, 'Foglalt', 'Feri'),
    partner: 'alfa',
  });
  // Alfa's block: Dr. Apple's Tuesday afternoons, held until one day before each slot.
  await t.db('reserved_blocks').insert({
    partner_id: c.partners.alfa.partnerId,
    institution_id: c.north,
    doctor_id: c.apple,
    weekdays: 2,
    from_time: '14:00',
    to_time: '16:00',
    date_from: '2027-01-19',
    date_to: '2027-03-31',
    release_value: 1,
    release_unit: 'days',
    created_at: start,
  });
  desk = await loginAs(t.app, 'desk');
  alfa = await loginAs(t.app, 'alfa');
  beta = await loginAs(t.app, 'beta');
});
afterEach(() => {
  clock.set(start);
});
afterAll(async () => {
  await t.db.destroy();
});

describe('GET /booking/first-free and /partner-booking/first-free with partner contracts', () => {
  it('does not offer a slot reserved for Alfa to Beta or the clinic desk before its release', async () => {
    const others = [s.birchTue1400, s.appleWed0900, s.appleFeb0900];
    expect(await offeredTo('desk')).toEqual(others);
    expect(await offeredTo('beta')).toEqual(others);
    expect(await offeredTo('deskForBeta')).toEqual(others);
  });

  it('offers Alfa its own reserved slots', async () => {
    const withBlock = [s.birchTue1400, s.appleTue1500, s.appleTue1520, s.appleWed0900, s.appleFeb0900];
    expect(await offeredTo('alfa')).toEqual(withBlock);
    expect(await offeredTo('deskForAlfa')).toEqual(withBlock);
  });

  it('offers the reserved slots to everyone once the clock passes their release', async () => {
    // Released one day before: Tuesday 15:00 at Monday 15:00 local (14:00 UTC), 15:20 at 14:20 UTC.
    clock.set('2027-01-18T13:59:59.000Z');
    expect(await offeredTo('beta')).not.toContain(s.appleTue1500);
    clock.set('2027-01-18T14:00:00.000Z');
    expect(await offeredTo('beta')).toEqual([s.birchTue1400, s.appleTue1500, s.appleWed0900, s.appleFeb0900]);
    clock.set('2027-01-18T14:20:00.000Z');
    const all = [s.birchTue1400, s.appleTue1500, s.appleTue1520, s.appleWed0900, s.appleFeb0900];
    expect(await offeredTo('desk')).toEqual(all);
    expect(await offeredTo('beta')).toEqual(all);
  });

  it('offers no run of a longer service through a reserved slot', async () => {
    // The 40-minute ultrasound needs 15:00 and 15:20 of Dr. Apple: Beta's only such run.
    expect(await offeredTo('beta', c.ultrasound)).toEqual([]);
    clock.set('2027-01-18T14:20:00.000Z');
    expect(await offeredTo('beta', c.ultrasound)).toEqual([s.appleTue1500]);
  });

  it('offers nothing outside the channel cell’s validity, and only what is inside it', async () => {
    const cell = { institution_id: c.north, channel_id: c.partners.beta.channelId, service_id: c.consult };
    const setValidity = (valid_from: string | null, valid_to: string | null) =>
      t
        .db('channel_service_validity')
        .insert({ ...cell, valid_from, valid_to, updated_at: start })
        .onConflict(['institution_id', 'channel_id', 'service_id'])
        .merge(['valid_from', 'valid_to']);
    try {
      await setValidity(null, '2027-01-17');
      expect(await offeredTo('beta')).toEqual([]);
      const none = await beta.agent
        .get('/partner-booking/first-free')
        .query({ institution: c.north, service: c.consult });
      expect(none.text).toContain('No free slot in the next 90 days matches these choices.');
      await setValidity('2027-04-01', null);
      expect(await offeredTo('deskForBeta')).toEqual([]);
      await setValidity('2027-01-20', '2027-01-31');
      expect(await offeredTo('beta')).toEqual([s.appleWed0900]);
      await setValidity('2027-02-01', null);
      expect(await offeredTo('beta')).toEqual([s.appleFeb0900]);
      // Another channel's validity does not touch the clinic desk.
      expect(await offeredTo('desk')).toEqual([s.birchTue1400, s.appleWed0900, s.appleFeb0900]);
    } finally {
      await t.db('channel_service_validity').where(cell).del();
    }
  });

  it('offers nothing in a period whose allotment is used up, and the next period’s slots', async () => {
    const [id] = await t.db('allotments').insert(
      {
        partner_id: c.partners.alfa.partnerId,
        institution_id: c.north,
        service_id: c.consult,
        period: 'month',
        cap: 1,
        created_at: start,
      },
      ['id'],
    );
    const allotmentId = typeof id === 'object' ? (id as { id: number }).id : id;
    try {
      // January's one is booked: nothing in January, February's slot still offered.
      expect(await offeredTo('alfa')).toEqual([s.appleFeb0900]);
      expect(await offeredTo('deskForAlfa')).toEqual([s.appleFeb0900]);
      // Beta and the clinic have no allotment here.
      expect(await offeredTo('beta')).toEqual([s.birchTue1400, s.appleWed0900, s.appleFeb0900]);
      // The read jumps over the used-up month instead of reading it (one row per batch here).
      const r = await firstFreeSlots(t.db, {
        institutionId: c.north,
        zone,
        doctorIds: [c.apple, c.birch],
        durationMinutes: 20,
        nowIso: clock.nowIso(),
        today: '2027-01-18',
        filter: { doctorId: null, from: null, to: null, weekday: null },
        batchSize: 1,
        contracts: {
          clock,
          partnerId: c.partners.alfa.partnerId,
          channelId: c.partners.alfa.channelId,
          serviceId: c.consult,
        },
      });
      expect(r.slots.map((x) => x.slotId)).toEqual([s.appleFeb0900]);
      // The first January row, then February's (reading January through would be 5 rows).
      expect(r.rowsRead).toBe(2);
      // Room again (a cap of 2): January is offered again.
      await t.db('allotments').where({ id: allotmentId }).update({ cap: 2 });
      expect(await offeredTo('alfa')).toEqual([
        s.birchTue1400,
        s.appleTue1500,
        s.appleTue1520,
        s.appleWed0900,
        s.appleFeb0900,
      ]);
    } finally {
      await t.db('allotment_usage').where({ allotment_id: allotmentId }).del();
      await t.db('allotments').where({ id: allotmentId }).del();
    }
  });
});
