import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Knex } from 'knex';
import { openDb, migrate } from '../src/lib/db';
import { generateSlots, describeReport } from '../src/schedules/slots.service';
import { parseSlotsArgs } from '../src/cli/slots';
import { fixtures } from './fixtures';
import { FixedClock } from '../src/lib/clock';

/** The tests' now: before every generated day, so no slot is in the past. */
const clock = new FixedClock('2026-05-20T10:00:00.000Z');

const run = promisify(execFile);

let db: Knex;
beforeEach(async () => {
  db = openDb(':memory:');
  await migrate(db);
});
afterEach(() => db.destroy());

/** A doctor working Mon-Fri 08:00-16:00 (20-minute slots) at a Budapest clinic. */
async function clinic() {
  const institutionId = await fixtures.institution(db);
  const qualificationId = await fixtures.qualification(db);
  const serviceId = await fixtures.service(db, qualificationId);
  const doctorId = await fixtures.doctor(db, 'Dr. Test', qualificationId, [institutionId], [serviceId]);
  const scheduleId = await fixtures.schedule(db, doctorId, institutionId, { weekdays: [1, 2, 3, 4, 5] });
  return { institutionId, qualificationId, serviceId, doctorId, scheduleId };
}

/** Books one slot the way the booking service does: booking row, booking_slots, slot_occupancies. */
async function bookSlot(slotId: number, c: Awaited<ReturnType<typeof clinic>>) {
  const slot = await db('slots').where({ id: slotId }).first();
  const patientId = await fixtures.patient(db, 'Kovács', 'János');
  const channelId = await fixtures.clinicChannel(db);
  const userId = await fixtures.user(db, 'booker', ['booking']);
  const [row] = await db('bookings')
    .insert({
      institution_id: c.institutionId,
      doctor_id: c.doctorId,
      service_id: c.serviceId,
      patient_id: patientId,
      channel_id: channelId,
      partner_id: null,
      created_by_user_id: userId,
      starts_at: slot.starts_at,
      ends_at: slot.ends_at,
      local_date: slot.local_date,
      created_local_date: slot.local_date,
      price_minor: 1000,
      commission_minor: 0,
      status: 'booked',
      idempotency_key: 'k-' + slotId,
      created_at: clock.nowIso(),
    })
    .returning('id');
  const bookingId = typeof row === 'object' ? row.id : row;
  await db('booking_slots').insert({ booking_id: bookingId, slot_id: slotId });
  await db('slot_occupancies').insert({ slot_id: slotId, booking_id: bookingId });
  return bookingId;
}

describe('generateSlots', () => {
  it('creates the slots of the plan, and a second run is a no-op', async () => {
    const c = await clinic();
    // 2026-06-01 is a Monday: one working week.
    const first = await generateSlots(db, clock, { from: '2026-06-01', to: '2026-06-07' });
    expect(first).toEqual({ created: 5 * 24, kept: 0, removed: 0, unchangeable: 0, conflicts: 0 });
    const ids = (await db('slots').select('id').orderBy('id')).map((r) => r.id);
    const second = await generateSlots(db, clock, { from: '2026-06-01', to: '2026-06-07' });
    expect(second).toEqual({ created: 0, kept: 5 * 24, removed: 0, unchangeable: 0, conflicts: 0 });
    expect((await db('slots').select('id').orderBy('id')).map((r) => r.id)).toEqual(ids);
    expect(
      await db('slots')
        .where({ schedule_id: c.scheduleId, local_date: '2026-06-01' })
        .count({ n: '*' })
        .first(),
    ).toEqual({ n: 24 });
  });

  it('gives 24 slots on both Budapest DST change days (Sundays) and none twice', async () => {
    const c = await clinic();
    await db('schedule_hours').insert(
      [6, 7].map((weekday) => ({
        schedule_id: c.scheduleId,
        weekday,
        start_time: '08:00',
        end_time: '16:00',
      })),
    );
    await generateSlots(db, clock, { from: '2026-03-29', to: '2026-03-29' });
    await generateSlots(db, clock, { from: '2026-10-25', to: '2026-10-25' });
    const spring = await db('slots').where({ local_date: '2026-03-29' }).orderBy('starts_at');
    const autumn = await db('slots').where({ local_date: '2026-10-25' }).orderBy('starts_at');
    expect(spring).toHaveLength(24);
    expect(spring[0].starts_at).toBe('2026-03-29T06:00:00.000Z');
    expect(autumn).toHaveLength(24);
    expect(autumn[0].starts_at).toBe('2026-10-25T07:00:00.000Z');
  });

  it('keeps a booked slot the plan no longer wants and reports it as could-not-change', async () => {
    const c = await clinic();
    await generateSlots(db, clock, { from: '2026-06-01', to: '2026-06-01' });
    // 15:40-16:00 local (summer time, UTC+2) is the last slot of the day.
    const last = await db('slots').where({ starts_at: '2026-06-01T13:40:00.000Z' }).first();
    await bookSlot(last.id, c);
    await db('schedule_hours').where({ schedule_id: c.scheduleId }).update({ end_time: '12:00' });
    const report = await generateSlots(db, clock, { from: '2026-06-01', to: '2026-06-01' });
    expect(report).toEqual({ created: 0, kept: 12, removed: 11, unchangeable: 1, conflicts: 0 });
    expect(await db('slots').where({ id: last.id }).first()).toMatchObject({
      starts_at: '2026-06-01T13:40:00.000Z',
      ends_at: '2026-06-01T14:00:00.000Z',
    });
    expect(await db('slot_occupancies').where({ slot_id: last.id }).first()).toBeDefined();
    // Blocked, so cancelling that booking later does not reopen a time the schedule no longer has.
    expect(await db('slots').where({ id: last.id }).first()).toMatchObject({
      status: 'blocked',
      blocked_reason: 'Removed from the schedule',
    });
    // Running again reports the same booked slot again and changes nothing.
    expect(await generateSlots(db, clock, { from: '2026-06-01', to: '2026-06-01' })).toEqual({
      created: 0,
      kept: 12,
      removed: 0,
      unchangeable: 1,
      conflicts: 0,
    });
  });

  it('never moves a booked slot when the slot length changes, and does not overlap it', async () => {
    const c = await clinic();
    await generateSlots(db, clock, { from: '2026-06-01', to: '2026-06-01' });
    const booked = await db('slots').where({ starts_at: '2026-06-01T06:20:00.000Z' }).first(); // 08:20-08:40
    await bookSlot(booked.id, c);
    await db('schedules').where({ id: c.scheduleId }).update({ slot_minutes: 30 });
    const report = await generateSlots(db, clock, { from: '2026-06-01', to: '2026-06-01' });
    // 16 half-hour slots wanted; 08:00-08:30 and 08:30-09:00 overlap the booked 08:20-08:40.
    expect(report).toEqual({ created: 14, kept: 0, removed: 23, unchangeable: 1, conflicts: 2 });
    const day = await db('slots').where({ local_date: '2026-06-01' }).orderBy('starts_at');
    for (let i = 1; i < day.length; i++) expect(day[i].starts_at >= day[i - 1].ends_at).toBe(true);
    expect(day.find((s) => s.id === booked.id)).toMatchObject({ ends_at: '2026-06-01T06:40:00.000Z' });
  });

  it('keeps slots under a live hold, releases expired holds', async () => {
    const c = await clinic();
    await generateSlots(db, clock, { from: '2026-06-01', to: '2026-06-01' });
    const [a, b] = await db('slots').orderBy('starts_at').limit(2);
    const userId = await fixtures.user(db, 'holder', ['booking']);
    const channelId = await fixtures.clinicChannel(db);
    const hold = (token: string, expires: string) =>
      db('holds')
        .insert({
          token,
          user_id: userId,
          session_id: 's',
          partner_id: null,
          channel_id: channelId,
          institution_id: c.institutionId,
          doctor_id: c.doctorId,
          service_id: c.serviceId,
          expires_at: expires,
          created_at: clock.nowIso(),
        })
        .returning('id');
    const [live] = await hold('live', '2999-01-01T00:00:00.000Z');
    const [dead] = await hold('dead', '2000-01-01T00:00:00.000Z');
    await db('hold_slots').insert({ slot_id: a.id, hold_id: typeof live === 'object' ? live.id : live });
    await db('hold_slots').insert({ slot_id: b.id, hold_id: typeof dead === 'object' ? dead.id : dead });
    await db('schedule_exceptions').insert({
      schedule_id: c.scheduleId,
      date: '2026-06-01',
      kind: 'off',
      note: 'Conference',
    });
    const report = await generateSlots(db, clock, { from: '2026-06-01', to: '2026-06-01' });
    expect(report).toMatchObject({ removed: 23, unchangeable: 1 });
    expect((await db('slots').select('id')).map((r) => r.id)).toEqual([a.id]);
    // When the hold lapses the day off stays off: the slot is blocked, not free again.
    expect(await db('slots').where({ id: a.id }).first()).toMatchObject({
      status: 'blocked',
      blocked_reason: 'Removed from the schedule',
    });
  });

  it('reopens a slot it blocked once the plan wants that time again (booking kept)', async () => {
    const c = await clinic();
    await generateSlots(db, clock, { from: '2026-06-01', to: '2026-06-01' });
    const first = await db('slots').orderBy('starts_at').first();
    await bookSlot(first.id, c);
    const [exceptionId] = await db('schedule_exceptions')
      .insert({ schedule_id: c.scheduleId, date: '2026-06-01', kind: 'off', note: 'Ill' })
      .returning('id');
    await generateSlots(db, clock, { from: '2026-06-01', to: '2026-06-01' });
    expect(await db('slots').where({ id: first.id }).first()).toMatchObject({ status: 'blocked' });
    await db('schedule_exceptions')
      .where({ id: typeof exceptionId === 'object' ? exceptionId.id : exceptionId })
      .del();
    await generateSlots(db, clock, { from: '2026-06-01', to: '2026-06-01' });
    expect(await db('slots').where({ id: first.id }).first()).toMatchObject({
      status: 'open',
      blocked_reason: null,
    });
    expect(await db('slot_occupancies').where({ slot_id: first.id }).first()).toBeDefined();
  });

  it('reports a conflict instead of double-placing a doctor working at two institutions', async () => {
    const c = await clinic();
    const other = await fixtures.institution(db, 'Other Clinic');
    await db('doctor_institutions').insert({ doctor_id: c.doctorId, institution_id: other });
    await fixtures.schedule(db, c.doctorId, other, { weekdays: [1], start: '15:00', end: '18:00' });
    const report = await generateSlots(db, clock, { from: '2026-06-01', to: '2026-06-01' });
    // The first schedule takes 08:00-16:00; the second loses 15:00-16:00 (3 slots) and keeps 16:00-18:00.
    expect(report).toEqual({ created: 24 + 6, kept: 0, removed: 0, unchangeable: 0, conflicts: 3 });
    expect(await db('slots').where({ institution_id: other }).count({ n: '*' }).first()).toEqual({ n: 6 });
  });

  it('removes the free slots of a deactivated schedule or doctor', async () => {
    const c = await clinic();
    await generateSlots(db, clock, { from: '2026-06-01', to: '2026-06-02' });
    await db('doctors').where({ id: c.doctorId }).update({ active: false });
    const report = await generateSlots(db, clock, { from: '2026-06-01', to: '2026-06-01' });
    expect(report).toEqual({ created: 0, kept: 0, removed: 24, unchangeable: 0, conflicts: 0 });
    // Outside the range nothing is touched.
    expect(await db('slots').where({ local_date: '2026-06-02' }).count({ n: '*' }).first()).toEqual({
      n: 24,
    });
  });

  it('describes a report in words', () => {
    expect(describeReport({ created: 1, kept: 2, removed: 3, unchangeable: 4, conflicts: 5 })).toBe(
      'Created 1, kept 2, removed 3, could not change 4, conflicts 5. Booked or held slots that the schedule no longer has are now blocked: check the bookings list for appointments to move.',
    );
    expect(describeReport({ created: 1, kept: 2, removed: 3, unchangeable: 0, conflicts: 5 })).toBe(
      'Created 1, kept 2, removed 3, could not change 0, conflicts 5.',
    );
  });
});

describe('npm run slots (src/cli/slots.ts)', () => {
  it('parses its arguments and refuses bad ones', () => {
    expect(parseSlotsArgs(['--from', '2026-12-01', '--to', '2026-12-31', '--schedule', '3'])).toEqual({
      from: '2026-12-01',
      to: '2026-12-31',
      scheduleId: 3,
    });
    expect(parseSlotsArgs(['--from=2026-12-01', '--to=2026-12-31'])).toEqual({
      from: '2026-12-01',
      to: '2026-12-31',
      scheduleId: undefined,
    });
    expect(parseSlotsArgs(['--from', '2026-12-31', '--to', '2026-12-01'])).toHaveProperty('error');
    expect(parseSlotsArgs(['--from', '2026-02-30', '--to', '2026-12-01'])).toHaveProperty('error');
    expect(parseSlotsArgs(['--from', '2026-12-01'])).toHaveProperty('error');
    expect(parseSlotsArgs(['--from', '2026-01-01', '--to', '2040-01-01'])).toHaveProperty('error');
    expect(parseSlotsArgs(['--bogus'])).toHaveProperty('error');
  });

  it('generates against DATABASE_FILE, prints the report and exits 0; bad arguments exit 2', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slots-cli-'));
    const file = path.join(dir, 'clinic.sqlite');
    const fileDb = openDb(file);
    try {
      await migrate(fileDb);
      const institutionId = await fixtures.institution(fileDb);
      const q = await fixtures.qualification(fileDb);
      const s = await fixtures.service(fileDb, q);
      const doctorId = await fixtures.doctor(fileDb, 'Dr. Cli', q, [institutionId], [s]);
      await fixtures.schedule(fileDb, doctorId, institutionId, { weekdays: [1, 2, 3, 4, 5] });
    } finally {
      await fileDb.destroy();
    }
    const env = {
      ...process.env,
      DATABASE_FILE: file,
      SESSION_SECRET: 'x'.repeat(40),
      NODE_ENV: 'test' as const,
      LOG_LEVEL: 'silent' as const,
    };
    const cli = path.resolve('src/cli/slots.ts');
    const tsx = path.resolve('node_modules/.bin/tsx');
    // 2026-12-01..2026-12-31 has 23 weekdays.
    const ok = await run(tsx, [cli, '--from', '2026-12-01', '--to', '2026-12-31'], { env });
    expect(ok.stdout).toContain('Created 552, kept 0, removed 0, could not change 0, conflicts 0.');
    const again = await run(tsx, [cli, '--from', '2026-12-01', '--to', '2026-12-31', '--schedule', '1'], {
      env,
    });
    expect(again.stdout).toContain('Created 0, kept 552');
    const bad = await run(tsx, [cli, '--from', 'yesterday'], { env }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => err,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Usage: npm run slots');
    const check = openDb(file);
    try {
      expect(await check('slots').count({ n: '*' }).first()).toEqual({ n: 552 });
    } finally {
      await check.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
