import { DateTime } from 'luxon';
import { makeTestApp, loginAs, type TestApp, type LoggedIn } from './helpers';
import { fixtures } from './fixtures';
import { freeSlotIds, optionsOf } from './booking-helpers';

let t: TestApp;
let admin: LoggedIn;
beforeEach(async () => {
  t = await makeTestApp();
  // users_admin too: the partner's logins are created on the partner's page.
  await fixtures.user(t.db, 'boss', ['settings', 'users_admin']);
  admin = await loginAs(t.app, 'boss');
});
afterEach(() => t.db.destroy());

/** Posts a settings form and returns the id from the redirect (303 to /settings/<what>/<id>). */
async function create(path: string, form: Record<string, unknown>): Promise<number> {
  const res = await admin.agent
    .post(path)
    .type('form')
    .send({ ...form, _csrf: admin.csrf });
  expect([path, res.status, res.text.slice(0, 0)]).toEqual([path, 303, '']);
  const m = /\/(\d+)$/.exec(res.headers.location);
  expect(m).not.toBeNull();
  return Number(m![1]);
}

/** The n-th day from a Monday at least a week ahead of the app clock's today, in Budapest. */
const day = (n: number) =>
  t.clock.now().setZone('Europe/Budapest').startOf('week').plus({ weeks: 2, days: n }).toISODate()!;

/** The whole clinic set up through the screens, nothing inserted by hand except the admin login. */
async function configureClinic() {
  const institutionId = await create('/settings/institutions', {
    name: 'Pest Clinic',
    address: '1051 Budapest, Nádor utca 1.',
    time_zone: 'Europe/Budapest',
  });
  const qualificationId = await create('/settings/qualifications', { name: 'Cardiology' });
  const serviceId = await create('/settings/services', {
    qualification_id: qualificationId,
    name: 'ECG',
    duration_minutes: '20',
    price: '9000.50',
  });
  const doctorId = await create('/settings/doctors', {
    name: 'Dr. Réka Új',
    qualification_ids: String(qualificationId),
    institution_ids: String(institutionId),
    offers: `${institutionId}:${serviceId}`,
  });
  const partnerId = await create('/settings/partners', {
    name: 'Gamma Care',
    tax_number: '12345678 2 42',
    registration_number: '01-10-999999',
    contact_name: 'Gizella Gál',
    contact_email: 'desk@gamma.example',
    contact_phone: '+36 1 555 0303',
    commission_type: 'percent',
    commission_value: '12.5',
    can_see_patient_records: 'on',
  });
  const channel = await t.db('traffic_channels').where({ partner_id: partnerId }).first();
  const userRes = await admin.agent
    .post(`/settings/partners/${partnerId}/users`)
    .type('form')
    .send({
      username: 'gamma',
      displayName: 'Gamma Desk',
      password: 'gamma-desk-1',
      permissions: ['partner_booking', 'bookings_view'],
      _csrf: admin.csrf,
    });
  expect(userRes.status).toBe(303);
  const cell = await admin.agent
    .post('/settings/traffic-channels/cell')
    .set('HX-Request', 'true')
    .type('form')
    .send({
      institution: institutionId,
      channel: channel.id,
      service: serviceId,
      checked: '1',
      _csrf: admin.csrf,
    });
  expect(cell.status).toBe(200);
  expect(cell.text).toMatch(new RegExp(`id="cell-${channel.id}-${serviceId}"[^>]*checked`));
  expect(cell.text).toContain('ECG via Gamma Care');
  const scheduleForm: Record<string, string> = {
    doctor_id: String(doctorId),
    institution_id: String(institutionId),
    slot_minutes: '20',
    valid_from: day(0),
    valid_to: '',
  };
  for (const d of [1, 2, 3, 4, 5])
    Object.assign(scheduleForm, {
      [`start_${d}`]: '08:00',
      [`end_${d}`]: '12:00',
      [`breaks_${d}`]: '10:00-10:20',
    });
  const scheduleId = await create('/settings/schedules', scheduleForm);
  const gen = await admin.agent
    .post(`/settings/schedules/${scheduleId}/generate`)
    .type('form')
    .send({ from: day(0), to: day(6), _csrf: admin.csrf });
  expect(gen.status).toBe(303);
  const page = await admin.agent.get(gen.headers.location);
  // 5 days x (12 slots - 1 in the break).
  expect(page.text).toContain('Created 55, kept 0, removed 0, could not change 0, conflicts 0.');
  return {
    institutionId,
    qualificationId,
    serviceId,
    doctorId,
    partnerId,
    channelId: channel.id as number,
    scheduleId,
  };
}

describe('a clinic configured entirely through /settings', () => {
  it('stores exactly what the screens said', async () => {
    const c = await configureClinic();
    expect(await t.db('institutions').where({ id: c.institutionId }).first()).toMatchObject({
      name: 'Pest Clinic',
      time_zone: 'Europe/Budapest',
      active: 1,
    });
    expect(await t.db('services').where({ id: c.serviceId }).first()).toMatchObject({
      name: 'ECG',
      duration_minutes: 20,
      price_minor: 900050,
      qualification_id: c.qualificationId,
    });
    expect(await t.db('doctor_services').select('doctor_id', 'institution_id', 'service_id')).toEqual([
      { doctor_id: c.doctorId, institution_id: c.institutionId, service_id: c.serviceId },
    ]);
    expect(await t.db('doctor_qualifications').select('doctor_id', 'qualification_id')).toEqual([
      { doctor_id: c.doctorId, qualification_id: c.qualificationId },
    ]);
    expect(await t.db('partners').where({ id: c.partnerId }).first()).toMatchObject({
      tax_number: '12345678-2-42',
      commission_type: 'percent',
      commission_value: 1250,
      can_see_patient_records: 1,
    });
    expect(await t.db('traffic_channels').where({ id: c.channelId }).first()).toMatchObject({
      code: `partner-${c.partnerId}`,
      kind: 'partner',
      name: 'Gamma Care',
      active: 1,
    });
    // A fresh install gets the clinic's own channels when the first partner is created.
    expect(
      (await t.db('traffic_channels').where({ kind: 'clinic' }).orderBy('sort_order')).map((r) => r.code),
    ).toEqual(['reception', 'phone', 'online']);
    expect(await t.db('channel_services').select('institution_id', 'channel_id', 'service_id')).toEqual([
      { institution_id: c.institutionId, channel_id: c.channelId, service_id: c.serviceId },
    ]);
    const gamma = await t.db('users').where({ username: 'gamma' }).first();
    expect(gamma.partner_id).toBe(c.partnerId);
    expect(
      (await t.db('user_permissions').where({ user_id: gamma.id }).orderBy('permission')).map(
        (p) => p.permission,
      ),
    ).toEqual(['bookings_view', 'partner_booking']);
    const slots = await t.db('slots').where({ schedule_id: c.scheduleId }).orderBy('starts_at');
    expect(slots).toHaveLength(55);
    expect(new Set(slots.map((s) => s.local_date))).toEqual(
      new Set([day(0), day(1), day(2), day(3), day(4)]),
    );
    const firstLocal = DateTime.fromISO(slots[0].starts_at).setZone('Europe/Budapest').toFormat('HH:mm');
    expect(firstLocal).toBe('08:00');
    expect(
      slots.map((s) => DateTime.fromISO(s.starts_at).setZone('Europe/Budapest').toFormat('HH:mm')),
    ).not.toContain('10:00');
    // Every change is in the audit log.
    const actions = (await t.db('audit_log').select('action')).map((a) => a.action);
    for (const action of [
      'settings.institution.created',
      'settings.qualification.created',
      'settings.service.created',
      'settings.doctor.created',
      'settings.partner.created',
      'user.created',
      'traffic_channel.cell_changed',
      'settings.schedule.created',
      'settings.schedule.slots_generated',
    ]) {
      expect(actions).toContain(action);
    }
    const cellAudit = await t.db('audit_log').where({ action: 'traffic_channel.cell_changed' }).first();
    expect(JSON.parse(cellAudit.details)).toMatchObject({
      institutionId: c.institutionId,
      channelId: c.channelId,
      serviceId: c.serviceId,
      old: false,
      new: true,
    });
    expect(cellAudit.actor_username).toBe('boss');
  });

  it('is booked through by the new partner user; unticking the cell then hides the service from that partner', async () => {
    const c = await configureClinic();
    const gamma = await loginAs(t.app, 'gamma', 'gamma-desk-1');
    expect((await gamma.agent.get('/')).text).toContain('Book to partner');
    const start = await gamma.agent.get('/partner-booking');
    expect(start.status).toBe(200);
    expect(optionsOf(start.text, 'institution')).toEqual([c.institutionId]);
    const calendar = await gamma.agent.get(
      `/partner-booking?institution=${c.institutionId}&service=${c.serviceId}&week=${day(0)}`,
    );
    expect(calendar.status).toBe(200);
    expect(optionsOf(calendar.text, 'service')).toEqual([c.serviceId]);
    expect(optionsOf(calendar.text, 'doctor')).toEqual([c.doctorId]);
    const slots = await t.db('slots').where({ schedule_id: c.scheduleId }).orderBy('starts_at');
    expect(freeSlotIds(calendar.text)).toEqual(
      expect.arrayContaining(slots.filter((s) => s.local_date === day(0)).map((s) => s.id)),
    );

    const held = await gamma.agent
      .post('/reservations')
      .type('form')
      .send({ institution: c.institutionId, service: c.serviceId, slot: slots[0].id, _csrf: gamma.csrf });
    expect(held.status).toBe(303);
    const token = held.headers.location.split('/').pop();
    const patientId = await fixtures.patient(t.db, 'Gál', 'Gizella', { registeredByPartnerId: c.partnerId });
    const saved = await gamma.agent
      .post(`/reservations/${token}/book`)
      .type('form')
      .send({ patient_id: patientId, _csrf: gamma.csrf });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toMatch(/^\/booking\/confirmation\/\d+$/);
    const gammaUser = await t.db('users').where({ username: 'gamma' }).first();
    const booking = await t.db('bookings').where({ idempotency_key: token }).first();
    expect(booking).toMatchObject({
      institution_id: c.institutionId,
      doctor_id: c.doctorId,
      service_id: c.serviceId,
      partner_id: c.partnerId,
      channel_id: c.channelId,
      created_by_user_id: gammaUser.id,
      patient_id: patientId,
      starts_at: slots[0].starts_at,
      price_minor: 900050,
      status: 'booked',
    });
    // 12.5 % of 9000.50.
    expect(booking.commission_minor).toBe(Math.round((900050 * 1250) / 10000));
    expect(await t.db('slot_occupancies').where({ slot_id: slots[0].id }).first()).toMatchObject({
      booking_id: booking.id,
    });

    // Untick through the whole form, without JavaScript: only Reception stays ticked for ECG.
    const matrix = await admin.agent.get(`/settings/traffic-channels?institution=${c.institutionId}`);
    expect(matrix.text).toMatch(/<th scope="col">Gamma Care/);
    expect(matrix.text).toMatch(new RegExp(`id="cell-${c.channelId}-${c.serviceId}"[^>]*checked`));
    const reception = await t.db('traffic_channels').where({ code: 'reception' }).first();
    const res = await admin.agent
      .post('/settings/traffic-channels')
      .type('form')
      .send({ institution: c.institutionId, cell: [`${reception.id}:${c.serviceId}`], _csrf: admin.csrf });
    expect(res.status).toBe(303);
    expect((await admin.agent.get(res.headers.location)).text).toContain('Saved: 2 cells changed.');
    expect(await t.db('channel_services').select('channel_id', 'service_id')).toEqual([
      { channel_id: reception.id, service_id: c.serviceId },
    ]);
    const audits = (
      await t.db('audit_log').where({ action: 'traffic_channel.cell_changed' }).orderBy('id')
    ).map((a) => JSON.parse(a.details));
    expect(audits.slice(1)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channelId: c.channelId, old: true, new: false }),
        expect.objectContaining({ channelId: reception.id, old: false, new: true }),
      ]),
    );

    // The partner no longer sees the institution or the service, and cannot reserve it.
    const after = await gamma.agent.get('/partner-booking');
    expect(after.text).not.toContain(`<option value="${c.institutionId}"`);
    const direct = await gamma.agent.get(
      `/partner-booking?institution=${c.institutionId}&service=${c.serviceId}&week=${day(0)}`,
    );
    expect(freeSlotIds(direct.text)).toEqual([]);
    const refused = await gamma.agent
      .post('/reservations')
      .type('form')
      .send({ institution: c.institutionId, service: c.serviceId, slot: slots[1].id, _csrf: gamma.csrf });
    // The institution is no longer offered to this partner at all, so the choice itself is refused.
    expect(refused.status).toBe(422);
    expect(await t.db('holds')).toHaveLength(0);
  });

  it('toggles one cell with htmx and audits only real changes', async () => {
    const c = await configureClinic();
    const send = (checked: string) =>
      admin.agent.post('/settings/traffic-channels/cell').set('HX-Request', 'true').type('form').send({
        institution: c.institutionId,
        channel: c.channelId,
        service: c.serviceId,
        checked,
        _csrf: admin.csrf,
      });
    const off = await send('0');
    expect(off.status).toBe(200);
    expect(off.text).not.toMatch(/checked/);
    expect(off.text).toContain('Unticked, saved');
    expect(await t.db('channel_services').where({ channel_id: c.channelId })).toHaveLength(0);
    await send('0');
    expect(await t.db('audit_log').where({ action: 'traffic_channel.cell_changed' })).toHaveLength(2);
    // From htmx the form's ticked boxes arrive as `cell`; the box itself decides.
    const on = await admin.agent
      .post('/settings/traffic-channels/cell')
      .set('HX-Request', 'true')
      .type('form')
      .send({
        institution: c.institutionId,
        channel: c.channelId,
        service: c.serviceId,
        cell: `${c.channelId}:${c.serviceId}`,
        _csrf: admin.csrf,
      });
    expect(on.status).toBe(200);
    expect(await t.db('channel_services').where({ channel_id: c.channelId })).toHaveLength(1);
    // Unknown ids are 404, malformed 400; nothing changes.
    const unknown = await admin.agent.post('/settings/traffic-channels/cell').type('form').send({
      institution: c.institutionId,
      channel: 999,
      service: c.serviceId,
      checked: '1',
      _csrf: admin.csrf,
    });
    expect(unknown.status).toBe(404);
    const malformed = await admin.agent
      .post('/settings/traffic-channels/cell')
      .type('form')
      .send({ institution: 'x', channel: c.channelId, service: c.serviceId, _csrf: admin.csrf });
    expect(malformed.status).toBe(400);
    expect(await t.db('channel_services')).toHaveLength(1);
  });

  it('renames and deactivates the partner channel with the partner; the matrix drops the column', async () => {
    const c = await configureClinic();
    const form = {
      name: 'Gamma Care Ltd',
      tax_number: '12345678-2-42',
      registration_number: '',
      contact_name: '',
      contact_email: '',
      contact_phone: '',
      commission_type: 'fixed',
      commission_value: '1500',
      _csrf: admin.csrf,
    };
    expect((await admin.agent.post(`/settings/partners/${c.partnerId}`).type('form').send(form)).status).toBe(
      303,
    );
    expect(await t.db('traffic_channels').where({ id: c.channelId }).first()).toMatchObject({
      name: 'Gamma Care Ltd',
    });
    expect(await t.db('partners').where({ id: c.partnerId }).first()).toMatchObject({
      commission_type: 'fixed',
      commission_value: 150000,
      can_see_patient_records: 0,
    });
    expect(
      (
        await admin.agent
          .post(`/settings/partners/${c.partnerId}/deactivate`)
          .type('form')
          .send({ _csrf: admin.csrf })
      ).status,
    ).toBe(303);
    expect(await t.db('traffic_channels').where({ id: c.channelId }).first()).toMatchObject({ active: 0 });
    const matrix = await admin.agent.get(`/settings/traffic-channels?institution=${c.institutionId}`);
    expect(matrix.text).not.toContain('Gamma Care Ltd');
    // Saving the matrix now leaves the inactive partner's tick alone (it is history, and comes back on reactivation).
    await admin.agent
      .post('/settings/traffic-channels')
      .type('form')
      .send({ institution: c.institutionId, _csrf: admin.csrf });
    expect(await t.db('channel_services').where({ channel_id: c.channelId })).toHaveLength(1);
    expect(
      (
        await admin.agent
          .post(`/settings/partners/${c.partnerId}/reactivate`)
          .type('form')
          .send({ _csrf: admin.csrf })
      ).status,
    ).toBe(303);
    expect(await t.db('traffic_channels').where({ id: c.channelId }).first()).toMatchObject({ active: 1 });
    const actions = (await t.db('audit_log').where('action', 'like', 'settings.partner.%').orderBy('id')).map(
      (a) => a.action,
    );
    expect(actions).toEqual([
      'settings.partner.created',
      'settings.partner.updated',
      'settings.partner.deactivated',
      'settings.partner.reactivated',
    ]);
  });

  it('refuses a partner user with clinic permissions (422) and creates nothing', async () => {
    const c = await configureClinic();
    const res = await admin.agent
      .post(`/settings/partners/${c.partnerId}/users`)
      .type('form')
      .send({
        username: 'gamma2',
        displayName: 'Gamma Two',
        password: 'gamma-desk-2',
        permissions: ['settings'],
        _csrf: admin.csrf,
      });
    expect(res.status).toBe(422);
    expect(res.text).toContain('A partner user cannot hold');
    expect(res.text).toContain('value="gamma2"');
    expect(await t.db('users').where({ username: 'gamma2' }).first()).toBeUndefined();
  });

  it('blocks and unblocks a free slot, and refuses to block a booked one (409)', async () => {
    const c = await configureClinic();
    const [free, booked] = await t
      .db('slots')
      .where({ schedule_id: c.scheduleId })
      .orderBy('starts_at')
      .limit(2);
    const page = await admin.agent.get(`/settings/schedules/${c.scheduleId}?date=${day(0)}`);
    expect(page.text).toContain('08:00–08:20');
    expect(page.text).toContain(`action="/settings/slots/${free.id}/block"`);
    const block = await admin.agent
      .post(`/settings/slots/${free.id}/block`)
      .type('form')
      .send({ reason: 'Doctor ill', _csrf: admin.csrf });
    expect(block.status).toBe(303);
    expect(block.headers.location).toBe(`/settings/schedules/${c.scheduleId}?date=${day(0)}#slots`);
    expect(await t.db('slots').where({ id: free.id }).first()).toMatchObject({
      status: 'blocked',
      blocked_reason: 'Doctor ill',
    });
    expect((await admin.agent.get(block.headers.location)).text).toContain('Blocked: Doctor ill');
    expect(
      (await admin.agent.post(`/settings/slots/${free.id}/unblock`).type('form').send({ _csrf: admin.csrf }))
        .status,
    ).toBe(303);
    expect(await t.db('slots').where({ id: free.id }).first()).toMatchObject({
      status: 'open',
      blocked_reason: null,
    });

    const patientId = await fixtures.patient(t.db, 'Kovács', 'Anna');
    const bossId = (await t.db('users').where({ username: 'boss' }).first()).id;
    const [row] = await t
      .db('bookings')
      .insert({
        institution_id: c.institutionId,
        doctor_id: c.doctorId,
        service_id: c.serviceId,
        patient_id: patientId,
        channel_id: c.channelId,
        partner_id: c.partnerId,
        created_by_user_id: bossId,
        starts_at: booked.starts_at,
        ends_at: booked.ends_at,
        local_date: booked.local_date,
        created_local_date: booked.local_date,
        price_minor: 900050,
        commission_minor: 112506,
        status: 'booked',
        idempotency_key: 'x1',
        created_at: t.clock.nowIso(),
      })
      .returning('id');
    const bookingId = typeof row === 'object' ? row.id : row;
    await t.db('booking_slots').insert({ booking_id: bookingId, slot_id: booked.id });
    await t.db('slot_occupancies').insert({ slot_id: booked.id, booking_id: bookingId });
    const refused = await admin.agent
      .post(`/settings/slots/${booked.id}/block`)
      .type('form')
      .send({ reason: 'x', _csrf: admin.csrf });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('This slot is booked and cannot be blocked');
    expect(await t.db('slots').where({ id: booked.id }).first()).toMatchObject({ status: 'open' });
    expect(
      (await t.db('audit_log').whereIn('action', ['slot.blocked', 'slot.unblocked'])).map((a) => a.action),
    ).toEqual(['slot.blocked', 'slot.unblocked']);
  });

  it('a plan change re-applies itself, keeps the booked slot and says so', async () => {
    const c = await configureClinic();
    const last = await t
      .db('slots')
      .where({ schedule_id: c.scheduleId, local_date: day(0) })
      .orderBy('starts_at', 'desc')
      .first();
    const patientId = await fixtures.patient(t.db, 'Nagy', 'Béla');
    const bossId = (await t.db('users').where({ username: 'boss' }).first()).id;
    const [row] = await t
      .db('bookings')
      .insert({
        institution_id: c.institutionId,
        doctor_id: c.doctorId,
        service_id: c.serviceId,
        patient_id: patientId,
        channel_id: c.channelId,
        partner_id: c.partnerId,
        created_by_user_id: bossId,
        starts_at: last.starts_at,
        ends_at: last.ends_at,
        local_date: last.local_date,
        created_local_date: last.local_date,
        price_minor: 900050,
        commission_minor: 0,
        status: 'booked',
        idempotency_key: 'x2',
        created_at: t.clock.nowIso(),
      })
      .returning('id');
    const bookingId = typeof row === 'object' ? row.id : row;
    await t.db('booking_slots').insert({ booking_id: bookingId, slot_id: last.id });
    await t.db('slot_occupancies').insert({ slot_id: last.id, booking_id: bookingId });
    // Mondays now end at 11:00: the booked 11:40 slot is no longer wanted.
    const form: Record<string, string> = { slot_minutes: '20', valid_from: day(0), valid_to: '' };
    for (const d of [1, 2, 3, 4, 5])
      Object.assign(form, {
        [`start_${d}`]: '08:00',
        [`end_${d}`]: d === 1 ? '11:00' : '12:00',
        [`breaks_${d}`]: '10:00-10:20',
      });
    // Saving the plan brings the existing slots in line at once (no Generate needed).
    const saved = await admin.agent
      .post(`/settings/schedules/${c.scheduleId}`)
      .type('form')
      .send({ ...form, _csrf: admin.csrf });
    expect(saved.status).toBe(303);
    expect((await admin.agent.get(saved.headers.location)).text).toContain(
      'Created 0, kept 52, removed 2, could not change 1, conflicts 0.',
    );
    expect(await t.db('slots').where({ id: last.id }).first()).toMatchObject({ starts_at: last.starts_at });
    const again = await admin.agent
      .post(`/settings/schedules/${c.scheduleId}/generate`)
      .type('form')
      .send({ from: day(0), to: day(6), _csrf: admin.csrf });
    expect((await admin.agent.get(again.headers.location)).text).toContain(
      'Created 0, kept 52, removed 0, could not change 1, conflicts 0.',
    );
  });

  it('adds a day off as an exception; regeneration removes that day\u2019s free slots', async () => {
    const c = await configureClinic();
    const res = await admin.agent
      .post(`/settings/schedules/${c.scheduleId}/exceptions`)
      .type('form')
      .send({ date: day(2), kind: 'off', note: 'Conference', _csrf: admin.csrf });
    expect(res.status).toBe(303);
    const dup = await admin.agent
      .post(`/settings/schedules/${c.scheduleId}/exceptions`)
      .type('form')
      .send({ date: day(2), kind: 'hours', start: '09:00', end: '10:00', _csrf: admin.csrf });
    expect(dup.status).toBe(422);
    expect(dup.text).toContain('There is already an exception on this date');
    await admin.agent
      .post(`/settings/schedules/${c.scheduleId}/generate`)
      .type('form')
      .send({ from: day(0), to: day(6), _csrf: admin.csrf });
    expect(await t.db('slots').where({ schedule_id: c.scheduleId, local_date: day(2) })).toHaveLength(0);
    expect(await t.db('slots').where({ schedule_id: c.scheduleId })).toHaveLength(44);
  });
});

describe('GET /settings/doctors/offer-grid', () => {
  it('narrows the offer grid to the ticked qualifications\u2019 services at the ticked institutions', async () => {
    const buda = await fixtures.institution(t.db, 'Buda');
    const pest = await fixtures.institution(t.db, 'Pest');
    const cardio = await fixtures.qualification(t.db, 'Cardiology');
    const derm = await fixtures.qualification(t.db, 'Dermatology');
    const ecg = await fixtures.service(t.db, cardio, 'ECG');
    const mole = await fixtures.service(t.db, derm, 'Mole screening');
    const grid = await admin.agent
      .get(
        `/settings/doctors/offer-grid?qualification_ids=${cardio}&institution_ids=${pest}&offers=${pest}:${ecg}`,
      )
      .set('HX-Request', 'true');
    expect(grid.status).toBe(200);
    expect(grid.text).toContain('ECG at Pest');
    expect(grid.text).not.toContain('Mole screening');
    expect(grid.text).not.toContain('ECG at Buda');
    expect(grid.text).toMatch(new RegExp(`value="${pest}:${ecg}" checked`));
    // The edit page of a saved doctor shows the same narrowed grid without JavaScript.
    const doctorId = await create('/settings/doctors', {
      name: 'Dr. Grid',
      qualification_ids: String(derm),
      institution_ids: [String(buda), String(pest)],
      offers: `${buda}:${mole}`,
    });
    const page = await admin.agent.get(`/settings/doctors/${doctorId}`);
    expect(page.text).toContain('Mole screening at Buda');
    expect(page.text).toContain('Mole screening at Pest');
    expect(page.text).not.toContain('ECG at');
    expect(page.text).toMatch(new RegExp(`value="${buda}:${mole}" checked`));
  });
});
