/**
 * Review fixes on schedules, slots and dates (round F2): each block names the problem it guards.
 */
import { makeTestApp, loginAs, type TestApp, type LoggedIn } from './helpers';
import { fixtures } from './fixtures';
import { rangeChunks } from '../src/schedules/slots.service';
import { slotTimes } from '../src/schedules/slot-times';
import { parseSlotsArgs } from '../src/cli/slots';
import { isoDate } from '../src/lib/validate';
import { clinicTimeZone } from '../src/settings/institutions.queries';
import { FixedClock } from '../src/lib/clock';
import { demoIds, freeSlot, freeSlotIds, reserve, save, tokenOf } from './booking-helpers';

let t: TestApp;
afterEach(() => t?.db.destroy());

const post = (who: LoggedIn, path: string, form: Record<string, unknown>) =>
  who.agent
    .post(path)
    .type('form')
    .send({ ...form, _csrf: who.csrf });

describe('dates far in the future never hang a loop', () => {
  it('rangeChunks splits a range in year 9999 into months and stops', () => {
    const chunks = rangeChunks('9999-06-01', '9999-12-31');
    expect(chunks).toHaveLength(7);
    expect(chunks[0]).toEqual({ from: '9999-06-01', to: '9999-07-01' });
    expect(chunks[chunks.length - 1].to).toBe('9999-12-31');
  });

  it('slotTimes stops at the last day of year 9999', () => {
    const plan = {
      zone: 'Europe/Budapest',
      slotMinutes: 60,
      validFrom: '2000-01-01',
      validTo: null,
      hours: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '08:00', end: '10:00' })),
      breaks: [],
      exceptions: [],
    };
    const slots = slotTimes(plan, '9999-12-30', '9999-12-31');
    expect(slots.map((s) => s.localDate)).toEqual(['9999-12-30', '9999-12-30', '9999-12-31', '9999-12-31']);
  });

  it('isoDate accepts real days from 1900 to 2100 only', () => {
    const schema = isoDate('Enter a date.');
    expect(schema.safeParse('2026-06-01')).toMatchObject({ success: true, data: '2026-06-01' });
    expect(schema.safeParse(' 2100-12-31 ')).toMatchObject({ success: true, data: '2100-12-31' });
    for (const bad of ['9999-06-01', '1899-12-31', '2101-01-01'])
      expect(schema.safeParse(bad).error?.issues[0].message).toBe('Enter a year from 1900 to 2100.');
    for (const bad of ['2026-02-30', '2026-6-1', '', 'tomorrow', ['x']])
      expect(schema.safeParse(bad).error?.issues[0].message).toBe('Enter a date.');
    expect(isoDate('Enter a date.', { optional: true }).safeParse('')).toMatchObject({
      success: true,
      data: '',
    });
  });

  it('the slots command refuses a year outside 1900..2100', () => {
    expect(parseSlotsArgs(['--from', '9999-06-01', '--to', '9999-12-31'])).toEqual({
      error: '--from must be a date in the years 1900 to 2100: 9999-06-01',
    });
  });

  it('POST /settings/schedules/generate for year 9999 answers 422 at once and creates nothing', async () => {
    t = await makeTestApp();
    await fixtures.staffOffice(t.db);
    await fixtures.scheduledDoctor(t.db);
    const admin = await loginAs(t.app, 'admin');
    const before = await t.db('slots').count({ n: '*' }).first();
    const res = await post(admin, '/settings/schedules/generate', { from: '9999-06-01', to: '9999-12-31' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Enter a year from 1900 to 2100.');
    expect(await t.db('slots').count({ n: '*' }).first()).toEqual(before);
  });

  it('schedule and exception dates in year 9999 are refused with 422; statistics say which field', async () => {
    t = await makeTestApp();
    await fixtures.staffOffice(t.db);
    const { scheduleId } = await fixtures.scheduledDoctor(t.db);
    const admin = await loginAs(t.app, 'admin');
    const schedule = await t.db('schedules').where({ id: scheduleId }).first();
    const ex = await post(admin, `/settings/schedules/${schedule.id}/exceptions`, {
      date: '9999-01-01',
      kind: 'off',
      note: '',
    });
    expect(ex.status).toBe(422);
    expect(ex.text).toContain('Enter a year from 1900 to 2100.');
    expect(await t.db('schedule_exceptions').where({ date: '9999-01-01' }).first()).toBeUndefined();
    const day = await admin.agent.get(`/settings/schedules/${schedule.id}?date=9999-01-01`);
    expect(day.status).toBe(400);
    const stats = await admin.agent.get('/statistics?from=9999-01-01&to=9999-06-01');
    expect(stats.status).toBe(400);
    expect(stats.text).toContain('Enter a year from 1900 to 2100.');
    expect(stats.text).not.toContain('at most 5 years');
  });
});

describe('partner logins need users_admin, not settings', () => {
  it('a settings-only user sees the users list but no form, and a POST is 403 creating nothing; admin creates one', async () => {
    t = await makeTestApp();
    await fixtures.staffOffice(t.db);
    await fixtures.user(t.db, 'setter', ['settings']);
    const setter = await loginAs(t.app, 'setter');
    const alfa = await t.db('partners').where({ name: 'Alfa Health Insurance' }).first();
    const page = await setter.agent.get(`/settings/partners/${alfa.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Users of Alfa Health Insurance');
    expect(page.text).toContain('<td>alfa</td>');
    expect(page.text).not.toContain(`action="/settings/partners/${alfa.id}/users"`);
    expect(page.text).toContain('Only a user with the Admin users permission can create logins');
    const usersBefore = await t.db('users').count({ n: '*' }).first();
    const form = {
      username: 'sneaky',
      displayName: 'Sneaky',
      password: 'sneaky-pass-1',
      permissions: ['partner_booking'],
    };
    const refused = await post(setter, `/settings/partners/${alfa.id}/users`, form);
    expect(refused.status).toBe(403);
    expect(await t.db('users').count({ n: '*' }).first()).toEqual(usersBefore);

    const admin = await loginAs(t.app, 'admin');
    expect((await admin.agent.get(`/settings/partners/${alfa.id}`)).text).toContain(
      `action="/settings/partners/${alfa.id}/users"`,
    );
    const ok = await post(admin, `/settings/partners/${alfa.id}/users`, form);
    expect(ok.status).toBe(303);
    expect(await t.db('users').where({ username: 'sneaky' }).first()).toMatchObject({ partner_id: alfa.id });
  });
});

describe('a slot whose only booking was cancelled follows the schedule', () => {
  it('is blocked as removed when a day off is added, is not offered or holdable, and opens again when the day off goes', async () => {
    t = await makeTestApp({ demo: true });
    const ids = await demoIds(t.db);
    const desk = await loginAs(t.app, 'desk');
    const admin = await loginAs(t.app, 'admin');
    const slot = await freeSlot(t.db, ids.buda, ids.cardioConsult, 2);
    const { schedule_id: scheduleId } = await t.db('slots').where({ id: slot.id }).first();
    const held = await reserve(desk, {
      partner: ids.alfa,
      institution: ids.buda,
      service: ids.cardioConsult,
      slot: slot.id,
    });
    expect(held.status).toBe(303);
    expect((await save(desk, tokenOf(held.headers.location), ids.janos)).status).toBe(303);
    const booking = await t
      .db('bookings')
      .where({ idempotency_key: tokenOf(held.headers.location) })
      .first();
    expect((await post(desk, `/bookings/${booking.id}/cancel`, { reason: 'Patient is ill' })).status).toBe(
      303,
    );

    const calendarUrl = `/partner-booking?partner=${ids.alfa}&institution=${ids.buda}&service=${ids.cardioConsult}&doctor=${slot.doctor_id}&week=${slot.local_date}`;
    expect(freeSlotIds((await desk.agent.get(calendarUrl)).text)).toContain(slot.id);

    expect(
      (
        await post(admin, `/settings/schedules/${scheduleId}/exceptions`, {
          date: slot.local_date,
          kind: 'off',
          note: 'Conference',
        })
      ).status,
    ).toBe(303);
    expect(
      (
        await post(admin, `/settings/schedules/${scheduleId}/generate`, {
          from: slot.local_date,
          to: slot.local_date,
        })
      ).status,
    ).toBe(303);
    expect(await t.db('slots').where({ id: slot.id }).first()).toMatchObject({
      status: 'blocked',
      blocked_reason: 'Removed from the schedule',
    });
    expect(
      await t.db('booking_slots').where({ slot_id: slot.id, booking_id: booking.id }).first(),
    ).toBeDefined();
    // No other slot of that day is left open for this schedule.
    expect(
      await t.db('slots').where({ schedule_id: scheduleId, local_date: slot.local_date, status: 'open' }),
    ).toHaveLength(0);

    const calendar = await desk.agent.get(calendarUrl);
    expect(calendar.status).toBe(200);
    expect(freeSlotIds(calendar.text)).not.toContain(slot.id);
    const again = await reserve(desk, {
      partner: ids.alfa,
      institution: ids.buda,
      service: ids.cardioConsult,
      slot: slot.id,
    });
    expect(again.status).not.toBe(303);
    expect(await t.db('hold_slots').where({ slot_id: slot.id }).first()).toBeUndefined();

    // Generating again changes nothing; removing the day off opens the slot again.
    const rerun = await post(admin, `/settings/schedules/${scheduleId}/generate`, {
      from: slot.local_date,
      to: slot.local_date,
    });
    expect((await admin.agent.get(rerun.headers.location)).text).toMatch(/Created 0, kept 0, removed 0/);
    const exception = await t
      .db('schedule_exceptions')
      .where({ schedule_id: scheduleId, date: slot.local_date })
      .first();
    expect(
      (await post(admin, `/settings/schedules/${scheduleId}/exceptions/${exception.id}/delete`, {})).status,
    ).toBe(303);
    await post(admin, `/settings/schedules/${scheduleId}/generate`, {
      from: slot.local_date,
      to: slot.local_date,
    });
    expect(await t.db('slots').where({ id: slot.id }).first()).toMatchObject({
      status: 'open',
      blocked_reason: null,
    });
  });
});

describe('a schedule is loaded by its id', () => {
  function planForm(
    schedule: { valid_from: string },
    hours: { weekday: number; start_time: string; end_time: string }[],
  ) {
    const form: Record<string, string> = {
      slot_minutes: '20',
      valid_from: schedule.valid_from,
      valid_to: '',
    };
    for (const d of [1, 2, 3, 4, 5, 6, 7]) {
      const h = hours.find((x) => x.weekday === d);
      Object.assign(form, {
        [`start_${d}`]: h?.start_time ?? '',
        [`end_${d}`]: h?.end_time ?? '',
        [`breaks_${d}`]: '',
      });
    }
    return form;
  }

  it('saving a plan never reads every schedule (no unfiltered query on schedules)', async () => {
    t = await makeTestApp();
    await fixtures.staffOffice(t.db);
    const { scheduleId } = await fixtures.scheduledDoctor(t.db);
    // A second doctor's schedule, so an unfiltered read would have more than one to find.
    const other = await fixtures.scheduledDoctor(t.db, ' 2');
    expect(other.scheduleId).not.toBe(scheduleId);
    const admin = await loginAs(t.app, 'admin');
    const schedule = await t.db('schedules').where({ id: scheduleId }).first();
    const hours = await t.db('schedule_hours').where({ schedule_id: schedule.id });
    const sql: string[] = [];
    t.db.on('query', (q: { sql: string }) => sql.push(q.sql));
    const res = await post(admin, `/settings/schedules/${schedule.id}`, planForm(schedule, hours));
    expect(res.status).toBe(303);
    const onSchedules = sql.filter((q) => /from [`"]schedules[`"]/.test(q));
    expect(onSchedules.length).toBeGreaterThan(0);
    for (const q of onSchedules) expect(q).toMatch(/where/i);
  });

  it('answers 404 for an unknown schedule on every schedule POST and writes nothing', async () => {
    t = await makeTestApp();
    await fixtures.staffOffice(t.db);
    await fixtures.scheduledDoctor(t.db);
    const admin = await loginAs(t.app, 'admin');
    const audits = await t.db('audit_log').count({ n: '*' }).first();
    for (const [path, form] of [
      [
        '/settings/schedules/999999',
        { slot_minutes: '20', valid_from: '2026-01-01', start_1: '08:00', end_1: '10:00' },
      ],
      ['/settings/schedules/999999/exceptions', { date: '2026-06-01', kind: 'off' }],
      ['/settings/schedules/999999/generate', { from: '2026-06-01', to: '2026-06-02' }],
    ] as const) {
      expect([path, (await post(admin, path, form)).status]).toEqual([path, 404]);
    }
    expect(await t.db('audit_log').count({ n: '*' }).first()).toEqual(audits);
  });
});

describe('schedule page errors come back on the page (422), not on the error page', () => {
  it('a bad generate range re-renders the schedule page and the list page with the message by the field', async () => {
    t = await makeTestApp({ demo: true });
    const admin = await loginAs(t.app, 'admin');
    const schedule = await t.db('schedules').orderBy('id').first();
    const slots = await t.db('slots').count({ n: '*' }).first();
    const one = await post(admin, `/settings/schedules/${schedule.id}/generate`, {
      from: '2026-06-10',
      to: '2026-06-01',
    });
    expect(one.status).toBe(422);
    expect(one.text).toContain('<h2>Weekly plan</h2>');
    expect(one.text).toMatch(
      /<span class="field-error" id="to-error">Enter the first and last day as YYYY-MM-DD; the last not before the first, at most 366 days.<\/span>/,
    );
    expect(one.text).toContain('value="2026-06-10"');
    const all = await post(admin, '/settings/schedules/generate', { from: 'soon', to: '2026-06-01' });
    expect(all.status).toBe(422);
    expect(all.text).toContain('Generate slots for all schedules');
    expect(all.text).toContain('id="from-error"');
    expect(all.text).toContain('value="soon"');
    expect(await t.db('slots').count({ n: '*' }).first()).toEqual(slots);
  });

  it('a blank block reason re-renders the slot\u2019s day with the message next to its Block button, and blocks nothing', async () => {
    t = await makeTestApp({ demo: true });
    const admin = await loginAs(t.app, 'admin');
    const slot = await t.db('slots').where({ status: 'open' }).orderBy('starts_at', 'desc').first();
    const res = await post(admin, `/settings/slots/${slot.id}/block`, { reason: '   ' });
    expect(res.status).toBe(422);
    expect(res.text).toContain(`<h2>Slots on ${slot.local_date}</h2>`);
    expect(res.text).toMatch(new RegExp(`id="reason-${slot.id}"[^>]*aria-invalid="true"`));
    expect(res.text).toContain('Enter a reason for blocking, like \u201cDoctor ill\u201d.');
    expect(await t.db('slots').where({ id: slot.id }).first()).toMatchObject({
      status: 'open',
      blocked_reason: null,
    });
    expect((await post(admin, '/settings/slots/99999999/block', { reason: '' })).status).toBe(404);
  });
});

describe('schedule changes reach existing slots without pressing Generate', () => {
  it('adding a day off removes that day\u2019s free slots at once; the booked one stays; the flash says so', async () => {
    t = await makeTestApp({ demo: true });
    const admin = await loginAs(t.app, 'admin');
    const today = t.clock.now().toISODate()!;
    const booked = await t
      .db('slot_occupancies as so')
      .join('slots as s', 's.id', 'so.slot_id')
      .whereNotNull('s.schedule_id')
      .where('s.local_date', '>', today)
      .select('s.id', 's.schedule_id', 's.local_date')
      .orderBy('s.local_date')
      .first();
    expect(booked).toBeDefined();
    const dayCount = () =>
      t
        .db('slots')
        .where({ schedule_id: booked.schedule_id, local_date: booked.local_date })
        .count({ n: '*' })
        .first();
    expect((await dayCount())!.n).toBeGreaterThan(1);
    const otherDays = await t
      .db('slots')
      .where({ schedule_id: booked.schedule_id })
      .whereNot({ local_date: booked.local_date })
      .count({ n: '*' })
      .first();

    const res = await post(admin, `/settings/schedules/${booked.schedule_id}/exceptions`, {
      date: booked.local_date,
      kind: 'off',
      note: 'Conference',
    });
    expect(res.status).toBe(303);
    // Left on that day: the booked slot (and any with booking history, blocked); nothing free.
    const left = await t
      .db('slots as s')
      .leftJoin('slot_occupancies as so', 'so.slot_id', 's.id')
      .where({ 's.schedule_id': booked.schedule_id, 's.local_date': booked.local_date })
      .select('s.id', 's.status', 'so.booking_id');
    expect(left.map((s) => s.id)).toContain(booked.id);
    expect(left.filter((s) => s.status === 'open' && !s.booking_id)).toEqual([]);
    expect(left.length).toBeLessThan(3);
    expect(
      await t
        .db('slots')
        .where({ schedule_id: booked.schedule_id })
        .whereNot({ local_date: booked.local_date })
        .count({ n: '*' })
        .first(),
    ).toEqual(otherDays);
    const page = await admin.agent.get(res.headers.location);
    expect(page.text).toMatch(
      /Exception added\. Existing slots from today on were brought in line: Created 0, kept \d+, removed \d+, could not change \d+, conflicts 0\./,
    );
    const audit = await t
      .db('audit_log')
      .where({ action: 'settings.schedule.slots_generated', entity_id: booked.schedule_id })
      .first();
    expect(audit).toBeDefined();

    // Deleting the day off brings the free slots back, again without Generate.
    const exception = await t
      .db('schedule_exceptions')
      .where({ schedule_id: booked.schedule_id, date: booked.local_date })
      .first();
    expect(
      (await post(admin, `/settings/schedules/${booked.schedule_id}/exceptions/${exception.id}/delete`, {}))
        .status,
    ).toBe(303);
    expect((await dayCount())!.n).toBeGreaterThan(1);
  });

  it('saving shorter hours removes the free slots past the new end from today on', async () => {
    t = await makeTestApp({ demo: true });
    const admin = await loginAs(t.app, 'admin');
    const schedule = await t.db('schedules').orderBy('id').first();
    const hours = await t.db('schedule_hours').where({ schedule_id: schedule.id });
    const form: Record<string, string> = {
      slot_minutes: String(schedule.slot_minutes),
      valid_from: schedule.valid_from,
      valid_to: schedule.valid_to ?? '',
    };
    for (const d of [1, 2, 3, 4, 5, 6, 7]) {
      const h = hours.find((x) => x.weekday === d);
      // Each working day ends one hour earlier.
      const end = h
        ? `${String(Number(h.end_time.slice(0, 2)) - 1).padStart(2, '0')}${h.end_time.slice(2)}`
        : '';
      Object.assign(form, { [`start_${d}`]: h?.start_time ?? '', [`end_${d}`]: end, [`breaks_${d}`]: '' });
    }
    const before = await t.db('slots').where({ schedule_id: schedule.id }).count({ n: '*' }).first();
    const res = await post(admin, `/settings/schedules/${schedule.id}`, form);
    expect(res.status).toBe(303);
    const after = await t.db('slots').where({ schedule_id: schedule.id }).count({ n: '*' }).first();
    expect(after!.n).toBeLessThan(before!.n as number);
    expect((await admin.agent.get(res.headers.location)).text).toContain(
      'Schedule saved. Existing slots from today on were brought in line',
    );
  });
});

describe('clinic channels come from a migration', () => {
  it('a fresh database has Reception, Phone and Online; the Traffic channels page writes nothing', async () => {
    t = await makeTestApp();
    expect(
      await t
        .db('traffic_channels')
        .where({ kind: 'clinic' })
        .orderBy('sort_order')
        .select('code', 'name', 'sort_order', 'partner_id'),
    ).toEqual([
      { code: 'reception', name: 'Reception', sort_order: 1, partner_id: null },
      { code: 'phone', name: 'Phone', sort_order: 2, partner_id: null },
      { code: 'online', name: 'Online', sort_order: 3, partner_id: null },
    ]);
    await fixtures.user(t.db, 'setter', ['settings']);
    const setter = await loginAs(t.app, 'setter');
    await t.db('traffic_channels').where({ code: 'phone' }).del();
    const writes: string[] = [];
    t.db.on('query', (q: { sql: string }) => {
      if (/^\s*(insert|update|delete)/i.test(q.sql) && !/sessions/.test(q.sql)) writes.push(q.sql);
    });
    expect((await setter.agent.get('/settings/traffic-channels')).status).toBe(200);
    expect(writes).toEqual([]);
    expect(await t.db('traffic_channels').where({ code: 'phone' }).first()).toBeUndefined();
  });
});

describe('slots of a day use the calendar\u2019s words and one live-hold rule', () => {
  it('shows Taken, Held, Blocked and Free; a live hold blocks Block (409), an expired one does not', async () => {
    t = await makeTestApp({ demo: true });
    const admin = await loginAs(t.app, 'admin');
    const taken = await t
      .db('slot_occupancies as so')
      .join('slots as s', 's.id', 'so.slot_id')
      .whereNotNull('s.schedule_id')
      .select('s.*')
      .orderBy('s.starts_at')
      .first();
    const [free, held, expired, blocked] = await t
      .db('slots as s')
      .leftJoin('slot_occupancies as so', 'so.slot_id', 's.id')
      .whereNull('so.slot_id')
      .where({ 's.schedule_id': taken.schedule_id, 's.local_date': taken.local_date, 's.status': 'open' })
      .select('s.id')
      .orderBy('s.starts_at')
      .limit(4);
    const user = await t.db('users').where({ username: 'desk' }).first();
    const hold = async (token: string, expiresAt: string, slotId: number) => {
      const [row] = await t
        .db('holds')
        .insert({
          token,
          user_id: user.id,
          session_id: 's',
          partner_id: null,
          channel_id: (await t.db('traffic_channels').where({ code: 'reception' }).first()).id,
          institution_id: taken.institution_id,
          doctor_id: taken.doctor_id,
          service_id: (await t.db('services').first()).id,
          expires_at: expiresAt,
          created_at: t.clock.nowIso(),
        })
        .returning('id');
      await t.db('hold_slots').insert({ slot_id: slotId, hold_id: typeof row === 'object' ? row.id : row });
    };
    await hold('live-token', t.clock.now().plus({ minutes: 10 }).toISO()!, held.id);
    await hold('old-token', t.clock.now().minus({ seconds: 1 }).toISO()!, expired.id);
    await t.db('slots').where({ id: blocked.id }).update({ status: 'blocked', blocked_reason: 'Doctor ill' });

    const page = await admin.agent.get(`/settings/schedules/${taken.schedule_id}?date=${taken.local_date}`);
    expect(page.text).toMatch(/<tr class="slot-taken">\s*<td>[^<]+<\/td>\s*<td>Taken<\/td>/);
    expect(page.text).toMatch(/<tr class="slot-held">\s*<td>[^<]+<\/td>\s*<td>Held<\/td>/);
    expect(page.text).toMatch(/<tr class="slot-blocked">\s*<td>[^<]+<\/td>\s*<td>Blocked: Doctor ill<\/td>/);
    expect(page.text).toContain(`action="/settings/slots/${free.id}/block"`);
    expect(page.text).toContain(`action="/settings/slots/${expired.id}/block"`);
    expect(page.text).not.toContain(`action="/settings/slots/${held.id}/block"`);

    expect((await post(admin, `/settings/slots/${held.id}/block`, { reason: 'Ill' })).status).toBe(409);
    expect((await post(admin, `/settings/slots/${expired.id}/block`, { reason: 'Ill' })).status).toBe(303);
    expect(await t.db('slots').where({ id: expired.id }).first()).toMatchObject({
      status: 'blocked',
      blocked_reason: 'Ill',
    });
  });
});

describe('partner commission is worded by describeCommission', () => {
  it('the partner list says "10 % of the price" and "<amount> per booking"', async () => {
    t = await makeTestApp();
    await fixtures.staffOffice(t.db); // Alfa: 10 % (1000 hundredths of a per cent)
    await fixtures.partner(t.db, 'Fixed Fee Partner', { commission_type: 'fixed', commission_value: 150000 });
    const admin = await loginAs(t.app, 'admin');
    const list = await admin.agent.get('/settings/partners');
    expect(list.status).toBe(200);
    expect(list.text).toContain('<td>10 % of the price</td>');
    expect(list.text).toMatch(/<td>[^<]*1[\s\u00a0.,]?500[^<]* per booking<\/td>/);
  });
});

describe('partner names use the catalogue\u2019s uniqueness check', () => {
  it('refuses renaming to another partner\u2019s name in any case (422, partner wording), allows a case change of its own', async () => {
    t = await makeTestApp({ demo: true });
    const admin = await loginAs(t.app, 'admin');
    const alfa = await t.db('partners').where({ name: 'Alfa Health Insurance' }).first();
    const beta = await t.db('partners').where({ name: 'Beta Corporate Care' }).first();
    const form = (p: typeof alfa, name: string) => ({
      name,
      tax_number: p.tax_number,
      registration_number: '',
      contact_name: '',
      contact_email: '',
      contact_phone: '',
      commission_type: p.commission_type,
      commission_value: '10',
      can_see_patient_records: '',
    });
    const refused = await post(admin, `/settings/partners/${beta.id}`, form(beta, 'alfa health INSURANCE'));
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('A partner with this name already exists (perhaps inactive).');
    expect((await t.db('partners').where({ id: beta.id }).first()).name).toBe('Beta Corporate Care');
    expect(
      (await post(admin, `/settings/partners/${alfa.id}`, form(alfa, 'ALFA Health Insurance'))).status,
    ).toBe(303);
    expect((await t.db('partners').where({ id: alfa.id }).first()).name).toBe('ALFA Health Insurance');
  });
});

describe('time zone names are built once', () => {
  it('timeZoneNames() hands out the one list built at load; the Set agrees; the institution form offers it', async () => {
    const { timeZoneNames, timeZoneList, timeZoneSet } = await import('../src/lib/time');
    expect(timeZoneNames()).toBe(timeZoneNames());
    expect(timeZoneNames()).toBe(timeZoneList);
    expect(timeZoneSet.size).toBe(timeZoneList.length);
    for (const zone of ['Europe/Budapest', 'Europe/Vienna', 'UTC']) expect(timeZoneSet.has(zone)).toBe(true);
    t = await makeTestApp();
    await fixtures.user(t.db, 'setter', ['settings']);
    const setter = await loginAs(t.app, 'setter');
    const form = await setter.agent.get('/settings/institutions/new');
    expect(form.text).toContain('<option value="Europe/Vienna"');
  });
});

describe("the clinic's time zone (one rule for statistics and schedules)", () => {
  it('is the first active institution by id, and UTC when no institution is active', async () => {
    t = await makeTestApp();
    expect(await clinicTimeZone(t.db)).toBe('UTC');
    const first = await fixtures.institution(t.db, 'First', 'America/New_York');
    await fixtures.institution(t.db, 'Second', 'Asia/Tokyo');
    expect(await clinicTimeZone(t.db)).toBe('America/New_York');
    await t.db('institutions').where({ id: first }).update({ active: false });
    expect(await clinicTimeZone(t.db)).toBe('Asia/Tokyo');
    await t.db('institutions').update({ active: false });
    expect(await clinicTimeZone(t.db)).toBe('UTC');
  });

  it("the schedules page's default range starts on the clinic's today by the app clock", async () => {
    // 23:30 UTC on 31 January is already 1 February in Budapest, still 31 January in New York.
    t = await makeTestApp({ clock: new FixedClock('2026-01-31T23:30:00.000Z') });
    await fixtures.institution(t.db, 'Pest', 'Europe/Budapest');
    await fixtures.user(t.db, 'planner', ['settings']);
    const planner = await loginAs(t.app, 'planner');
    const res = await planner.agent.get('/settings/schedules');
    expect(res.status).toBe(200);
    expect(res.text).toContain('value="2026-02-01"');
    expect(res.text).toContain('value="2026-03-01"');
  });
});
