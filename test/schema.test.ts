import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { openDb, migrate } from '../src/lib/db';
import { systemClock } from '../src/lib/clock';

const nowIso = () => systemClock.nowIso();
import { fixtures } from './fixtures';

let db: Knex;
afterEach(async () => {
  await db.destroy();
});

/** One doctor, one slot, one patient, a channel and a user: enough for bookings. */
async function clinic() {
  const institutionId = await fixtures.institution(db);
  const qualificationId = await fixtures.qualification(db);
  const serviceId = await fixtures.service(db, qualificationId);
  const doctorId = await fixtures.doctor(db, 'Dr. Test', qualificationId, [institutionId], [serviceId]);
  const slotId = await fixtures.slot(
    db,
    doctorId,
    institutionId,
    '2030-03-04T08:00:00.000Z',
    '2030-03-04T08:20:00.000Z',
    '2030-03-04',
  );
  const patientId = await fixtures.patient(db, 'Kovács', 'Anna', {
    id_type: 'passport',
    id_number: 'AB123456',
  });
  const channelId = await fixtures.clinicChannel(db);
  const userId = await fixtures.user(db, 'desk', ['booking']);
  return { institutionId, serviceId, doctorId, slotId, patientId, channelId, userId };
}

type Clinic = Awaited<ReturnType<typeof clinic>>;

async function insertBooking(
  c: Clinic,
  key: string,
  overrides: Record<string, unknown> = {},
): Promise<number> {
  const [row] = await db('bookings')
    .insert({
      institution_id: c.institutionId,
      doctor_id: c.doctorId,
      service_id: c.serviceId,
      patient_id: c.patientId,
      channel_id: c.channelId,
      partner_id: null,
      created_by_user_id: c.userId,
      starts_at: '2030-03-04T08:00:00.000Z',
      ends_at: '2030-03-04T08:20:00.000Z',
      local_date: '2030-03-04',
      created_local_date: '2030-03-01',
      price_minor: 1000000,
      status: 'booked',
      idempotency_key: key,
      created_at: nowIso(),
      ...overrides,
    })
    .returning('id');
  return typeof row === 'object' ? (row as { id: number }).id : (row as number);
}

describe('database constraints', () => {
  beforeEach(async () => {
    db = openDb(':memory:');
    await migrate(db);
  });

  it('refuses a second occupancy of an occupied slot (SQLITE_CONSTRAINT_PRIMARYKEY)', async () => {
    const c = await clinic();
    const first = await insertBooking(c, 'k1');
    const second = await insertBooking(c, 'k2');
    await db('slot_occupancies').insert({ slot_id: c.slotId, booking_id: first });
    await expect(
      db('slot_occupancies').insert({ slot_id: c.slotId, booking_id: second }),
    ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    expect(await db('slot_occupancies').where({ slot_id: c.slotId })).toEqual([
      { slot_id: c.slotId, booking_id: first },
    ]);
  });

  it('lets the slot be occupied again once the occupancy is released (cancellation)', async () => {
    const c = await clinic();
    const first = await insertBooking(c, 'k1');
    await db('slot_occupancies').insert({ slot_id: c.slotId, booking_id: first });
    await db('slot_occupancies').where({ slot_id: c.slotId }).del();
    const second = await insertBooking(c, 'k2');
    await db('slot_occupancies').insert({ slot_id: c.slotId, booking_id: second });
    expect((await db('slot_occupancies').where({ slot_id: c.slotId }).first()).booking_id).toBe(second);
  });

  it('enforces foreign keys: a booking of an unknown patient fails', async () => {
    const c = await clinic();
    expect((await db.raw('PRAGMA foreign_keys'))[0].foreign_keys).toBe(1);
    await expect(insertBooking(c, 'k1', { patient_id: 99999 })).rejects.toMatchObject({
      code: 'SQLITE_CONSTRAINT_FOREIGNKEY',
    });
    expect(await db('bookings')).toHaveLength(0);
  });

  it('keeps patient identifiers unique per identifier type', async () => {
    await fixtures.patient(db, 'Kovács', 'Anna', { id_type: 'passport', id_number: 'AB123456' });
    await expect(
      fixtures.patient(db, 'Nagy', 'Béla', { id_type: 'passport', id_number: 'AB123456' }),
    ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    // The same number under another identifier type is a different identifier.
    await expect(
      fixtures.patient(db, 'Nagy', 'Béla', { id_type: 'taj', id_number: 'AB123456' }),
    ).resolves.toEqual(expect.any(Number));
    expect(await db('patients')).toHaveLength(2);
  });

  it('allows one hold per slot and one idempotency key per booking', async () => {
    const c = await clinic();
    await insertBooking(c, 'same-key');
    await expect(insertBooking(c, 'same-key')).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    const hold = async (token: string) => {
      const [r] = await db('holds')
        .insert({
          token,
          user_id: c.userId,
          session_id: 's',
          partner_id: null,
          channel_id: c.channelId,
          institution_id: c.institutionId,
          doctor_id: c.doctorId,
          service_id: c.serviceId,
          expires_at: '2030-01-01T00:00:00.000Z',
          created_at: nowIso(),
        })
        .returning('id');
      return typeof r === 'object' ? (r as { id: number }).id : (r as number);
    };
    await db('hold_slots').insert({ slot_id: c.slotId, hold_id: await hold('t1') });
    await expect(
      db('hold_slots').insert({ slot_id: c.slotId, hold_id: await hold('t2') }),
    ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
  });

  it('keeps user names unique', async () => {
    await fixtures.user(db, 'desk', []);
    await expect(fixtures.user(db, 'desk', [])).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
  });

  it('refuses a booking status or partner commission type outside the allowed values', async () => {
    const c = await clinic();
    await expect(insertBooking(c, 'k1', { status: 'maybe' })).rejects.toMatchObject({
      code: 'SQLITE_CONSTRAINT_CHECK',
    });
    await expect(
      db('partners').insert({
        name: 'X',
        tax_number: '1',
        commission_type: 'bribe',
        commission_value: 1,
        created_at: nowIso(),
      }),
    ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_CHECK' });
  });
});

describe('the database file', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-schema-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens in WAL mode with foreign keys on and synchronous FULL', async () => {
    db = openDb(path.join(dir, 'clinic.sqlite'));
    await migrate(db);
    expect((await db.raw('PRAGMA journal_mode'))[0].journal_mode).toBe('wal');
    expect((await db.raw('PRAGMA foreign_keys'))[0].foreign_keys).toBe(1);
    expect((await db.raw('PRAGMA synchronous'))[0].synchronous).toBe(2);
  });

  it('migrates idempotently, and every migration rolls back and re-applies', async () => {
    db = openDb(path.join(dir, 'clinic.sqlite'));
    await migrate(db);
    await migrate(db);
    const [, pending] = await db.migrate.list();
    expect(pending).toEqual([]);
    await db.migrate.rollback(undefined, true);
    expect(await db.schema.hasTable('bookings')).toBe(false);
    await migrate(db);
    expect(await db.schema.hasTable('slot_occupancies')).toBe(true);
  });
});
