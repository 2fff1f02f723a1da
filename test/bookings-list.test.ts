import { makeTestApp, loginAs, type TestApp } from './helpers';
import { fixtures } from './fixtures';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp({ demo: true });
});
afterEach(async () => {
  await t.db.destroy();
});

/** Booking ids in the order the table lists them. */
const rowIds = (html: string) => [...html.matchAll(/data-booking-id="(\d+)"/g)].map((m) => Number(m[1]));
const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

async function ids() {
  const byKey = async (table: string, where: Record<string, unknown>) =>
    (await t.db(table).where(where).first()).id as number;
  return {
    alfa: await byKey('partners', { name: 'Alfa Health Insurance' }),
    beta: await byKey('partners', { name: 'Beta Corporate Care' }),
    vienna: await byKey('institutions', { name: 'Vienna Day Clinic' }),
    nagy: await byKey('doctors', { name: 'Dr. Péter Nagy' }),
  };
}

/** Demo bookings by who and what they are (ids differ if the seed changes order). */
async function bookingsBy() {
  const all = await t.db('bookings').select('id', 'partner_id', 'status', 'institution_id', 'doctor_id');
  return all as {
    id: number;
    partner_id: number | null;
    status: string;
    institution_id: number;
    doctor_id: number;
  }[];
}

describe('GET /bookings', () => {
  it('lists the booked bookings of the next 30 days with the partner badge', async () => {
    const { agent } = await loginAs(t.app, 'desk');
    const res = await agent.get('/bookings');
    expect(res.status).toBe(200);
    const booked = (await bookingsBy()).filter((b) => b.status === 'booked').map((b) => b.id);
    expect(sorted(rowIds(res.text))).toEqual(sorted(booked));
    expect(res.text).toContain('Partner booking');
    expect(res.text).toContain('<label for="partner">Partner</label>');
    expect(res.text).toContain('Clinic channels only');
  });

  it('filters by institution, doctor, partner, clinic channels, status and date range', async () => {
    const { agent } = await loginAs(t.app, 'desk');
    const i = await ids();
    const all = await bookingsBy();
    const booked = all.filter((b) => b.status === 'booked');
    const wide = 'from=2000-01-01&to=2100-12-31';
    const get = async (qs: string) => rowIds((await agent.get(`/bookings?${wide}&${qs}`)).text);
    expect(sorted(await get(`institution=${i.vienna}`))).toEqual(
      sorted(booked.filter((b) => b.institution_id === i.vienna).map((b) => b.id)),
    );
    expect(sorted(await get(`doctor=${i.nagy}`))).toEqual(
      sorted(booked.filter((b) => b.doctor_id === i.nagy).map((b) => b.id)),
    );
    expect(sorted(await get(`partner=${i.alfa}`))).toEqual(
      sorted(booked.filter((b) => b.partner_id === i.alfa).map((b) => b.id)),
    );
    const clinicOnly = await get('partner=none');
    expect(clinicOnly.length).toBeGreaterThan(0);
    expect(sorted(clinicOnly)).toEqual(sorted(booked.filter((b) => b.partner_id === null).map((b) => b.id)));
    const cancelled = await get('status=cancelled');
    expect(cancelled).toEqual(all.filter((b) => b.status === 'cancelled').map((b) => b.id));
    expect(cancelled.length).toBe(1);
    expect(sorted(await get('status=all'))).toEqual(sorted(all.map((b) => b.id)));
    expect(rowIds((await agent.get('/bookings?from=2000-01-01&to=2000-12-31&status=all')).text)).toEqual([]);
  });

  it("shows partner users only their own partner's bookings, whatever the query says", async () => {
    const i = await ids();
    const all = await bookingsBy();
    const alfa = await loginAs(t.app, 'alfa');
    const res = await alfa.agent.get(`/bookings?from=2000-01-01&to=2100-12-31&status=all&partner=${i.beta}`);
    expect(res.status).toBe(200);
    const alfaIds = all.filter((b) => b.partner_id === i.alfa).map((b) => b.id);
    expect(alfaIds.length).toBeGreaterThan(0);
    expect(sorted(rowIds(res.text))).toEqual(sorted(alfaIds));
    expect(res.text).not.toContain('Beta Corporate Care</td>');
    expect(res.text).not.toContain('Clinic channels only');
    const none = await alfa.agent.get('/bookings?from=2000-01-01&to=2100-12-31&status=all&partner=none');
    expect(sorted(rowIds(none.text))).toEqual(sorted(alfaIds));
    const beta = await loginAs(t.app, 'beta');
    const betaRes = await beta.agent.get('/bookings?from=2000-01-01&to=2100-12-31&status=all');
    expect(sorted(rowIds(betaRes.text))).toEqual(
      sorted(all.filter((b) => b.partner_id === i.beta).map((b) => b.id)),
    );
  });

  it('returns the table alone for htmx', async () => {
    const { agent } = await loginAs(t.app, 'desk');
    const res = await agent.get('/bookings?status=all').set('HX-Request', 'true');
    expect(res.status).toBe(200);
    expect(res.text.trim().startsWith('<div id="bookings-table">')).toBe(true);
    expect(res.headers.vary).toMatch(/HX-Request/);
  });

  it('answers 400 to a malformed filter', async () => {
    const { agent } = await loginAs(t.app, 'desk');
    for (const qs of ['status=maybe', 'institution=abc', 'page=0', 'partner=x%25']) {
      const res = await agent.get(`/bookings?${qs}`);
      expect([qs, res.status]).toEqual([qs, 400]);
    }
  });

  it('shows a To before From once, beside the field, and no table (422)', async () => {
    const { agent } = await loginAs(t.app, 'desk');
    const res = await agent.get('/bookings?from=2000-05-02&to=2000-05-01&status=all');
    expect(res.status).toBe(422);
    expect(res.text.split('The start date must not be after the end date.')).toHaveLength(2);
    expect(res.text).toContain(
      '<span id="to-error" class="field-error" aria-live="polite">The start date must not be after the end date.</span>',
    );
    expect(res.text).not.toContain('to: The start date');
    expect(res.text).toMatch(
      /<input id="to" name="to" type="date" required value="2000-05-01" aria-invalid="true"/,
    );
    expect(res.text).toContain('Fix the filter above to see bookings.');
    expect(res.text).not.toContain('<table');
    expect(res.text).not.toMatch(/\d+ bookings?</);
  });

  it('answers htmx with an empty table and the message set beside the field (out of band); a good filter clears it', async () => {
    const { agent } = await loginAs(t.app, 'desk');
    const bad = await agent
      .get('/bookings?from=2000-05-02&to=2000-05-01&status=all')
      .set('HX-Request', 'true');
    expect(bad.status).toBe(422);
    expect(bad.text.trim().startsWith('<div id="bookings-table">')).toBe(true);
    expect(bad.text).toContain('Fix the filter above to see bookings.');
    expect(bad.text).not.toContain('data-booking-id');
    expect(bad.text).toContain(
      '<span id="to-error" class="field-error" aria-live="polite" hx-swap-oob="true">The start date must not be after the end date.</span>',
    );
    expect(bad.text.split('The start date must not be after the end date.')).toHaveLength(2);
    const good = await agent
      .get('/bookings?from=2000-01-01&to=2100-12-31&status=all')
      .set('HX-Request', 'true');
    expect(good.status).toBe(200);
    expect(good.text).toContain('data-booking-id');
    expect(good.text).toContain(
      '<span id="to-error" class="field-error" aria-live="polite" hx-swap-oob="true"></span>',
    );
  });

  it('shows a malformed date beside its field (422)', async () => {
    const { agent } = await loginAs(t.app, 'desk');
    const res = await agent.get('/bookings?from=2024-13-01');
    expect(res.status).toBe(422);
    expect(res.text).toContain(
      '<span id="from-error" class="field-error" aria-live="polite">Use a date in the format YYYY-MM-DD.</span>',
    );
    expect(res.text).toContain('value="2024-13-01"');
    expect(res.text).not.toContain('<table');
  });

  it('says which years are allowed for a date far in the future (422), not a 500', async () => {
    const { agent } = await loginAs(t.app, 'desk');
    const res = await agent.get('/bookings?from=9999-12-31');
    expect(res.status).toBe(422);
    expect(res.text).toContain(
      '<span id="from-error" class="field-error" aria-live="polite">Enter a year from 1900 to 2100.</span>',
    );
    expect(res.text).not.toContain('<table');
  });

  it('paginates 50 rows a page', async () => {
    const { agent } = await loginAs(t.app, 'desk');
    const template = await t.db('bookings').where({ status: 'booked' }).first();
    const { id: _id, ...rest } = template;
    const copies = Array.from({ length: 60 }, (_, n) => ({ ...rest, idempotency_key: `copy-${n}` }));
    await t.db('bookings').insert(copies);
    const total = Number((await t.db('bookings').where({ status: 'booked' }).count({ n: '*' }).first())!.n);
    const first = await agent.get('/bookings?from=2000-01-01&to=2100-12-31');
    expect(rowIds(first.text)).toHaveLength(50);
    expect(first.text).toContain('Next page');
    const second = await agent.get('/bookings?from=2000-01-01&to=2100-12-31&page=2');
    expect(rowIds(second.text)).toHaveLength(total - 50);
    expect(new Set([...rowIds(first.text), ...rowIds(second.text)]).size).toBe(total);
  });

  it('forbids users without bookings_view (403)', async () => {
    const { agent } = await loginAs(t.app, 'desk');
    await t.db('user_permissions').where({ permission: 'bookings_view' }).del();
    expect((await agent.get('/bookings')).status).toBe(403);
  });
});

describe('GET /bookings/:id', () => {
  it("shows a partner booking's details to its partner and 404 to another partner", async () => {
    const i = await ids();
    const alfaBooking = (await bookingsBy()).find((b) => b.partner_id === i.alfa)!;
    const alfa = await loginAs(t.app, 'alfa');
    const ok = await alfa.agent.get(`/bookings/${alfaBooking.id}`);
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('Alfa Health Insurance');
    expect(ok.text).toContain('Reason for cancellation');
    const beta = await loginAs(t.app, 'beta');
    const denied = await beta.agent.get(`/bookings/${alfaBooking.id}`);
    expect(denied.status).toBe(404);
    expect(denied.text).not.toContain('Alfa Health Insurance</dd>');
    expect((await beta.agent.get('/bookings/999999')).status).toBe(404);
    expect((await beta.agent.get('/bookings/1x')).status).toBe(404);
  });
});

describe('POST /bookings/:id/cancel', () => {
  it('cancels with a reason, frees the slot, keeps the history and audits', async () => {
    const booking = (await bookingsBy()).find((b) => b.partner_id === null && b.status === 'booked')!;
    const slotIds = (await t.db('slot_occupancies').where({ booking_id: booking.id })).map((s) => s.slot_id);
    expect(slotIds.length).toBeGreaterThan(0);
    const { agent, csrf } = await loginAs(t.app, 'desk');
    const res = await agent
      .post(`/bookings/${booking.id}/cancel`)
      .type('form')
      .send({ reason: 'Patient is ill', _csrf: csrf });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/bookings/${booking.id}`);
    const row = await t.db('bookings').where({ id: booking.id }).first();
    const desk = await t.db('users').where({ username: 'desk' }).first();
    expect(row).toMatchObject({
      status: 'cancelled',
      cancel_reason: 'Patient is ill',
      cancelled_by_user_id: desk.id,
    });
    expect(row.cancelled_at).toMatch(/Z$/);
    expect(await t.db('slot_occupancies').whereIn('slot_id', slotIds)).toHaveLength(0);
    expect(await t.db('booking_slots').where({ booking_id: booking.id })).toHaveLength(slotIds.length);
    const audit = await t.db('audit_log').where({ action: 'booking.cancelled', entity_id: booking.id });
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_user_id).toBe(desk.id);
    expect(JSON.parse(audit[0].details).reason).toBe('Patient is ill');
    const page = await agent.get(`/bookings/${booking.id}`);
    expect(page.text).toContain('The booking was cancelled');
    expect(page.text).toContain('Patient is ill');
    // The freed slot can be occupied by a new booking now.
    await t.db('slot_occupancies').insert({ slot_id: slotIds[0], booking_id: booking.id });

    const again = await agent
      .post(`/bookings/${booking.id}/cancel`)
      .type('form')
      .send({ reason: 'Twice', _csrf: csrf });
    expect(again.status).toBe(409);
    expect(again.text).toContain('already been cancelled');
    expect((await t.db('bookings').where({ id: booking.id }).first()).cancel_reason).toBe('Patient is ill');
  });

  it('requires a reason (422, nothing changed)', async () => {
    const booking = (await bookingsBy()).find((b) => b.status === 'booked')!;
    const { agent, csrf } = await loginAs(t.app, 'desk');
    const res = await agent
      .post(`/bookings/${booking.id}/cancel`)
      .type('form')
      .send({ reason: '   ', _csrf: csrf });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Please give the reason for the cancellation.');
    const long = await agent
      .post(`/bookings/${booking.id}/cancel`)
      .type('form')
      .send({ reason: 'x'.repeat(501), _csrf: csrf });
    expect(long.status).toBe(422);
    expect(long.text).toContain('At most 500 characters.');
    expect((await t.db('bookings').where({ id: booking.id }).first()).status).toBe('booked');
    expect(await t.db('slot_occupancies').where({ booking_id: booking.id })).not.toHaveLength(0);
  });

  it('offers and allows no cancel of a clinic-channel booking to staff with partner_booking only (403, not a reason form)', async () => {
    const clinicBooking = (await bookingsBy()).find((b) => b.partner_id === null && b.status === 'booked')!;
    await fixtures.user(t.db, 'partner-desk', ['partner_booking', 'bookings_view']);
    const { agent, csrf } = await loginAs(t.app, 'partner-desk');
    const page = await agent.get(`/bookings/${clinicBooking.id}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('Reason for cancellation');
    const empty = await agent
      .post(`/bookings/${clinicBooking.id}/cancel`)
      .type('form')
      .send({ reason: '', _csrf: csrf });
    expect(empty.status).toBe(403);
    expect(empty.text).not.toContain('Reason for cancellation');
    const withReason = await agent
      .post(`/bookings/${clinicBooking.id}/cancel`)
      .type('form')
      .send({ reason: 'Please', _csrf: csrf });
    expect(withReason.status).toBe(403);
    expect((await t.db('bookings').where({ id: clinicBooking.id }).first()).status).toBe('booked');
  });

  it('shows no cancel form on a cancelled booking', async () => {
    const cancelled = (await bookingsBy()).find((b) => b.status === 'cancelled')!;
    const { agent } = await loginAs(t.app, 'desk');
    const page = await agent.get(`/bookings/${cancelled.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Cancelled');
    expect(page.text).not.toContain('Reason for cancellation');
  });

  it('forbids a viewer with bookings_view only (403, nothing changed)', async () => {
    const booking = (await bookingsBy()).find((b) => b.status === 'booked')!;
    const { agent, csrf } = await loginAs(t.app, 'viewer');
    expect((await agent.get(`/bookings/${booking.id}`)).text).not.toContain('Reason for cancellation');
    const res = await agent
      .post(`/bookings/${booking.id}/cancel`)
      .type('form')
      .send({ reason: 'No', _csrf: csrf });
    expect(res.status).toBe(403);
    expect((await t.db('bookings').where({ id: booking.id }).first()).status).toBe('booked');
    expect(
      await t.db('audit_log').where({ action: 'booking.cancelled', entity_id: booking.id }),
    ).toHaveLength(0);
  });

  it("lets beta cancel its own booking but not Alfa's (404, nothing changed)", async () => {
    const i = await ids();
    const all = await bookingsBy();
    const alfaBooking = all.find((b) => b.partner_id === i.alfa && b.status === 'booked')!;
    const betaBooking = all.find((b) => b.partner_id === i.beta && b.status === 'booked')!;
    const occupied = await t.db('slot_occupancies').where({ booking_id: alfaBooking.id });
    const { agent, csrf } = await loginAs(t.app, 'beta');
    const denied = await agent
      .post(`/bookings/${alfaBooking.id}/cancel`)
      .type('form')
      .send({ reason: 'Mine now', _csrf: csrf });
    expect(denied.status).toBe(404);
    expect((await t.db('bookings').where({ id: alfaBooking.id }).first()).status).toBe('booked');
    expect(await t.db('slot_occupancies').where({ booking_id: alfaBooking.id })).toEqual(occupied);
    const ok = await agent
      .post(`/bookings/${betaBooking.id}/cancel`)
      .type('form')
      .send({ reason: 'Employee left the company', _csrf: csrf });
    expect(ok.status).toBe(303);
    const row = await t.db('bookings').where({ id: betaBooking.id }).first();
    expect(row.status).toBe('cancelled');
    const audit = await t
      .db('audit_log')
      .where({ action: 'booking.cancelled', entity_id: betaBooking.id })
      .first();
    expect(audit.actor_partner_id).toBe(i.beta);
  });
});
