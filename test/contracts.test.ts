/**
 * Partner contracts (issue 17), in one app: validity dates of a Traffic channels cell (calendar
 * message, Save refusal, audited edits, 422 on bad dates), allotments (the "left" line, the cap at
 * Save even for a stale form, cancelling frees one, bookings made before the allotment count), and
 * reserved blocks (refused to another partner and to the clinic desk before release, bookable after
 * with the clock moved, free for the partner, statistics of use). The cross-process race is in
 * test/contracts-race.test.ts.
 */
import type { Knex } from 'knex';
import { makeTestApp, loginAs, type TestApp, type LoggedIn } from './helpers';
import { demoIds, freeSlotIds, reserve, save, tokenOf, type DemoIds } from './booking-helpers';
import { fixtures } from './fixtures';
import { FixedClock } from '../src/lib/clock';
import { addDays } from '../src/lib/time';

let t: TestApp;
let ids: DemoIds;
let clock: FixedClock;
let admin: LoggedIn;
beforeEach(async () => {
  clock = new FixedClock('2027-01-18T06:00:00.000Z'); // a Monday
  t = await makeTestApp({ demo: true, clock });
  ids = await demoIds(t.db);
  admin = await loginAs(t.app, 'admin');
});
afterEach(() => t.db.destroy());

type Slot = { id: number; doctor_id: number; starts_at: string; local_date: string };

/** Free Cardiology consultation slots at Buda from `fromDate` on (local dates), first first. */
async function freeSlots(db: Knex, fromDate: string, n: number, doctorId?: number): Promise<Slot[]> {
  const q = db('slots as sl')
    .join('doctor_services as ds', function () {
      this.on('ds.doctor_id', '=', 'sl.doctor_id').andOn('ds.institution_id', '=', 'sl.institution_id');
    })
    .leftJoin('slot_occupancies as so', 'so.slot_id', 'sl.id')
    .leftJoin('hold_slots as hs', 'hs.slot_id', 'sl.id')
    .select('sl.id', 'sl.doctor_id', 'sl.starts_at', 'sl.local_date')
    .where({ 'sl.institution_id': ids.buda, 'ds.service_id': ids.cardioConsult, 'sl.status': 'open' })
    .where('sl.local_date', '>=', fromDate)
    .whereNull('so.slot_id')
    .whereNull('hs.slot_id')
    .orderBy('sl.starts_at')
    .limit(n);
  if (doctorId) q.where('sl.doctor_id', doctorId);
  const rows = (await q) as Slot[];
  if (rows.length < n) throw new Error('not enough free slots');
  return rows;
}

const calendarUrl = (s: Slot, extra = '') =>
  `/partner-booking?institution=${ids.buda}&service=${ids.cardioConsult}&doctor=${s.doctor_id}&week=${s.local_date}${extra}`;

async function hold(u: LoggedIn, s: Slot, extra: Record<string, string | number> = {}) {
  return reserve(u, {
    ...extra,
    institution: ids.buda,
    service: ids.cardioConsult,
    slot: s.id,
    week: s.local_date,
  });
}

let patients = 0;
async function newPatient(partnerId: number | null = ids.alfa): Promise<number> {
  return fixtures.patient(t.db, 'Contract', `Patient${++patients}`, {
    id_number: `CT${patients}${Math.floor(Math.random() * 1e6)}`,
    registeredByPartnerId: partnerId,
  });
}

async function holdAndSave(u: LoggedIn, s: Slot, partnerId: number | null = ids.alfa, extra = {}) {
  const r = await hold(u, s, extra);
  if (r.status !== 303) return r;
  return save(u, tokenOf(r.headers.location), await newPatient(partnerId));
}

const count = async (table: string, where: Record<string, unknown> = {}) =>
  Number((await t.db(table).where(where).count({ n: '*' }).first())!.n);

describe('validity of a Traffic channels cell', () => {
  const setValidity = (body: Record<string, string | number>) =>
    admin.agent
      .post('/settings/traffic-channels/validity')
      .type('form')
      .send({
        institution: ids.buda,
        channel: ids.alfaChannel,
        service: ids.cardioConsult,
        _csrf: admin.csrf,
        ...body,
      });

  it('outside the dates the calendar says why and Start the reservation and Save refuse; the change is audited', async () => {
    const [slot] = await freeSlots(t.db, '2027-01-19', 1);
    const alfa = await loginAs(t.app, 'alfa');
    // A reservation made while the service was still offered that day: Save must re-check.
    const stale = await hold(alfa, slot);
    expect(stale.status).toBe(303);

    const from = addDays(slot.local_date, 1);
    const res = await setValidity({ valid_from: from, valid_to: '' });
    expect(res.status).toBe(303);
    const rows = await t.db('channel_service_validity').select('valid_from', 'valid_to');
    expect(rows).toEqual([{ valid_from: from, valid_to: null }]);
    const entry = await t.db('audit_log').where({ action: 'traffic_channel.validity_changed' }).first();
    expect(JSON.parse(entry.details)).toMatchObject({
      channel: 'Alfa Health Insurance',
      old: { valid_from: null, valid_to: null },
      new: { valid_from: from, valid_to: null },
    });

    const page = await alfa.agent.get(calendarUrl(slot));
    expect(page.text).toContain(`Enabled for Alfa Health Insurance from ${from}.`);
    expect(freeSlotIds(page.text)).not.toContain(slot.id);
    expect(page.text).toMatch(/\d\d:\d\d Not offered/);
    const hu = await alfa.agent.get(calendarUrl(slot)).set('Accept-Language', 'hu');
    expect(hu.text).toContain(`Alfa Health Insurance számára ${from} naptól engedélyezve.`);

    const again = await hold(alfa, { ...slot });
    expect(again.status).toBe(409);
    expect(again.text).toContain(`enabled for Alfa Health Insurance here only from ${from}`);

    const saved = await save(alfa, tokenOf(stale.headers.location), await newPatient());
    expect(saved.status).toBe(409);
    expect(saved.text).toContain(`enabled for Alfa Health Insurance here only from ${from}`);
    expect(await count('bookings', { partner_id: ids.alfa, local_date: slot.local_date })).toBe(0);

    // The matrix shows the date on the cell; clearing both dates removes the limit (audited too).
    const matrix = await admin.agent.get(`/settings/traffic-channels?institution=${ids.buda}`);
    expect(matrix.text).toContain(`from ${from}`);
    expect((await setValidity({ valid_from: '', valid_to: '' })).status).toBe(303);
    expect(await count('channel_service_validity')).toBe(0);
    expect(await count('audit_log', { action: 'traffic_channel.validity_changed' })).toBe(2);
    expect((await hold(alfa, slot)).status).toBe(303);
  });

  it('a valid-to date before the slot refuses too; the edit form is reachable without JavaScript', async () => {
    const [slot] = await freeSlots(t.db, '2027-01-20', 1);
    const form = await admin.agent.get(
      `/settings/traffic-channels?institution=${ids.buda}&edit=${ids.alfaChannel}:${ids.cardioConsult}`,
    );
    expect(form.status).toBe(200);
    expect(form.text).toContain('action="/settings/traffic-channels/validity"');
    expect(form.text).toContain('<label for="valid_to">Valid to</label>');
    const to = addDays(slot.local_date, -1);
    expect((await setValidity({ valid_from: '2027-01-01', valid_to: to })).status).toBe(303);
    const alfa = await loginAs(t.app, 'alfa');
    const page = await alfa.agent.get(calendarUrl(slot));
    expect(page.text).toContain(`Enabled for Alfa Health Insurance from 2027-01-01 to ${to}.`);
    const r = await hold(alfa, slot);
    expect(r.status).toBe(409);
    expect(r.text).toContain(`here only until ${to}`);
  });

  it('bad dates are a 422 beside the field and change nothing', async () => {
    const before = await count('audit_log');
    const backwards = await setValidity({ valid_from: '2027-03-01', valid_to: '2027-02-01' });
    expect(backwards.status).toBe(422);
    expect(backwards.text).toMatch(
      /<span class="field-error" id="valid_to-error">The end date must not be before the start date.<\/span>/,
    );
    const notADate = await setValidity({ valid_from: 'soon', valid_to: '' });
    expect(notADate.status).toBe(422);
    expect(notADate.text).toMatch(/id="valid_from-error">Enter a date like 2027-01-31, or leave it empty./);
    expect(notADate.text).toContain('value="soon"');
    const impossible = await setValidity({ valid_from: '2027-02-30', valid_to: '' });
    expect(impossible.status).toBe(422);
    // An unticked cell has no dates to set.
    const unticked = await setValidity({ channel: ids.betaChannel, valid_from: '2027-02-01' });
    expect(unticked.status).toBe(422);
    expect(await count('channel_service_validity')).toBe(0);
    expect(await count('audit_log')).toBe(before);
  });

  it('unticking the cell removes its dates (the database cascades)', async () => {
    expect((await setValidity({ valid_from: '2027-02-01' })).status).toBe(303);
    const res = await admin.agent.post('/settings/traffic-channels/cell').type('form').send({
      institution: ids.buda,
      channel: ids.alfaChannel,
      service: ids.cardioConsult,
      checked: '0',
      _csrf: admin.csrf,
    });
    expect(res.status).toBe(303);
    expect(await count('channel_service_validity')).toBe(0);
  });
});

describe('allotments', () => {
  /** Alfa's active bookings at Buda in January 2027: of the consultation, or of every Cardiology service. */
  const alfaJanuary = async (wholeQualification = false) => {
    const q = t
      .db('bookings as b')
      .join('services as s', 's.id', 'b.service_id')
      .where({ 'b.partner_id': ids.alfa, 'b.institution_id': ids.buda, 'b.status': 'booked' })
      .whereBetween('b.local_date', ['2027-01-01', '2027-01-31']);
    if (wholeQualification) q.where('s.qualification_id', ids.cardiology);
    else q.where('b.service_id', ids.cardioConsult);
    return Number((await q.count({ n: '*' }).first())!.n);
  };

  const createAllotment = (body: Record<string, string | number>) =>
    admin.agent
      .post('/settings/allotments')
      .type('form')
      .send({ partner: ids.alfa, institution: ids.buda, period: 'month', _csrf: admin.csrf, ...body });

  it('is listed under Settings -> Allotments and the calendar says what is left', async () => {
    const [slot] = await freeSlots(t.db, '2027-01-19', 1);
    const existing = await alfaJanuary();
    const res = await createAllotment({ target: `service:${ids.cardioConsult}`, cap: existing + 40 });
    expect(res.status).toBe(303);
    expect(await count('audit_log', { action: 'allotment.created' })).toBe(1);
    const list = await admin.agent.get('/settings/allotments');
    expect(list.text).toContain('<h1>Allotments</h1>');
    expect(list.text).toContain('Alfa Health Insurance');
    expect((await admin.agent.get('/settings')).text).toContain('href="/settings/allotments"');
    const alfa = await loginAs(t.app, 'alfa');
    expect((await alfa.agent.get(calendarUrl(slot))).text).toContain(
      `40 of ${existing + 40} left in January 2027`,
    );
    const ro = await alfa.agent.get(calendarUrl(slot)).set('Accept-Language', 'ro');
    expect(ro.text).toContain(`ianuarie 2027: au rămas 40 din ${existing + 40}`);
  });

  it('two Saves fill what is left, the third is a clear 409 and nothing is booked; a cancel frees one', async () => {
    const slots = await freeSlots(t.db, '2027-01-19', 3);
    const existing = await alfaJanuary(true);
    const cap = existing + 2;
    expect((await createAllotment({ target: `qualification:${ids.cardiology}`, cap })).status).toBe(303);
    const sessions = await Promise.all(slots.map(() => loginAs(t.app, 'alfa')));
    const tokens: string[] = [];
    for (const [i, s] of slots.entries()) {
      const r = await hold(sessions[i], s);
      expect(r.status).toBe(303);
      tokens.push(tokenOf(r.headers.location));
    }
    const first = await save(sessions[0], tokens[0], await newPatient());
    const second = await save(sessions[1], tokens[1], await newPatient());
    expect([first.status, second.status]).toEqual([303, 303]);
    const third = await save(sessions[2], tokens[2], await newPatient());
    expect(third.status).toBe(409);
    expect(third.text).toContain(
      `The allotment of Alfa Health Insurance is used up: ${cap} bookings in 2027-01. Nothing was booked`,
    );
    expect(await alfaJanuary(true)).toBe(cap);
    const usage = await t.db('allotment_usage').select('period_key', 'used', 'cap');
    expect(usage).toEqual([{ period_key: '2027-01', used: cap, cap }]);

    const page = await sessions[2].agent.get(calendarUrl(slots[2]));
    expect(page.text).toContain(`0 of ${cap} left in January 2027`);
    expect(freeSlotIds(page.text)).toEqual([]);
    expect(page.text).toContain('Allotment used up');
    const hu = await sessions[2].agent.get(calendarUrl(slots[2])).set('Accept-Language', 'hu');
    expect(hu.text).toContain(`január 2027: ${cap} helyből 0 maradt`);
    const refused = await hold(sessions[2], slots[2]);
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('is used up');

    // Cancelling one booking gives it back.
    const bookingId = Number(/\/booking\/confirmation\/(\d+)/.exec(first.headers.location)![1]);
    const cancel = await sessions[0].agent
      .post(`/bookings/${bookingId}/cancel`)
      .type('form')
      .send({ reason: 'Patient called', _csrf: sessions[0].csrf });
    expect(cancel.status).toBe(303);
    expect(await t.db('allotment_usage').first('used')).toEqual({ used: cap - 1 });
    expect((await sessions[2].agent.get(calendarUrl(slots[2]))).text).toContain(
      `1 of ${cap} left in January 2027`,
    );
    const retry = await holdAndSave(sessions[2], slots[2]);
    expect(retry.status).toBe(303);
    expect(await t.db('allotment_usage').first('used')).toEqual({ used: cap });
  });

  it('counts bookings made before the allotment existed; a lowered cap never goes below what is booked', async () => {
    const slots = await freeSlots(t.db, '2027-01-19', 2);
    const alfa = await loginAs(t.app, 'alfa');
    expect((await holdAndSave(alfa, slots[0])).status).toBe(303);
    const n = await alfaJanuary();
    expect(n).toBeGreaterThan(0);
    expect((await createAllotment({ target: `service:${ids.cardioConsult}`, cap: n })).status).toBe(303);
    expect((await alfa.agent.get(calendarUrl(slots[1]))).text).toContain(`0 of ${n} left in January 2027`);
    const refused = await holdAndSave(alfa, slots[1]);
    expect(refused.status).toBe(409);
    // Raise the cap by one: one more fits.
    const allotment = await t.db('allotments').first('id');
    const raise = await admin.agent
      .post(`/settings/allotments/${allotment.id}`)
      .type('form')
      .send({ cap: n + 1, _csrf: admin.csrf });
    expect(raise.status).toBe(303);
    expect(await count('audit_log', { action: 'allotment.changed' })).toBe(1);
    expect((await holdAndSave(alfa, slots[1])).status).toBe(303);
    // Lowering it below what is booked keeps the counter consistent (the CHECK holds).
    await admin.agent
      .post(`/settings/allotments/${allotment.id}`)
      .type('form')
      .send({ cap: 0, _csrf: admin.csrf });
    expect(await t.db('allotment_usage').select('used', 'cap')).toEqual([{ used: n + 1, cap: n + 1 }]);
  });

  it('a clinic booking does not count, another partner is not capped, and the database refuses used > cap', async () => {
    const [slot] = await freeSlots(t.db, '2027-01-19', 1);
    expect((await createAllotment({ target: `service:${ids.cardioConsult}`, cap: 0 })).status).toBe(303);
    const desk = await loginAs(t.app, 'desk');
    const clinic = await holdAndSave(desk, slot, null, { channel: ids.reception });
    expect(clinic.status).toBe(303);
    const allotment = await t.db('allotments').first('id');
    await expect(
      t.db('allotment_usage').insert({ allotment_id: allotment.id, period_key: '2027-02', used: 2, cap: 1 }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/check|constraint/i) });
  });

  it('bad input is a 422 beside the field and creates nothing; the delete is audited', async () => {
    const bad = await createAllotment({ target: '', cap: 'many' });
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/id="target-error">Choose a service or a qualification./);
    expect(bad.text).toMatch(/id="cap-error">Enter a whole number from 0 to 100000./);
    const unknown = await createAllotment({ target: 'service:999999', cap: 3 });
    expect(unknown.status).toBe(422);
    expect(unknown.text).toMatch(/id="target-error">This choice does not exist or is not active./);
    expect(await count('allotments')).toBe(0);
    expect(
      (await createAllotment({ target: `service:${ids.cardioConsult}`, period: 'week', cap: 5 })).status,
    ).toBe(303);
    const allotment = await t.db('allotments').first('id');
    const badCap = await admin.agent
      .post(`/settings/allotments/${allotment.id}`)
      .type('form')
      .send({ cap: '-1', _csrf: admin.csrf });
    expect(badCap.status).toBe(422);
    expect(await t.db('allotments').first('cap')).toEqual({ cap: 5 });
    const del = await admin.agent
      .post(`/settings/allotments/${allotment.id}/delete`)
      .type('form')
      .send({ _csrf: admin.csrf });
    expect(del.status).toBe(303);
    expect(await count('allotments')).toBe(0);
    expect(await count('audit_log', { action: 'allotment.deleted' })).toBe(1);
  });
});

describe('reserved blocks', () => {
  /** A block for Alfa on one weekday of one doctor, whole day, released `days` days before each slot. */
  async function createBlock(slot: Slot, days: number, extra: Record<string, unknown> = {}) {
    const weekday = new Date(`${slot.local_date}T12:00:00Z`).getUTCDay() || 7;
    return admin.agent
      .post('/settings/reserved-blocks')
      .type('form')
      .send({
        partner: ids.alfa,
        institution: ids.buda,
        doctor: slot.doctor_id,
        weekdays: String(weekday),
        from_time: '00:00',
        to_time: '24:00',
        date_from: slot.local_date,
        date_to: slot.local_date,
        release_value: days,
        release_unit: 'days',
        _csrf: admin.csrf,
        ...extra,
      });
  }

  beforeEach(async () => {
    // Beta may book the consultation at Buda too (the demo ticks other services for it).
    await t
      .db('channel_services')
      .insert({ institution_id: ids.buda, channel_id: ids.betaChannel, service_id: ids.cardioConsult });
  });

  it('is "Reserved for another partner" to beta (never naming Alfa), "Reserved for Alfa" to the desk, and refused to them until release; alfa sees it free; after release anyone may book', async () => {
    const [slot] = await freeSlots(t.db, '2027-01-22', 1);
    const beta = await loginAs(t.app, 'beta');
    // A reservation beta made before the block existed: its Save is refused once the block is there.
    const staleBeta = await hold(beta, slot);
    expect(staleBeta.status).toBe(303);
    expect((await createBlock(slot, 2)).status).toBe(303);
    expect(await count('audit_log', { action: 'reserved_block.created' })).toBe(1);
    const refusedSave = await save(beta, tokenOf(staleBeta.headers.location), await newPatient(ids.beta));
    expect(refusedSave.status).toBe(409);
    // Alfa's contract is Alfa's tenant data: beta learns only that another partner holds the slot.
    expect(refusedSave.text).toContain('This slot is reserved for another partner until');
    expect(refusedSave.text).not.toContain('Alfa');
    expect(
      await count('bookings', {
        patient_id: await t
          .db('patients')
          .max({ m: 'id' })
          .first()
          .then((r) => r!.m),
      }),
    ).toBe(0);
    // Beta lets go of that reservation (Cancel reservation).
    const cancelled = await beta.agent
      .post(`/reservations/${tokenOf(staleBeta.headers.location)}/cancel`)
      .type('form')
      .send({ _csrf: beta.csrf });
    expect(cancelled.status).toBe(303);

    const betaPage = await beta.agent.get(calendarUrl(slot));
    expect(freeSlotIds(betaPage.text)).not.toContain(slot.id);
    expect(betaPage.text).toContain('Reserved for another partner');
    expect(betaPage.text).not.toContain('Alfa');
    const betaTry = await hold(beta, slot);
    expect(betaTry.status).toBe(409);
    expect(betaTry.text).toContain('reserved for another partner');
    expect(betaTry.text).not.toContain('Alfa');

    const desk = await loginAs(t.app, 'desk');
    const deskPage = await desk.agent.get(
      `/booking?channel=${ids.reception}&institution=${ids.buda}&service=${ids.cardioConsult}&doctor=${slot.doctor_id}&week=${slot.local_date}`,
    );
    expect(freeSlotIds(deskPage.text)).not.toContain(slot.id);
    expect(deskPage.text).toContain('Reserved for Alfa Health Insurance');
    const deskTry = await hold(desk, slot, { channel: ids.reception });
    expect(deskTry.status).toBe(409);
    expect(deskTry.text).toContain('This slot is reserved for Alfa Health Insurance until');
    // Clinic staff booking for beta through Book to partner is refused the same way.
    expect((await hold(desk, slot, { partner: ids.beta })).status).toBe(409);

    const alfa = await loginAs(t.app, 'alfa');
    expect(freeSlotIds((await alfa.agent.get(calendarUrl(slot))).text)).toContain(slot.id);

    // One minute before the release the slot is still held; at the release it is free for everyone.
    const release = new Date(Date.parse(slot.starts_at) - 2 * 86_400_000);
    clock.set(new Date(release.getTime() - 60_000));
    // (Days later: a new login, the old session has run out.)
    const betaLater = await loginAs(t.app, 'beta');
    expect((await hold(betaLater, slot)).status).toBe(409);
    // The calendar drawn now is kept (week cache) only until the release: then it is drawn again.
    expect(freeSlotIds((await betaLater.agent.get(calendarUrl(slot))).text)).not.toContain(slot.id);
    clock.set(release);
    expect(freeSlotIds((await betaLater.agent.get(calendarUrl(slot))).text)).toContain(slot.id);
    const booked = await holdAndSave(betaLater, slot, ids.beta);
    expect(booked.status).toBe(303);
  });

  it('statistics show how much of the block its partner used; the block can be edited and deleted (audited)', async () => {
    const [slot] = await freeSlots(t.db, '2027-01-22', 1);
    expect((await createBlock(slot, 1)).status).toBe(303);
    const inBlock = await count('slots', {
      doctor_id: slot.doctor_id,
      institution_id: ids.buda,
      local_date: slot.local_date,
    });
    const alfa = await loginAs(t.app, 'alfa');
    expect((await holdAndSave(alfa, slot)).status).toBe(303);
    const stats = await admin.agent.get('/statistics/reserved-blocks');
    expect(stats.status).toBe(200);
    expect(stats.text).toContain(`1 of ${inBlock} slots`);
    expect((await admin.agent.get('/statistics')).text).toContain('href="/statistics/reserved-blocks"');

    const block = await t.db('reserved_blocks').first('id');
    const editPage = await admin.agent.get(`/settings/reserved-blocks?edit=${block.id}`);
    expect(editPage.text).toContain(`action="/settings/reserved-blocks/${block.id}"`);
    const bad = await admin.agent.post(`/settings/reserved-blocks/${block.id}`).type('form').send({
      partner: ids.alfa,
      institution: ids.buda,
      doctor: slot.doctor_id,
      from_time: '12:00',
      to_time: '08:00',
      date_from: slot.local_date,
      date_to: slot.local_date,
      release_value: 1,
      release_unit: 'days',
      _csrf: admin.csrf,
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toMatch(/id="weekdays-error">Tick at least one weekday./);
    expect(bad.text).toMatch(/id="to_time-error">The end time must be after the start time./);
    expect((await createBlock(slot, 3, { date_to: '2027-01-01' })).status).toBe(422);
    expect(await count('reserved_blocks')).toBe(1);
    const changed = await admin.agent
      .post(`/settings/reserved-blocks/${block.id}`)
      .type('form')
      .send({
        partner: ids.alfa,
        institution: ids.buda,
        doctor: slot.doctor_id,
        weekdays: ['1', '2', '3', '4', '5'],
        from_time: '08:00',
        to_time: '12:00',
        date_from: slot.local_date,
        date_to: addDays(slot.local_date, 7),
        release_value: 12,
        release_unit: 'hours',
        _csrf: admin.csrf,
      });
    expect(changed.status).toBe(303);
    expect(await t.db('reserved_blocks').first('weekdays', 'release_unit')).toEqual({
      weekdays: 31,
      release_unit: 'hours',
    });
    expect(await count('audit_log', { action: 'reserved_block.changed' })).toBe(1);
    const del = await admin.agent
      .post(`/settings/reserved-blocks/${block.id}/delete`)
      .type('form')
      .send({ _csrf: admin.csrf });
    expect(del.status).toBe(303);
    expect(await count('reserved_blocks')).toBe(0);
    expect(await count('audit_log', { action: 'reserved_block.deleted' })).toBe(1);
  });

  it('a partner user with statistics sees only their own partner\u2019s blocks', async () => {
    const [slot] = await freeSlots(t.db, '2027-01-22', 1);
    expect((await createBlock(slot, 1)).status).toBe(303);
    expect((await createBlock(slot, 1, { partner: ids.beta })).status).toBe(303);
    for (const username of ['alfa', 'beta']) {
      const user = await t.db('users').where({ username }).first('id');
      await t.db('user_permissions').insert({ user_id: user.id, permission: 'statistics' });
    }
    const alfa = await loginAs(t.app, 'alfa');
    const page = await alfa.agent.get('/statistics/reserved-blocks');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Alfa Health Insurance');
    expect(page.text).not.toContain('Beta Corporate Care');
    const beta = await loginAs(t.app, 'beta');
    expect((await beta.agent.get('/statistics/reserved-blocks')).text).not.toContain('Alfa Health Insurance');
    // Partner users never reach the settings pages.
    expect((await alfa.agent.get('/settings/reserved-blocks')).status).toBe(403);
    expect((await alfa.agent.get('/settings/allotments')).status).toBe(403);
  });
});
