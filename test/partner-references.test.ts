/**
 * Reference numbers (issue 17): the partner's rule on its settings page, asked for in the
 * reservation dialog, checked in Save's transaction (stale forms too), unique per partner among
 * standing bookings (a partial unique index, also deciding two concurrent Saves), and shown on
 * the confirmation, the booking page, the bookings list (filter) and its CSV.
 */
import { makeTestApp, loginAs, type TestApp, type LoggedIn } from './helpers';
import { fixtures } from './fixtures';
import { demoIds, freeSlot, reserve, tokenOf, type DemoIds } from './booking-helpers';
import { FixedClock } from '../src/lib/clock';
import { isUnsafePattern, patternProblem, checkReference } from '../src/partners/references';

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

const pattern = '^[A-Z]{2}\\d{6}$';

async function setRules(fields: Record<string, string>) {
  return admin.agent
    .post(`/settings/partners/${ids.alfa}/rules`)
    .type('form')
    .send({ _csrf: admin.csrf, ...fields });
}

async function requireReference() {
  const res = await setRules({
    reference_required: 'on',
    reference_label: 'Authorisation number',
    reference_pattern: pattern,
    partner_admin_enabled: 'on',
  });
  expect(res.status).toBe(303);
}

/** Alfa holds the next free Cardiology consultation at Buda; returns the hold's token. */
async function hold(u: LoggedIn = alfa): Promise<string> {
  const slot = await freeSlot(t.db, ids.buda, ids.cardioConsult, 1, t.clock);
  const res = await reserve(u, {
    institution: ids.buda,
    service: ids.cardioConsult,
    slot: slot.id,
    week: slot.local_date,
  });
  return tokenOf(res.headers.location);
}

let patientNo = 0;
const newPatient = () =>
  fixtures.patient(t.db, 'Teszt', `Páciens${++patientNo}`, { registeredByPartnerId: ids.alfa });

function saveWith(u: LoggedIn, token: string, patientId: number, fields: Record<string, string> = {}) {
  return u.agent
    .post(`/reservations/${token}/book`)
    .type('form')
    .send({ _csrf: u.csrf, patient_id: patientId, ...fields });
}

const bookingCount = async () => Number((await t.db('bookings').count({ n: '*' }).first())!.n);

describe('the partner setting', () => {
  it('saves the rule, audited with before and after', async () => {
    await requireReference();
    const row = await t.db('partners').where({ id: ids.alfa }).first();
    expect([Boolean(row.reference_required), row.reference_label, row.reference_pattern]).toEqual([
      true,
      'Authorisation number',
      pattern,
    ]);
    const entry = await t.db('audit_log').where({ action: 'settings.partner.rules_changed' }).first();
    expect(entry.entity_id).toBe(ids.alfa);
    expect(JSON.parse(entry.details).after).toMatchObject({ required: true, pattern });
    const page = await admin.agent.get(`/settings/partners/${ids.alfa}`);
    expect(page.text).toContain('id="reference_pattern"');
    expect(page.text).toContain(`value="${pattern.replace(/\\/g, '\\')}"`);
  });

  it.each([
    ['(a+)+$', 'could take very long'],
    ['(a|aa)*b', 'could take very long'],
    ['(x)\\1', 'could take very long'],
    ['[A-Z', 'not a valid regular expression'],
    ['A'.repeat(201), 'at most 200 characters'],
  ])('refuses the pattern %s (422 beside the field), nothing changed', async (bad, message) => {
    const res = await setRules({ reference_required: 'on', reference_pattern: bad });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(new RegExp(`id="reference_pattern-error">[^<]*${message}`));
    const row = await t.db('partners').where({ id: ids.alfa }).first();
    expect([Boolean(row.reference_required), row.reference_pattern]).toEqual([false, '']);
    expect(await t.db('audit_log').where({ action: 'settings.partner.rules_changed' })).toHaveLength(0);
  });

  it('is refused to anyone without Settings (403)', async () => {
    const res = await alfa.agent
      .post(`/settings/partners/${ids.alfa}/rules`)
      .type('form')
      .send({ _csrf: alfa.csrf, reference_required: 'on' });
    expect(res.status).toBe(403);
  });
});

describe('the pattern rules', () => {
  it('tells safe patterns from ones that could backtrack catastrophically', () => {
    for (const safe of [pattern, '^(ab)+$', '^(?:AB|CD)\\d{4}$', '^[A-Z0-9-]{4,20}$', '(a*)?'])
      expect([safe, isUnsafePattern(safe)]).toEqual([safe, false]);
    for (const unsafe of ['(a+)+', '(a*)*', '(a|b)+', '((ab)+)+', '(?:a{2,})*', '(x)\\1'])
      expect([unsafe, isUnsafePattern(unsafe)]).toEqual([unsafe, true]);
    expect(patternProblem('(')).toMatch(/not a valid/);
  });

  it('checks a typed reference: required, at most 64 characters, the pattern', () => {
    const rule = { required: true, label: 'Authorisation number', pattern };
    expect(checkReference(rule, ' AB123456 ')).toEqual({ ok: true, value: 'AB123456' });
    expect(checkReference(rule, '')).toMatchObject({ ok: false, message: expect.stringMatching(/required/) });
    expect(checkReference(rule, 'A'.repeat(65))).toMatchObject({ message: expect.stringMatching(/64/) });
    expect(checkReference(rule, 'ab123456')).toMatchObject({ message: expect.stringContaining(pattern) });
    expect(checkReference({ ...rule, required: false, pattern: '' }, '')).toEqual({ ok: true, value: null });
    expect(checkReference(null, 'anything')).toEqual({ ok: true, value: null });
  });
});

describe('Save with a reference number', () => {
  it('asks for it in the dialog and books with it; shown on the confirmation and the booking page', async () => {
    await requireReference();
    const token = await hold();
    const dialog = await alfa.agent.get(`/reservations/${token}`);
    expect(dialog.text).toMatch(/<label for="reference">Authorisation number<\/label>/);
    const patientId = await newPatient();
    const res = await saveWith(alfa, token, patientId, { reference: ' AB123456 ' });
    expect(res.status).toBe(303);
    const booking = await t.db('bookings').orderBy('id', 'desc').first();
    expect([booking.reference, booking.partner_id]).toEqual(['AB123456', ids.alfa]);
    const confirmation = await alfa.agent.get(res.headers.location);
    expect(confirmation.text).toContain('<dd class="reference">AB123456</dd>');
    const page = await alfa.agent.get(`/bookings/${booking.id}`);
    expect(page.text).toContain('<dd class="reference">AB123456</dd>');
    const entry = await t.db('audit_log').where({ action: 'booking.created', entity_id: booking.id }).first();
    expect(JSON.parse(entry.details).reference).toBe('AB123456');
  });

  it('refuses a missing or malformed one (422 beside the field), books nothing, keeps what was typed', async () => {
    await requireReference();
    const token = await hold();
    const patientId = await newPatient();
    const before = await bookingCount();
    const missing = await saveWith(alfa, token, patientId);
    expect(missing.status).toBe(422);
    expect(missing.text).toMatch(/id="reference-error">Authorisation number is required/);
    const malformed = await saveWith(alfa, token, patientId, { reference: 'ab12' });
    expect(malformed.status).toBe(422);
    expect(malformed.text).toContain('does not have the expected format: ^[A-Z]{2}\\d{6}$');
    expect(malformed.text).toMatch(/id="reference" name="reference" value="ab12"/);
    expect(await bookingCount()).toBe(before);
    expect(await t.db('holds').where({ token })).toHaveLength(1);
  });

  it('keeps the typed reference through Search and Add new patient', async () => {
    await requireReference();
    const token = await hold();
    const searched = await alfa.agent
      .post(`/reservations/${token}/search`)
      .type('form')
      .send({ _csrf: alfa.csrf, q: 'Kov', reference: 'XY765432' });
    expect(searched.status).toBe(200);
    expect(searched.text).toContain('value="XY765432"');
    const added = await alfa.agent.post(`/reservations/${token}/patients`).type('form').send({
      _csrf: alfa.csrf,
      reference: 'XY765432',
      family_name: 'Új',
      given_name: 'Beteg',
      birth_date: '1970-02-03',
      id_type: 'passport',
      id_number: 'ZZ9988776',
    });
    expect(added.status).toBe(303);
    const dialog = await alfa.agent.get(added.headers.location);
    expect(dialog.text).toContain('value="XY765432"');
  });

  it('refuses Save from a stale form (no reference field: the rule came after it was drawn)', async () => {
    const token = await hold();
    const dialog = await alfa.agent.get(`/reservations/${token}`);
    expect(dialog.text).not.toContain('name="reference"');
    await requireReference();
    const res = await saveWith(alfa, token, await newPatient());
    expect(res.status).toBe(422);
    expect(res.text).toContain('Authorisation number is required');
    expect(await t.db('bookings').whereNotNull('reference')).toHaveLength(0);
  });

  it('refuses a duplicate among standing bookings (naming the field); free again after a cancel', async () => {
    await requireReference();
    expect((await saveWith(alfa, await hold(), await newPatient(), { reference: 'AB123456' })).status).toBe(
      303,
    );
    const before = await bookingCount();
    const second = await saveWith(alfa, await hold(), await newPatient(), { reference: 'AB123456' });
    expect(second.status).toBe(422);
    expect(second.text).toMatch(
      /id="reference-error">This Authorisation number is already quoted on another standing booking of this partner: AB123456\./,
    );
    expect(await bookingCount()).toBe(before);
    // Another partner may quote the same number: uniqueness is per partner.
    const first = await t.db('bookings').where({ reference: 'AB123456' }).first();
    const cancel = await alfa.agent
      .post(`/bookings/${first.id}/cancel`)
      .type('form')
      .send({ _csrf: alfa.csrf, reason: 'Patient called' });
    expect(cancel.status).toBe(303);
    expect((await saveWith(alfa, await hold(), await newPatient(), { reference: 'AB123456' })).status).toBe(
      303,
    );
    expect(await t.db('bookings').where({ reference: 'AB123456' }).orderBy('id')).toMatchObject([
      { status: 'cancelled' },
      { status: 'booked' },
    ]);
  });

  it('lets exactly one of two concurrent Saves with the same reference win', async () => {
    await requireReference();
    const other = await loginAs(t.app, 'alfa');
    const [a, b] = [await hold(alfa), await hold(other)];
    const [p1, p2] = [await newPatient(), await newPatient()];
    const results = await Promise.all([
      saveWith(alfa, a, p1, { reference: 'CD654321' }),
      saveWith(other, b, p2, { reference: 'CD654321' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([303, 422]);
    const loser = results.find((r) => r.status === 422)!;
    expect(loser.text).toContain('is already quoted on another standing booking');
    expect(await t.db('bookings').where({ reference: 'CD654321', status: 'booked' })).toHaveLength(1);
  });

  it('is enforced by the database itself (partial unique index on partner and reference)', async () => {
    await requireReference();
    expect((await saveWith(alfa, await hold(), await newPatient(), { reference: 'EF111111' })).status).toBe(
      303,
    );
    const row = await t.db('bookings').where({ reference: 'EF111111' }).first();
    const { id: _id, idempotency_key: _k, ...copy } = row;
    await expect(
      t.db('bookings').insert({ ...copy, idempotency_key: 'another-key-000000000000000000000000000000' }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/unique|duplicate/i) });
    // A cancelled copy is allowed (only standing bookings must be unique).
    await t.db('bookings').insert({
      ...copy,
      status: 'cancelled',
      idempotency_key: 'third-key-0000000000000000000000000000000000',
    });
  });
});

describe('the bookings list', () => {
  it('filters by reference number and exports it in the CSV', async () => {
    await requireReference();
    expect((await saveWith(alfa, await hold(), await newPatient(), { reference: 'GH222222' })).status).toBe(
      303,
    );
    expect((await saveWith(alfa, await hold(), await newPatient(), { reference: 'GH333333' })).status).toBe(
      303,
    );
    const wanted = await t.db('bookings').where({ reference: 'GH222222' }).first();
    const list = await admin.agent.get(
      '/bookings?from=2027-01-01&to=2027-03-31&status=all&reference=GH222222',
    );
    expect(list.status).toBe(200);
    const ids = [...list.text.matchAll(/data-booking-id="(\d+)"/g)].map((m) => Number(m[1]));
    expect(ids).toEqual([wanted.id]);
    expect(list.text).toContain('<td>GH222222</td>');
    // A partner user's filter stays inside their own partner.
    const beta = await loginAs(t.app, 'beta');
    const theirs = await beta.agent.get(
      '/bookings?from=2027-01-01&to=2027-03-31&status=all&reference=GH222222',
    );
    expect(theirs.text).not.toContain('data-booking-id=');

    const csv = await admin.agent.get('/bookings.csv?from=2027-01-01&to=2027-03-31&status=all&reference=GH');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const all = await admin.agent.get('/bookings.csv?from=2027-01-01&to=2027-03-31&status=all');
    const lines = all.text.split('\r\n');
    expect(lines[0]).toBe(
      '\uFEFFBooking,Date and time,Institution,Doctor,Service,Patient,Channel,Partner,Reference,Booked by,Status',
    );
    const line = lines.find((l) => l.startsWith(`${wanted.id},`))!;
    expect(line.split(',')[8]).toBe('GH222222');
    const hu = await admin.agent
      .get('/bookings.csv?from=2027-01-01&to=2027-03-31&status=all&reference=GH222222')
      .set('Accept-Language', 'hu');
    expect(hu.text.split('\r\n')[0]).toContain(';Referencia;');
    expect(hu.text.split('\r\n')[1].split(';')[8]).toBe('GH222222');
  });
});
