/**
 * The patient step of the reservation dialog without JavaScript: whichever button is pressed
 * (Search, Save, Add new patient, Reserve the same slot again) everything typed comes back, and
 * Save with a typed New patient and nobody chosen registers and books them in one go.
 */
import { makeTestApp, loginAs, type TestApp, type LoggedIn } from './helpers';
import { bookElsewhere, demoIds, holdCardioConsult, type DemoIds } from './booking-helpers';

let t: TestApp;
let ids: DemoIds;
beforeEach(async () => {
  t = await makeTestApp({ demo: true });
  ids = await demoIds(t.db);
});
afterEach(() => t.db.destroy());

const newPatient = {
  family_name: 'Szabó',
  given_name: 'Réka',
  birth_date: '1991-06-15',
  id_type: 'passport',
  id_number: 'SR7654321',
  phone: '+36 30 123 4567',
  email: 'reka@example.com',
};

function post(u: LoggedIn, token: string, action: string, fields: Record<string, string | number>) {
  return u.agent
    .post(`/reservations/${token}/${action}`)
    .type('form')
    .send({ ...fields, _csrf: u.csrf });
}

/** Every typed New patient value is in the page again. */
function expectTypedValues(html: string, values: Record<string, string> = newPatient) {
  for (const [name, value] of Object.entries(values)) {
    if (name === 'id_type') expect(html).toMatch(new RegExp(`<option value="${value}" selected>`));
    else expect(html).toMatch(new RegExp(`name="${name}"[^>]*value="${value.replace(/[+.]/g, '\\$&')}"`));
  }
}

/** Starts the reservation on a free Alfa slot (clinic staff choose the partner, Alfa's user has it fixed). */
async function hold(u: LoggedIn) {
  const desk = !/Alfa Booking Desk/.test((await u.agent.get('/')).text);
  return holdCardioConsult(t.db, u, ids, desk ? { partner: ids.alfa } : {});
}

const count = (html: string, text: string) => html.split(text).length - 1;

describe('POST /reservations/:token/book with a typed New patient and nobody chosen', () => {
  it('registers the patient and books them in one go (both audited)', async () => {
    const u = await loginAs(t.app, 'alfa');
    const { token } = await hold(u);
    const res = await post(u, token, 'book', { q: '', ...newPatient });
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/booking\/confirmation\/\d+$/);
    const patient = await t.db('patients').where({ id_number: 'SR7654321' }).first();
    expect(patient).toMatchObject({ family_name: 'Szabó', phone: '+36 30 123 4567' });
    const booking = await t.db('bookings').where({ idempotency_key: token }).first();
    expect(booking.patient_id).toBe(patient.id);
    const actions = (await t.db('audit_log').select('action').orderBy('id')).map((r) => r.action);
    expect(actions.slice(-2)).toEqual(['patient.created', 'booking.created']);
  });

  it('keeps every typed value and books nothing when a field is wrong (422)', async () => {
    const u = await loginAs(t.app, 'alfa');
    const { token } = await hold(u);
    const typed = { ...newPatient, birth_date: '2999-01-01' };
    const res = await post(u, token, 'book', typed);
    expect(res.status).toBe(422);
    expectTypedValues(res.text, typed);
    expect(res.text).toContain('id="birth_date-error"');
    expect(await t.db('patients').where({ id_number: 'SR7654321' }).first()).toBeUndefined();
    expect(await t.db('bookings').where({ idempotency_key: token }).first()).toBeUndefined();
  });

  it('checks for duplicates first: same name and birth date warns, keeps the form, books nothing', async () => {
    const u = await loginAs(t.app, 'desk');
    const { token } = await hold(u);
    const janos = await t.db('patients').where({ id: ids.janos }).first();
    const twin = {
      ...newPatient,
      family_name: janos.family_name,
      given_name: janos.given_name,
      birth_date: janos.birth_date,
    };
    const res = await post(u, token, 'book', twin);
    expect(res.status).toBe(422);
    expect(res.text).toContain('A patient with the same name and date of birth already exists.');
    expect(res.text).toContain(`id="patient-${ids.janos}"`);
    expectTypedValues(res.text, twin);
    expect(await t.db('bookings').where({ idempotency_key: token }).first()).toBeUndefined();
    // Create anyway, then Save: registered and booked.
    const again = await post(u, token, 'book', { ...twin, confirm_duplicate: '1' });
    expect(again.status).toBe(303);
    const booking = await t.db('bookings').where({ idempotency_key: token }).first();
    expect(booking.patient_id).not.toBe(ids.janos);
  });

  it('books the chosen patient when one is chosen, whatever is typed below', async () => {
    const u = await loginAs(t.app, 'desk');
    const { token } = await hold(u);
    const res = await post(u, token, 'book', { patient_id: ids.janos, ...newPatient });
    expect(res.status).toBe(303);
    expect((await t.db('bookings').where({ idempotency_key: token }).first()).patient_id).toBe(ids.janos);
    expect(await t.db('patients').where({ id_number: 'SR7654321' }).first()).toBeUndefined();
  });

  it('says once what to do when nothing is chosen or typed (422)', async () => {
    const u = await loginAs(t.app, 'alfa');
    const { token } = await hold(u);
    const res = await post(u, token, 'book', { q: 'kov' });
    expect(res.status).toBe(422);
    expect(count(res.text, 'Please choose a patient or add a new one.')).toBe(1);
    expect(res.text).toContain('value="kov"');
  });
});

describe('POST /reservations/:token/search (Search without JavaScript)', () => {
  it('shows the results and keeps the typed New patient and the chosen patient', async () => {
    const u = await loginAs(t.app, 'desk');
    const { token } = await hold(u);
    const res = await post(u, token, 'search', { q: 'szab', patient_id: ids.janos, ...newPatient });
    expect(res.status).toBe(200);
    expect(res.text).toContain('value="szab"');
    expectTypedValues(res.text);
    // János was chosen before this search: still there and still chosen.
    expect(res.text).toMatch(
      new RegExp(`id="patient-${ids.janos}" name="patient_id" value="${ids.janos}" checked`),
    );
    expect(await t.db('patients').where({ id_number: 'SR7654321' }).first()).toBeUndefined();
  });
});

describe('POST /reservations/:token/patients (Add new patient)', () => {
  it('keeps the search and its results when a field is wrong', async () => {
    const u = await loginAs(t.app, 'desk');
    const { token } = await hold(u);
    const res = await post(u, token, 'patients', { q: 'kovacs', ...newPatient, email: 'nope' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('value="kovacs"');
    expect(res.text).toContain(`id="patient-${ids.janos}"`);
    expectTypedValues(res.text, { ...newPatient, email: 'nope' });
    expect(count(res.text, 'This is not a valid e-mail address.')).toBe(1);
  });
});

describe('the hold\u2019s time left', () => {
  async function setLeft(token: string, ms: number) {
    await t
      .db('holds')
      .where({ token })
      .update({ expires_at: new Date(t.clock.nowMs() + ms).toISOString() });
  }

  it('answers the countdown fragment from the app clock, with the warning in the last minute', async () => {
    const u = await loginAs(t.app, 'alfa');
    const { token } = await hold(u);
    await setLeft(token, 3 * 60_000 - 500);
    const three = await u.agent.get(`/reservations/${token}/time-left`).set('HX-Request', 'true');
    expect(three.status).toBe(200);
    expect(three.text).toMatch(/Reserved until <strong>\d\d:\d\d<\/strong>, 3 minutes left/);
    expect(three.text).not.toContain('<!doctype');
    // It asks again when the text changes (in under a minute), not on a fixed beat.
    const delay = Number(/load delay:(\d+)s/.exec(three.text)![1]);
    expect(delay).toBeGreaterThanOrEqual(1);
    expect(delay).toBeLessThanOrEqual(60);
    await setLeft(token, 40_000);
    const last = await u.agent.get(`/reservations/${token}/time-left`).set('HX-Request', 'true');
    expect(last.text).toContain('class="warning" role="alert"');
    expect(last.text).toContain('1 minute left. Press Save now');
  });

  it('after expiry says so and reserves the same slot again in one click, keeping what was typed', async () => {
    const u = await loginAs(t.app, 'alfa');
    const { token } = await hold(u);
    await setLeft(token, -5_000);
    const dialog = await u.agent.get(`/reservations/${token}`);
    expect(dialog.text).toContain('The reservation time ended at');
    expect(dialog.text).toContain('Reserve the same slot again');
    const res = await post(u, token, 'renew', { q: 'kov', ...newPatient });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/The slot is reserved again, until \d\d:\d\d\./);
    expectTypedValues(res.text);
    const renewed = await t.db('holds').where({ token }).first();
    expect(Date.parse(renewed.expires_at)).toBeGreaterThan(t.clock.nowMs() + 9 * 60_000);
  });

  it('does not offer it again once the slot was booked meanwhile, and refuses the renewal (409)', async () => {
    const u = await loginAs(t.app, 'alfa');
    const { slot, token } = await hold(u);
    await setLeft(token, -5_000);
    await bookElsewhere(t.db, ids, slot.id, 'desk');
    const dialog = await u.agent.get(`/reservations/${token}`);
    expect(dialog.text).toContain('The slot is no longer free');
    expect(dialog.text).not.toContain('Reserve the same slot again</button>');
    const res = await post(u, token, 'renew', { ...newPatient });
    expect(res.status).toBe(409);
    expect(res.text).toContain('This slot was just taken.');
    expectTypedValues(res.text);
  });

  it('links a 409 after the hold vanished back to the same calendar, with the chosen patient', async () => {
    const desk = await loginAs(t.app, 'desk');
    const { slot, token } = await hold(desk);
    expect((await desk.agent.get(`/reservations/${token}`)).status).toBe(200);
    await t.db('holds').where({ token }).del();
    const res = await post(desk, token, 'book', { patient_id: ids.janos });
    expect(res.status).toBe(409);
    expect(res.text).toContain(
      `href="/partner-booking?institution=${ids.buda}&amp;partner=${ids.alfa}&amp;qualification=${ids.cardiology}&amp;doctor=${slot.doctor_id}&amp;service=${ids.cardioConsult}&amp;week=${slot.local_date}&amp;patient=${ids.janos}">Back to the calendar`,
    );
  });
});

describe('POST /reservations/:token/book for a patient already booked at that time', () => {
  /** A standing booking of János at another slot, moved in time to overlap `slot` (any doctor counts). */
  async function overlappingBooking(slot: { id: number; starts_at: string }) {
    const other = await t
      .db('slots')
      .where('id', '!=', slot.id)
      .andWhere('starts_at', '>', slot.starts_at)
      .andWhere({ institution_id: ids.buda })
      .orderBy('starts_at', 'desc')
      .first();
    const bookingId = await bookElsewhere(t.db, ids, other.id, 'desk');
    const start = Date.parse(slot.starts_at) + 5 * 60_000;
    await t
      .db('bookings')
      .where({ id: bookingId })
      .update({
        starts_at: new Date(start).toISOString(),
        ends_at: new Date(start + 30 * 60_000).toISOString(),
      });
    return bookingId;
  }

  it('asks clinic staff to confirm, then books and audits the answer', async () => {
    const u = await loginAs(t.app, 'desk');
    const { slot, token } = await hold(u);
    const existing = await overlappingBooking(slot);
    const asked = await post(u, token, 'book', { patient_id: ids.janos, q: 'kovacs' });
    expect(asked.status).toBe(409);
    expect(asked.text).toContain('This patient already has an appointment at this time.');
    expect(asked.text).toContain('<label for="confirm_overlap">Book anyway</label>');
    expect(asked.text).toMatch(
      new RegExp(`id="patient-${ids.janos}" name="patient_id" value="${ids.janos}" checked`),
    );
    expect(await t.db('bookings').where({ idempotency_key: token }).first()).toBeUndefined();
    const confirmed = await post(u, token, 'book', { patient_id: ids.janos, confirm_overlap: '1' });
    expect(confirmed.status).toBe(303);
    const booking = await t.db('bookings').where({ idempotency_key: token }).first();
    const entry = await t.db('audit_log').where({ action: 'booking.created', entity_id: booking.id }).first();
    expect(JSON.parse(entry.details)).toMatchObject({
      overlap_confirmed: true,
      overlapping_booking_ids: [existing],
    });
  });

  it('refuses a partner user without showing the other booking or letting them confirm', async () => {
    const u = await loginAs(t.app, 'alfa');
    const { slot, token } = await hold(u);
    await overlappingBooking(slot);
    const attempts: Record<string, string | number>[] = [
      { patient_id: ids.janos },
      { patient_id: ids.janos, confirm_overlap: '1' },
    ];
    for (const fields of attempts) {
      const res = await post(u, token, 'book', fields);
      expect(res.status).toBe(409);
      expect(res.text).toContain(
        'This patient already has an appointment at this time, so nothing was booked.',
      );
      expect(res.text).not.toContain('confirm_overlap');
    }
    expect(await t.db('bookings').where({ idempotency_key: token }).first()).toBeUndefined();
  });

  it('does not ask when the other booking was cancelled', async () => {
    const u = await loginAs(t.app, 'desk');
    const { slot, token } = await hold(u);
    const existing = await overlappingBooking(slot);
    await t.db('bookings').where({ id: existing }).update({ status: 'cancelled' });
    expect((await post(u, token, 'book', { patient_id: ids.janos })).status).toBe(303);
  });
});
