import { makeTestApp, loginAs, type TestApp } from './helpers';
import { fixtures } from './fixtures';
import {
  demoIds,
  freeSlot,
  freeSlotIds,
  optionsOf,
  reserve,
  save,
  tokenOf,
  type DemoIds,
  holdCardioConsult,
} from './booking-helpers';
import { formatLocalTime } from '../src/lib/time';
import { FixedClock } from '../src/lib/clock';

let t: TestApp;
let ids: DemoIds;
beforeEach(async () => {
  t = await makeTestApp({ demo: true });
  ids = await demoIds(t.db);
});
afterEach(() => t.db.destroy());

/** The ticked matrix for a channel, straight from channel_services. */
async function ticked(channelId: number): Promise<Map<number, number[]>> {
  const rows = await t
    .db('channel_services')
    .select('institution_id', 'service_id')
    .where({ channel_id: channelId });
  const out = new Map<number, number[]>();
  for (const r of rows)
    out.set(
      r.institution_id,
      [...(out.get(r.institution_id) ?? []), r.service_id].sort((a, b) => a - b),
    );
  return out;
}

describe('GET /partner-booking (choices)', () => {
  it.each(['alfa', 'beta'])(
    'offers %s exactly the ticked institutions and services, nothing else',
    async (username) => {
      const u = await loginAs(t.app, username);
      const channel = username === 'alfa' ? ids.alfaChannel : ids.betaChannel;
      const matrix = await ticked(channel);
      const page = await u.agent.get('/partner-booking');
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('<select id="partner"');
      expect(page.text).toContain(username === 'alfa' ? 'Alfa Health Insurance' : 'Beta Corporate Care');
      expect(optionsOf(page.text, 'institution')).toEqual([...matrix.keys()].sort((a, b) => a - b));
      for (const [institution, services] of matrix) {
        const res = await u.agent.get(`/partner-booking?institution=${institution}`);
        expect(res.status).toBe(200);
        expect(optionsOf(res.text, 'service')).toEqual(services);
      }
    },
  );

  it('lets desk choose Alfa and shows Alfa\u2019s services only', async () => {
    const u = await loginAs(t.app, 'desk');
    const first = await u.agent.get('/partner-booking');
    expect(optionsOf(first.text, 'partner')).toEqual([ids.alfa, ids.beta].sort((a, b) => a - b));
    const res = await u.agent.get(`/partner-booking?partner=${ids.alfa}&institution=${ids.buda}`);
    expect(res.status).toBe(200);
    expect(optionsOf(res.text, 'service')).toEqual((await ticked(ids.alfaChannel)).get(ids.buda));
    const beta = await u.agent.get(`/partner-booking?partner=${ids.beta}&institution=${ids.buda}`);
    expect(optionsOf(beta.text, 'service')).toEqual((await ticked(ids.betaChannel)).get(ids.buda));
  });

  it('narrows doctors by service and services by qualification', async () => {
    const u = await loginAs(t.app, 'alfa');
    const res = await u.agent.get(`/partner-booking?institution=${ids.buda}&qualification=${ids.cardiology}`);
    const cardiologyServices = (
      await t.db('services').select('id').where({ qualification_id: ids.cardiology })
    ).map((r) => r.id);
    const offered = optionsOf(res.text, 'service');
    expect(offered.length).toBeGreaterThan(0);
    expect(offered.every((s) => cardiologyServices.includes(s))).toBe(true);
    const doctors = (
      await t
        .db('doctor_services')
        .select('doctor_id')
        .where({ institution_id: ids.buda, service_id: ids.cardioConsult })
    )
      .map((r) => r.doctor_id)
      .sort((a, b) => a - b);
    const withService = await u.agent.get(
      `/partner-booking?institution=${ids.buda}&service=${ids.cardioConsult}`,
    );
    expect(optionsOf(withService.text, 'doctor')).toEqual(doctors);
  });

  it('offers staff limited to some institutions only those, and forbids the others (403)', async () => {
    await fixtures.user(t.db, 'viennadesk', ['partner_booking'], null, { institutionIds: [ids.vienna] });
    const u = await loginAs(t.app, 'viennadesk');
    const page = await u.agent.get(`/partner-booking?partner=${ids.alfa}`);
    expect(optionsOf(page.text, 'institution')).toEqual([ids.vienna]);
    expect((await u.agent.get(`/partner-booking?partner=${ids.alfa}&institution=${ids.buda}`)).status).toBe(
      403,
    );
    const slot = await freeSlot(t.db, ids.buda, ids.cardioConsult, 1);
    expect(
      (
        await reserve(u, {
          partner: ids.alfa,
          institution: ids.buda,
          service: ids.cardioConsult,
          slot: slot.id,
        })
      ).status,
    ).toBe(403);
    expect(await t.db('holds').count({ n: '*' }).first()).toEqual({ n: 0 });
  });

  it('forbids a partner user from choosing another partner (403)', async () => {
    const u = await loginAs(t.app, 'alfa');
    const res = await u.agent.get(`/partner-booking?partner=${ids.beta}`);
    expect(res.status).toBe(403);
  });

  it('says why when the service is not enabled for the partner here: staff are sent to Traffic channels', async () => {
    const u = await loginAs(t.app, 'desk');
    // Cardiology consultation is ticked for Alfa at Buda, not for Beta.
    const res = await u.agent.get(
      `/partner-booking?partner=${ids.beta}&institution=${ids.buda}&service=${ids.cardioConsult}`,
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain(
      'This service is not enabled for this partner at this institution. Check the partner\u2019s column under the Traffic channels menu.',
    );
    expect(freeSlotIds(res.text)).toEqual([]);
  });

  it('tells a partner user to contact the clinic, not to open Traffic channels (calendar and Start the reservation)', async () => {
    const u = await loginAs(t.app, 'beta');
    const res = await u.agent.get(`/partner-booking?institution=${ids.buda}&service=${ids.cardioConsult}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(
      'This service is not enabled for your organisation at this institution. Please contact the clinic.',
    );
    expect(res.text).not.toContain('Traffic channels menu');
    const slot = await freeSlot(t.db, ids.buda, ids.cardioConsult, 1);
    const refused = await reserve(u, { institution: ids.buda, service: ids.cardioConsult, slot: slot.id });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain(
      'This service is not enabled for your organisation at this institution. Please contact the clinic.',
    );
    expect(refused.text).not.toContain('Traffic channels menu');
    expect(await t.db('holds').count({ n: '*' }).first()).toEqual({ n: 0 });
  });

  it('says whom to ask when no institution has anything enabled for the partner', async () => {
    await t.db('channel_services').where({ channel_id: ids.alfaChannel }).del();
    const alfa = await loginAs(t.app, 'alfa');
    const own = await alfa.agent.get('/partner-booking');
    expect(own.status).toBe(200);
    expect(own.text).toContain(
      'No institution has a service enabled for your organisation. Please contact the clinic.',
    );
    expect(own.text).not.toContain('Traffic channels menu');
    const desk = await loginAs(t.app, 'desk');
    const staff = await desk.agent.get(`/partner-booking?partner=${ids.alfa}`);
    expect(staff.text).toContain(
      'No institution has a service enabled for this booking. Check the partner\u2019s column under the Traffic channels menu.',
    );
  });

  it('says "No schedule or slots in this period" for a week without slots', async () => {
    const u = await loginAs(t.app, 'alfa');
    const res = await u.agent.get(
      `/partner-booking?institution=${ids.buda}&service=${ids.cardioConsult}&week=2030-01-07`,
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain('No schedule or slots in this period');
  });

  it('refuses a week outside the years 1900..2100 or in an odd ISO shape (400), not a 500', async () => {
    const u = await loginAs(t.app, 'alfa');
    for (const week of ['9999-12-31', '+010000-01-01', '1899-12-25']) {
      const res = await u.agent.get(
        `/partner-booking?institution=${ids.buda}&service=${ids.cardioConsult}&week=${encodeURIComponent(week)}`,
      );
      expect(res.status).toBe(400);
    }
    const fine = await u.agent.get(
      `/partner-booking?institution=${ids.buda}&service=${ids.cardioConsult}&week=2100-12-27`,
    );
    expect(fine.status).toBe(200);
  });

  it('says "Every slot this week is taken" when nothing is free', async () => {
    const u = await loginAs(t.app, 'alfa');
    const slot = await freeSlot(t.db, ids.buda, ids.cardioConsult, 8);
    const week: [string, string] = [monday(slot.local_date), sunday(slot.local_date)];
    await t
      .db('slots')
      .where({ doctor_id: slot.doctor_id, institution_id: ids.buda })
      .whereBetween('local_date', week)
      .update({ status: 'blocked' });
    const res = await u.agent.get(
      `/partner-booking?institution=${ids.buda}&service=${ids.cardioConsult}&doctor=${slot.doctor_id}&week=${slot.local_date}`,
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain('Every slot this week is taken');
    expect(res.text).toContain('Blocked');
    expect(freeSlotIds(res.text)).toEqual([]);
    expect(res.text).not.toContain('Start the reservation');
  });
});

function monday(date: string): string {
  const d = new Date(date + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}
function sunday(date: string): string {
  const d = new Date(monday(date) + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + 6);
  return d.toISOString().slice(0, 10);
}

describe('calendar time zones', () => {
  it('shows 08:00 on both sides of the spring DST change in Europe/Budapest', async () => {
    // The clock stands in mid-2026: March 2026 is past and March 2027 ahead, whatever today is.
    const dst = await makeTestApp({ clock: new FixedClock('2026-06-15T10:00:00.000Z') });
    const db = dst.db;
    const inst = await fixtures.institution(db, 'DST Clinic', 'Europe/Budapest');
    const { partnerId, channelId } = await fixtures.partner(db, 'DST Partner');
    const q = await fixtures.qualification(db, 'DST qualification');
    const s = await fixtures.service(db, q, 'DST service', 20);
    const doc = await fixtures.doctor(db, 'Dr. DST', q, [inst], [s]);
    await fixtures.tick(db, inst, channelId, s);
    await fixtures.user(db, 'dstuser', ['partner_booking'], partnerId);
    // 2026: Saturday before the change is UTC+1, Sunday after 02:00 is UTC+2. 2027 likewise (free, in the future).
    const before26 = await fixtures.slot(
      db,
      doc,
      inst,
      '2026-03-28T07:00:00.000Z',
      '2026-03-28T07:20:00.000Z',
      '2026-03-28',
    );
    const after26 = await fixtures.slot(
      db,
      doc,
      inst,
      '2026-03-29T06:00:00.000Z',
      '2026-03-29T06:20:00.000Z',
      '2026-03-29',
    );
    const before27 = await fixtures.slot(
      db,
      doc,
      inst,
      '2027-03-27T07:00:00.000Z',
      '2027-03-27T07:20:00.000Z',
      '2027-03-27',
    );
    const after27 = await fixtures.slot(
      db,
      doc,
      inst,
      '2027-03-28T06:00:00.000Z',
      '2027-03-28T06:20:00.000Z',
      '2027-03-28',
    );
    const u = await loginAs(dst.app, 'dstuser');

    const past = await u.agent.get(`/partner-booking?institution=${inst}&service=${s}&week=2026-03-25`);
    expect(past.status).toBe(200);
    expect(past.text).toMatch(/Sat 28 Mar<\/h3><ul>\s*<li class="nb">08:00 Past<\/li>/);
    expect(past.text).toMatch(/Sun 29 Mar<\/h3><ul>\s*<li class="nb">08:00 Past<\/li>/);
    expect(past.text).not.toContain('07:00');

    const future = await u.agent.get(`/partner-booking?institution=${inst}&service=${s}&week=2027-03-22`);
    expect(future.text).toMatch(
      new RegExp(
        `Sat 27 Mar</h3><ul>\\s*<li><input type="radio" name="slot" id="s${before27}"[^>]*><label for="s${before27}" class="free">Free 08:00</label>`,
      ),
    );
    expect(future.text).toMatch(
      new RegExp(
        `Sun 28 Mar</h3><ul>\\s*<li><input type="radio" name="slot" id="s${after27}"[^>]*><label for="s${after27}" class="free">Free 08:00</label>`,
      ),
    );
    expect([before26, after26]).toHaveLength(2);
    await dst.db.destroy();
  });
});

describe('services longer than one slot', () => {
  it('offers a 40-minute service only where two consecutive free slots exist, and holds both', async () => {
    // A fixed clock a month before the slots, so they are in the future whatever today is.
    const long = await makeTestApp({ clock: new FixedClock('2030-05-01T10:00:00.000Z') });
    const db = long.db;
    const inst = await fixtures.institution(db, 'Long Clinic', 'UTC');
    const { partnerId, channelId } = await fixtures.partner(db, 'Long Partner');
    const q = await fixtures.qualification(db, 'Long qualification');
    const s = await fixtures.service(db, q, 'Long service', 40);
    const doc = await fixtures.doctor(db, 'Dr. Long', q, [inst], [s]);
    await fixtures.tick(db, inst, channelId, s);
    await fixtures.user(db, 'longuser', ['partner_booking'], partnerId);
    const day = '2030-06-03'; // a Monday
    const at = (hm: string, plus: number) =>
      new Date(Date.parse(`${day}T${hm}:00.000Z`) + plus * 60_000).toISOString();
    const s0800 = await fixtures.slot(db, doc, inst, at('08:00', 0), at('08:00', 20), day);
    const s0820 = await fixtures.slot(db, doc, inst, at('08:20', 0), at('08:20', 20), day);
    const s0840 = await fixtures.slot(db, doc, inst, at('08:40', 0), at('08:40', 20), day);
    const s0920 = await fixtures.slot(db, doc, inst, at('09:20', 0), at('09:20', 20), day); // gap before it
    const u = await loginAs(long.app, 'longuser');
    const page = await u.agent.get(`/partner-booking?institution=${inst}&service=${s}&week=${day}`);
    expect(freeSlotIds(page.text)).toEqual([s0800, s0820]);
    expect(page.text).toContain('08:40 Too short');
    expect(page.text).toContain('09:20 Too short');

    const res = await reserve(u, { institution: inst, service: s, slot: s0820 });
    expect(res.status).toBe(303);
    const held = (await db('hold_slots').select('slot_id').orderBy('slot_id')).map((r) => r.slot_id);
    expect(held).toEqual([s0820, s0840]);
    // Now 08:00 cannot start 40 minutes any more: 08:20 is held.
    const after = await u.agent.get(`/partner-booking?institution=${inst}&service=${s}&week=${day}`);
    expect(freeSlotIds(after.text)).toEqual([]);
    expect(after.text).toContain('08:20 Held');
    expect(after.text).toContain('Every slot this week is taken');
    expect(s0920).toBeGreaterThan(0);
    await long.db.destroy();
  });
});

describe('the booking flow', () => {
  it('books as desk for Alfa with plain GET/POST (no JavaScript): partner, channel, actor, audit', async () => {
    const u = await loginAs(t.app, 'desk');
    const step1 = await u.agent.get('/partner-booking');
    expect(step1.status).toBe(200);
    expect(step1.text).toContain('<label for="institution">Institution</label>');
    expect(step1.text).toContain('<label for="partner">Partner</label>');
    const step2 = await u.agent.get(`/partner-booking?partner=${ids.alfa}&institution=${ids.buda}`);
    for (const label of ['Qualification', 'Doctor', 'Service'])
      expect(step2.text).toContain(`<label for="${label.toLowerCase()}">${label}</label>`);
    expect(optionsOf(step2.text, 'service')).toContain(ids.cardioConsult);
    const slot = await freeSlot(t.db, ids.buda, ids.cardioConsult, 1);
    const step3 = await u.agent.get(
      `/partner-booking?partner=${ids.alfa}&institution=${ids.buda}&service=${ids.cardioConsult}&week=${slot.local_date}`,
    );
    expect(step3.status).toBe(200);
    expect(step3.text).toContain('Start the reservation');
    expect(freeSlotIds(step3.text)).toContain(slot.id);
    expect(step3.text).toMatch(/class="free">Free \d\d:\d\d<\/label>/);

    const held = await reserve(u, {
      partner: ids.alfa,
      institution: ids.buda,
      service: ids.cardioConsult,
      slot: slot.id,
    });
    expect(held.status).toBe(303);
    const token = tokenOf(held.headers.location);
    const hold = await t.db('holds').where({ token }).first();
    expect(hold.partner_id).toBe(ids.alfa);
    expect(hold.channel_id).toBe(ids.alfaChannel);
    expect(Date.parse(hold.expires_at) - t.clock.nowMs()).toBeGreaterThan(9 * 60_000);

    const dialog = await u.agent.get(`/reservations/${token}`);
    expect(dialog.status).toBe(200);
    expect(dialog.text).toContain('Reserved until');
    expect(dialog.text).toContain('<label for="q">Search patient</label>');
    expect(dialog.text).toContain('Alfa Health Insurance');
    const search = await u.agent.get(`/reservations/${token}?q=kovacs`);
    expect(search.text).toContain(`name="patient_id" value="${ids.janos}"`);

    const saved = await save(u, token, ids.janos);
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toMatch(/^\/booking\/confirmation\/\d+$/);
    const booking = await t.db('bookings').where({ idempotency_key: token }).first();
    const desk = await t.db('users').where({ username: 'desk' }).first();
    expect(booking).toMatchObject({
      partner_id: ids.alfa,
      channel_id: ids.alfaChannel,
      created_by_user_id: desk.id,
      patient_id: ids.janos,
      institution_id: ids.buda,
      service_id: ids.cardioConsult,
      status: 'booked',
    });
    expect(booking.starts_at).toBe(slot.starts_at);
    expect(booking.commission_minor).toBe(Math.round((booking.price_minor * 1000) / 10000));
    expect(await t.db('slot_occupancies').where({ slot_id: slot.id }).first()).toMatchObject({
      booking_id: booking.id,
    });
    expect(await t.db('holds').where({ token }).first()).toBeUndefined();
    const audit = await t.db('audit_log').where({ action: 'booking.created', entity_id: booking.id }).first();
    expect(audit.actor_user_id).toBe(desk.id);
    expect(JSON.parse(audit.details)).toMatchObject({
      partner_id: ids.alfa,
      patient_id: ids.janos,
      starts_at: slot.starts_at,
    });

    const confirmation = await u.agent.get(saved.headers.location);
    expect(confirmation.status).toBe(200);
    for (const fact of [
      'Buda Health Centre',
      'Cardiology consultation',
      'János Kovács',
      'Alfa Health Insurance',
      'Partner booking',
      slot.local_date,
    ])
      expect(confirmation.text).toContain(fact);
    // Times in the institution's zone; "Book another" returns to the same choices and week.
    const zone = (await t.db('institutions').where({ id: ids.buda }).first()).time_zone;
    expect(confirmation.text).toContain(
      `${formatLocalTime(booking.starts_at, zone)}–${formatLocalTime(booking.ends_at, zone)} <span class="muted">(${zone} time)</span>`,
    );
    expect(confirmation.text).toContain(
      `href="/partner-booking?institution=${ids.buda}&amp;partner=${ids.alfa}&amp;qualification=${ids.cardiology}&amp;service=${ids.cardioConsult}&amp;week=${slot.local_date}"`,
    );
  });

  it('books as alfa directly, flagged for Alfa with Alfa\u2019s channel', async () => {
    const u = await loginAs(t.app, 'alfa');
    const slot = await freeSlot(t.db, ids.vienna, ids.cardioConsult, 1);
    const held = await reserve(u, { institution: ids.vienna, service: ids.cardioConsult, slot: slot.id });
    expect(held.status).toBe(303);
    const token = tokenOf(held.headers.location);
    const anna = await t.db('patients').where({ family_name: 'Müller' }).first();
    const saved = await save(u, token, anna.id);
    expect(saved.status).toBe(303);
    const alfaUser = await t.db('users').where({ username: 'alfa' }).first();
    const booking = await t.db('bookings').where({ idempotency_key: token }).first();
    expect(booking).toMatchObject({
      partner_id: ids.alfa,
      channel_id: ids.alfaChannel,
      created_by_user_id: alfaUser.id,
      patient_id: anna.id,
    });
    const audit = await t.db('audit_log').where({ action: 'booking.created', entity_id: booking.id }).first();
    expect(audit).toMatchObject({ actor_user_id: alfaUser.id, actor_partner_id: ids.alfa });
    // Beta may not see Alfa's confirmation.
    const beta = await loginAs(t.app, 'beta');
    expect((await beta.agent.get(saved.headers.location)).status).toBe(404);
  });

  it('books as desk on the clinic calendar: Reception channel, no partner, no commission', async () => {
    const u = await loginAs(t.app, 'desk');
    const page = await u.agent.get(`/booking?institution=${ids.buda}`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(new RegExp(`<option value="${ids.reception}" selected>Reception</option>`));
    expect(page.text).not.toContain('<select id="partner"');
    const slot = await freeSlot(t.db, ids.buda, ids.ecg, 1);
    const held = await reserve(u, {
      channel: ids.reception,
      institution: ids.buda,
      service: ids.ecg,
      slot: slot.id,
    });
    expect(held.status).toBe(303);
    const token = tokenOf(held.headers.location);
    expect((await save(u, token, ids.janos)).status).toBe(303);
    const booking = await t.db('bookings').where({ idempotency_key: token }).first();
    expect(booking).toMatchObject({ channel_id: ids.reception, partner_id: null, commission_minor: 0 });
    const confirmation = await u.agent.get(`/booking/confirmation/${booking.id}`);
    expect(confirmation.text).toContain('Reception');
    expect(confirmation.text).not.toContain('Partner booking');
  });

  it('forbids the clinic calendar and clinic channels to partner users', async () => {
    const u = await loginAs(t.app, 'alfa');
    expect((await u.agent.get('/booking')).status).toBe(403);
    const slot = await freeSlot(t.db, ids.buda, ids.ecg, 1);
    const res = await reserve(u, {
      channel: ids.reception,
      institution: ids.buda,
      service: ids.ecg,
      slot: slot.id,
    });
    expect(res.status).toBe(403);
    expect(await t.db('holds').count({ n: '*' }).first()).toEqual({ n: 0 });
  });

  it('adds a new patient from the dialog, selects them, warns about duplicates', async () => {
    const u = await loginAs(t.app, 'alfa');
    const { token } = await holdCardioConsult(t.db, u, ids);
    const before = await t.db('patients').count({ n: '*' }).first();
    const bad = await u.agent.post(`/reservations/${token}/patients`).type('form').send({
      family_name: 'Tóth',
      given_name: '',
      birth_date: '2999-01-01',
      id_type: 'passport',
      id_number: 'X',
      _csrf: u.csrf,
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('id="given_name-error"');
    expect(bad.text).toContain('value="Tóth"');
    expect(await t.db('patients').count({ n: '*' }).first()).toEqual(before);

    const fields = {
      family_name: 'Tóth',
      given_name: 'Ilona',
      birth_date: '1970-02-03',
      id_type: 'passport',
      id_number: 'TI1234567',
      phone: '',
      email: '',
      _csrf: u.csrf,
    };
    const created = await u.agent.post(`/reservations/${token}/patients`).type('form').send(fields);
    expect(created.status).toBe(303);
    const patient = await t.db('patients').where({ id_number: 'TI1234567' }).first();
    expect(created.headers.location).toBe(`/reservations/${token}?selected=${patient.id}`);
    const dialog = await u.agent.get(created.headers.location);
    expect(dialog.text).toMatch(new RegExp(`name="patient_id" value="${patient.id}" checked`));

    const twin = await u.agent
      .post(`/reservations/${token}/patients`)
      .type('form')
      .send({ ...fields, id_number: 'TI7654321' });
    expect(twin.status).toBe(422);
    expect(twin.text).toContain('Create anyway');
    expect(await t.db('patients').where({ id_number: 'TI7654321' }).first()).toBeUndefined();
    const sameId = await u.agent
      .post(`/reservations/${token}/patients`)
      .type('form')
      .send({ ...fields, given_name: 'Ilka', confirm_duplicate: '1' });
    expect(sameId.status).toBe(422);
    expect(sameId.text).toContain('A patient with this identifier already exists. Choose them below.');
    expect(sameId.text).toContain('Ilona Tóth, born 1970-02-03 (Passport TI1234567)');
    expect(sameId.text).not.toContain('Create anyway');

    expect((await save(u, token, patient.id)).status).toBe(303);
    expect(
      await t.db('bookings').where({ idempotency_key: token, patient_id: patient.id }).first(),
    ).toBeDefined();
  });

  it('refuses Save without a patient (422) and keeps the hold', async () => {
    const u = await loginAs(t.app, 'alfa');
    const { token } = await holdCardioConsult(t.db, u, ids);
    const res = await u.agent.post(`/reservations/${token}/book`).type('form').send({ _csrf: u.csrf });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Please choose a patient or add a new one.');
    expect(await t.db('bookings').where({ idempotency_key: token }).first()).toBeUndefined();
    expect(await t.db('holds').where({ token }).first()).toBeDefined();
  });

  it('cancels the reservation: hold gone, back to the calendar with the same choices', async () => {
    const u = await loginAs(t.app, 'alfa');
    const { slot, token } = await holdCardioConsult(t.db, u, ids);
    const back = `/partner-booking?institution=${ids.buda}&qualification=${ids.cardiology}&doctor=${slot.doctor_id}&service=${ids.cardioConsult}&week=${slot.local_date}`;
    // An expired reservation's dialog links back to the same place.
    const expiresAt = (await t.db('holds').where({ token }).first()).expires_at;
    await t
      .db('holds')
      .where({ token })
      .update({ expires_at: new Date(t.clock.nowMs() - 1000).toISOString() });
    expect((await u.agent.get(`/reservations/${token}`)).text).toContain(
      `href="${back.replace(/&/g, '&amp;')}">Back to the calendar`,
    );
    await t.db('holds').where({ token }).update({ expires_at: expiresAt });
    const res = await u.agent.post(`/reservations/${token}/cancel`).type('form').send({ _csrf: u.csrf });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(back);
    expect(await t.db('holds').count({ n: '*' }).first()).toEqual({ n: 0 });
    const page = await u.agent.get(res.headers.location);
    expect(freeSlotIds(page.text)).toContain(slot.id);
  });

  it('refuses staff\u2019s Save after the cell was unticked, in staff wording', async () => {
    const u = await loginAs(t.app, 'desk');
    const { token } = await holdCardioConsult(t.db, u, ids, { partner: ids.alfa });
    await t
      .db('channel_services')
      .where({ institution_id: ids.buda, channel_id: ids.alfaChannel, service_id: ids.cardioConsult })
      .del();
    const res = await save(u, token, ids.janos);
    expect(res.status).toBe(409);
    expect(res.text).toContain('This service is no longer enabled for this partner here.');
    expect(await t.db('bookings').where({ idempotency_key: token }).first()).toBeUndefined();
  });

  it('refuses Save after the cell was unticked, with a clear message and no booking', async () => {
    const u = await loginAs(t.app, 'alfa');
    const { slot, token } = await holdCardioConsult(t.db, u, ids);
    await t
      .db('channel_services')
      .where({ institution_id: ids.buda, channel_id: ids.alfaChannel, service_id: ids.cardioConsult })
      .del();
    const res = await save(u, token, ids.janos);
    expect(res.status).toBe(409);
    expect(res.text).toContain(
      'This service is not enabled for your organisation at this institution. Please contact the clinic.',
    );
    expect(res.text).toContain(
      // The same calendar (doctor and week too), and the chosen patient kept for the next reservation.
      `href="/partner-booking?institution=${ids.buda}&amp;qualification=${ids.cardiology}&amp;doctor=${slot.doctor_id}&amp;service=${ids.cardioConsult}&amp;week=${slot.local_date}&amp;patient=${ids.janos}">Back to the calendar`,
    );
    expect(await t.db('bookings').where({ idempotency_key: token }).first()).toBeUndefined();
    expect(await t.db('slot_occupancies').where({ slot_id: slot.id }).first()).toBeUndefined();
    // The choices no longer offer it either.
    const page = await u.agent.get(`/partner-booking?institution=${ids.buda}`);
    expect(optionsOf(page.text, 'service')).not.toContain(ids.cardioConsult);
  });
});

describe('htmx fragments', () => {
  it('answers the choice form with the form+calendar fragment, and search with the results list', async () => {
    const u = await loginAs(t.app, 'alfa');
    const res = await u.agent
      .get(`/partner-booking?institution=${ids.buda}&service=${ids.cardioConsult}`)
      .set('HX-Request', 'true');
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('<html');
    expect(res.text.trimStart().startsWith('<div id="booking-choice">')).toBe(true);
    expect(res.text).toContain('<label for="service">Service</label>');
    expect(res.headers.vary).toMatch(/HX-Request/);
    const full = await u.agent.get(`/partner-booking?institution=${ids.buda}`);
    expect(full.text).toContain('<html');
    expect(full.text).toContain('hx-trigger="change" hx-include="closest form"');

    const { token } = await holdCardioConsult(t.db, u, ids);
    const dialog = await u.agent.get(`/reservations/${token}`);
    expect(dialog.text).toContain('hx-trigger="input changed delay:300ms, search"');
    const results = await u.agent.get(`/reservations/${token}?q=m%C3%BCller`).set('HX-Request', 'true');
    expect(results.status).toBe(200);
    expect(results.text).not.toContain('<html');
    expect(results.text).toContain('<div id="patient-results"');
    expect(results.text).toContain('Anna Müller');
  });
});

describe('messages on the calendar', () => {
  it('says a missing slot once, beside the calendar (422)', async () => {
    const u = await loginAs(t.app, 'alfa');
    const res = await reserve(u, { institution: ids.buda, service: ids.cardioConsult });
    expect(res.status).toBe(422);
    expect(res.text.split('Please choose a free slot from the calendar.')).toHaveLength(2);
    expect(res.text).toContain(
      '<span class="field-error" id="slot-error">Please choose a free slot from the calendar.</span>',
    );
  });

  it('says a malformed slot once (400)', async () => {
    const u = await loginAs(t.app, 'alfa');
    const res = await reserve(u, { institution: ids.buda, service: ids.cardioConsult, slot: 'abc' });
    expect(res.status).toBe(400);
    expect(res.text.split('Must be a number.')).toHaveLength(2);
  });
});

describe('malformed requests', () => {
  it('answers 400/404/422 and never 500', async () => {
    const u = await loginAs(t.app, 'alfa');
    const cases: [string, number][] = [
      ['/partner-booking?institution=abc', 400],
      ['/partner-booking?institution=999999', 400],
      [`/partner-booking?institution=${ids.buda}&service=abc`, 400],
      [`/partner-booking?institution=${ids.buda}&service=999999`, 400],
      [`/partner-booking?institution=${ids.buda}&doctor=-1`, 400],
      [`/partner-booking?institution=${ids.buda}&week=2026-13-45`, 400],
      [`/partner-booking?institution=${ids.buda}&week=notadate`, 400],
      [`/partner-booking?institution=${ids.buda}&institution=${ids.vienna}`, 200],
      ['/reservations/not-a-token', 404],
      ['/reservations/' + 'A'.repeat(43), 404],
      ['/booking/confirmation/abc', 404],
      ['/booking/confirmation/99999', 404],
    ];
    for (const [path, status] of cases) {
      const res = await u.agent.get(path);
      expect([path, res.status]).toEqual([path, status]);
    }
    const slot = await freeSlot(t.db, ids.buda, ids.cardioConsult, 1);
    const posts: [Record<string, string | number>, number][] = [
      [{ institution: ids.buda, service: ids.cardioConsult, slot: 'abc' }, 400],
      [{ institution: 'x', service: ids.cardioConsult, slot: slot.id }, 400],
      [{ institution: ids.buda, service: ids.cardioConsult }, 422],
      [{ institution: ids.buda, service: ids.cardioConsult, slot: 99999999 }, 422],
      [{ institution: ids.buda, slot: slot.id }, 422],
    ];
    for (const [fields, status] of posts) {
      const res = await reserve(u, fields);
      expect([fields, res.status]).toEqual([fields, status]);
    }
    expect(await t.db('holds').count({ n: '*' }).first()).toEqual({ n: 0 });
    const token = tokenOf(
      (await reserve(u, { institution: ids.buda, service: ids.cardioConsult, slot: slot.id })).headers
        .location,
    );
    expect((await save(u, token, 'abc')).status).toBe(400);
    expect((await save(u, token, 99999999)).status).toBe(422);
    expect(await t.db('bookings').where({ idempotency_key: token }).first()).toBeUndefined();
  });

  it('shows a reservation only to its own session (404 for another)', async () => {
    const alfa1 = await loginAs(t.app, 'alfa');
    const alfa2 = await loginAs(t.app, 'alfa');
    const { token } = await holdCardioConsult(t.db, alfa1, ids);
    expect((await alfa2.agent.get(`/reservations/${token}`)).status).toBe(404);
    const stolen = await save(alfa2, token, ids.janos);
    expect(stolen.status).toBe(409);
    expect(await t.db('bookings').where({ idempotency_key: token }).first()).toBeUndefined();
  });
});

describe('GET /partner-booking (queries)', () => {
  it('reads the partners\u2019 channels in one query, however many partners there are', async () => {
    const u = await loginAs(t.app, 'desk');
    const count = async () => {
      let n = 0;
      const onQuery = () => void n++;
      t.db.on('query', onQuery);
      const res = await u.agent.get(`/partner-booking?institution=${ids.buda}`);
      t.db.removeListener('query', onQuery);
      expect(res.status).toBe(200);
      return { n, html: res.text };
    };
    const before = await count();
    for (const name of ['Gamma', 'Delta', 'Epsilon', 'Zeta', 'Eta']) {
      const { channelId } = await fixtures.partner(t.db, `${name} Partner`);
      await fixtures.tick(t.db, ids.buda, channelId, ids.ecg);
    }
    const after = await count();
    expect(after.html).toContain('Zeta Partner');
    expect(after.n).toBe(before.n);
  });
});
