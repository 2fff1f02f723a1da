/**
 * The booking number and the partner's reference number (issue 17's "Authorisation number") on
 * the printed slip, the confirmation and the e-mail body: the booking number always, the partner's
 * reference under the partner's own label when the booking quotes one (the default label when the
 * partner named none), nothing more without one.
 */
import { FixedClock } from '../src/lib/clock';
import { renderBookingMail } from '../src/mail/outbox';
import type { BookingFacts } from '../src/bookings/slip';
import { makeTestApp, loginAs, type TestApp, type LoggedIn } from './helpers';
import { fixtures } from './fixtures';
import { demoIds, freeSlot, reserve, tokenOf, type DemoIds } from './booking-helpers';

let t: TestApp;
let ids: DemoIds;
let admin: LoggedIn;
let alfa: LoggedIn;

beforeEach(async () => {
  t = await makeTestApp({ demo: true, clock: new FixedClock('2027-01-18T06:00:00.000Z') });
  ids = await demoIds(t.db);
  admin = await loginAs(t.app, 'admin');
  alfa = await loginAs(t.app, 'alfa');
});
afterEach(() => t.db.destroy());

async function setRules(fields: Record<string, string>) {
  const res = await admin.agent
    .post(`/settings/partners/${ids.alfa}/rules`)
    .type('form')
    .send({ _csrf: admin.csrf, partner_admin_enabled: 'on', ...fields });
  expect(res.status).toBe(303);
}

async function enableMail() {
  const res = await admin.agent
    .post('/settings/outbox/enabled')
    .type('form')
    .send({ _csrf: admin.csrf, enabled: '1' });
  expect(res.status).toBe(303);
}

let patientNo = 0;
/** Alfa books the next free Cardiology consultation at Buda for a new patient with an e-mail address. */
async function alfaBooks(reference?: string): Promise<{ bookingId: number; confirmation: string }> {
  const slot = await freeSlot(t.db, ids.buda, ids.cardioConsult, 1, t.clock);
  const held = await reserve(alfa, {
    institution: ids.buda,
    service: ids.cardioConsult,
    slot: slot.id,
    week: slot.local_date,
  });
  const patientId = await fixtures.patient(t.db, 'Hivatkozó', `Anna${++patientNo}`, {
    registeredByPartnerId: ids.alfa,
  });
  await t
    .db('patients')
    .where({ id: patientId })
    .update({ email: `anna${patientNo}@example.org` });
  const saved = await alfa.agent
    .post(`/reservations/${tokenOf(held.headers.location)}/book`)
    .type('form')
    .send({ _csrf: alfa.csrf, patient_id: patientId, ...(reference === undefined ? {} : { reference }) });
  expect(saved.status).toBe(303);
  const bookingId = Number(/\/booking\/confirmation\/(\d+)$/.exec(saved.headers.location)![1]);
  const confirmation = await alfa.agent.get(saved.headers.location);
  expect(confirmation.status).toBe(200);
  return { bookingId, confirmation: confirmation.text };
}

/** The queued e-mail's body as the worker writes it (the same function, from the row's facts). */
async function mailBody(bookingId: number, lang: 'en' | 'hu' | 'ro' = 'en'): Promise<string> {
  const row = await t.db('mail_outbox').where({ booking_id: bookingId }).first();
  expect(row).toBeDefined();
  const facts = JSON.parse(row.facts) as BookingFacts;
  return renderBookingMail(facts, row.kind, lang, t.config, t.clock.nowIso(), row.recipient).text;
}

describe('with the partner\u2019s reference number', () => {
  it('the slip shows the booking number and the reference under the partner\u2019s label', async () => {
    await setRules({ reference_required: 'on', reference_label: 'Authorisation number' });
    const { bookingId } = await alfaBooks('AB123456');
    const slip = await alfa.agent.get(`/bookings/${bookingId}/slip`);
    expect(slip.status).toBe(200);
    expect(slip.text).toContain(`<dt>Booking number</dt><dd class="slip-reference">${bookingId}</dd>`);
    expect(slip.text).toContain(
      '<dt>Authorisation number</dt><dd class="slip-partner-reference">AB123456</dd>',
    );
  });

  it('the confirmation shows both', async () => {
    await setRules({ reference_required: 'on', reference_label: 'Authorisation number' });
    const { bookingId, confirmation } = await alfaBooks('AB123456');
    // The number leads to the booking's own page (Move, attendance, history), which alfa may open.
    expect(confirmation).toContain(
      `<dt>Booking number</dt><dd class="booking-number"><a href="/bookings/${bookingId}">${bookingId}</a></dd>`,
    );
    expect((await alfa.agent.get(`/bookings/${bookingId}`)).status).toBe(200);
    expect(confirmation).toContain('<dt>Authorisation number</dt><dd class="reference">AB123456</dd>');
  });

  it('the e-mail body has the booking number and the reference with its label, in the patient\u2019s language', async () => {
    await setRules({ reference_required: 'on', reference_label: 'Authorisation number' });
    await enableMail();
    const { bookingId } = await alfaBooks('AB123456');
    const en = await mailBody(bookingId);
    expect(en).toContain(`\nBooking number: ${bookingId}\nAuthorisation number: AB123456\n`);
    const hu = await mailBody(bookingId, 'hu');
    expect(hu).toContain(`\nFoglalási szám: ${bookingId}\nAuthorisation number: AB123456\n`);
  });

  it('keeps the label the e-mail was queued with, even if the partner renames it before it is sent', async () => {
    await setRules({ reference_required: 'on', reference_label: 'Authorisation number' });
    await enableMail();
    const { bookingId } = await alfaBooks('AB123456');
    await setRules({ reference_required: 'on', reference_label: 'Claim number' });
    expect(await mailBody(bookingId)).toContain('Authorisation number: AB123456');
    // The slip is printed now, so it says what the partner calls it now.
    const slip = await alfa.agent.get(`/bookings/${bookingId}/slip`);
    expect(slip.text).toContain('<dt>Claim number</dt><dd class="slip-partner-reference">AB123456</dd>');
  });

  it('uses the default label, in the reader\u2019s language, when the partner named none', async () => {
    await setRules({ reference_required: 'on', reference_label: '' });
    await enableMail();
    const { bookingId, confirmation } = await alfaBooks('XY987654');
    expect(confirmation).toContain('<dt>Reference number</dt><dd class="reference">XY987654</dd>');
    expect(await mailBody(bookingId, 'ro')).toContain('\nNumăr de referință: XY987654\n');
    await alfa.agent.post('/account/language').type('form').send({ _csrf: alfa.csrf, language: 'hu' });
    const slip = await alfa.agent.get(`/bookings/${bookingId}/slip`);
    expect(slip.text).toContain(`<dt>Foglalási szám</dt><dd class="slip-reference">${bookingId}</dd>`);
    expect(slip.text).toContain('<dt>Referenciaszám</dt><dd class="slip-partner-reference">XY987654</dd>');
  });
});

describe('without a reference number', () => {
  it('the slip, the confirmation and the e-mail show only the booking number', async () => {
    await enableMail();
    const { bookingId, confirmation } = await alfaBooks();
    expect((await t.db('bookings').where({ id: bookingId }).first()).reference).toBeNull();
    const slip = await alfa.agent.get(`/bookings/${bookingId}/slip`);
    expect(slip.text).toContain(`<dd class="slip-reference">${bookingId}</dd>`);
    expect(slip.text).not.toContain('slip-partner-reference');
    expect(confirmation).toContain(
      `<dd class="booking-number"><a href="/bookings/${bookingId}">${bookingId}</a></dd>`,
    );
    expect(confirmation).not.toContain('class="reference"');
    const body = await mailBody(bookingId);
    expect(body).toContain(`\nBooking number: ${bookingId}\n`);
    expect(body).not.toMatch(/Reference number|Authorisation/);
  });

  it('an e-mail queued before the reference was kept in its facts still renders (booking number only)', async () => {
    await enableMail();
    const { bookingId } = await alfaBooks();
    const row = await t.db('mail_outbox').where({ booking_id: bookingId }).first();
    const facts = JSON.parse(row.facts) as BookingFacts & { partnerReference?: unknown };
    delete facts.partnerReference;
    const body = renderBookingMail(facts, 'booked', 'en', t.config, t.clock.nowIso(), row.recipient).text;
    expect(body).toContain(`\nBooking number: ${bookingId}\n\n`);
  });
});
