/**
 * Migrations 021-023 on a database that already has patients and bookings (SQLite, and
 * PostgreSQL with TEST_DATABASE_URL): every row and id survives, bookings still point at their
 * patients, foreign keys stay on and enforced, the indexes are back, SQLite's AUTOINCREMENT
 * counter is kept, and the new rules hold afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { openDb, migrate, isSqlite } from '../src/lib/db';
import { emptyPostgresDatabase, onPostgres, rawRows } from './test-db';
import { fixtures } from './fixtures';

let db: Knex;
let dir: string | null = null;
afterEach(async () => {
  await db?.destroy();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = null;
});

/** An empty database on the test engine (an SQLite file, so it is the real on-disk format). */
async function emptyDb(): Promise<Knex> {
  if (onPostgres) return openDb(await emptyPostgresDatabase(), { poolMax: 2 });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'patient-migrations-'));
  return openDb(path.join(dir, 'clinic.sqlite'));
}

/** Runs the migrations one by one up to and including `last`. */
async function migrateThrough(last: string) {
  for (;;) {
    const [done] = (await db.migrate.list()) as [{ name: string }[], unknown];
    if (done.some((m) => m.name === last)) return;
    await db.migrate.up();
  }
}

const indexNames = async () =>
  (
    await rawRows<{ name: string }>(
      db,
      isSqlite(db)
        ? "select name from sqlite_master where type = 'index' and tbl_name = 'patients' and sql is not null order by name"
        : "select indexname as name from pg_indexes where tablename = 'patients' order by indexname",
    )
  ).map((r) => r.name);

describe('migrations 021-023 on a database with patients', () => {
  it('keep every patient, id and booking, and the table works as before and with the new rules', async () => {
    db = await emptyDb();
    await migrateThrough('020_user_language');
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
    const channelId = await fixtures.clinicChannel(db);
    const userId = await fixtures.user(db, 'desk', ['booking']);
    const anna = await fixtures.patient(db, 'Kovács', 'Anna', { id_type: 'taj', id_number: '111222337' });
    const bela = await fixtures.patient(db, 'Szabó', 'Béla', { id_type: 'passport', id_number: 'SB123456' });
    const last = await fixtures.patient(db, 'Nagy', 'Cecília', {
      id_type: 'passport',
      id_number: 'NC123456',
    });
    // The highest id is deleted: a new patient must not get it again (SQLite AUTOINCREMENT's counter).
    await db('patients').where({ id: last }).del();
    const [booking] = await db('bookings')
      .insert({
        institution_id: institutionId,
        doctor_id: doctorId,
        service_id: serviceId,
        patient_id: bela,
        channel_id: channelId,
        partner_id: null,
        created_by_user_id: userId,
        starts_at: '2030-03-04T08:00:00.000Z',
        ends_at: '2030-03-04T08:20:00.000Z',
        local_date: '2030-03-04',
        created_local_date: '2030-03-01',
        price_minor: 1000000,
        status: 'booked',
        idempotency_key: 'before-021',
        created_at: '2030-03-01T08:00:00.000Z',
      })
      .returning('id');
    const bookingId = typeof booking === 'object' ? (booking as { id: number }).id : (booking as number);
    await db('slot_occupancies').insert({ slot_id: slotId, booking_id: bookingId });
    const before = await db('patients').select().orderBy('id');
    const indexesBefore = await indexNames();

    await migrate(db);

    const [, pending] = (await db.migrate.list()) as [unknown, unknown[]];
    expect(pending).toEqual([]);
    const after = await db('patients').select().orderBy('id');
    expect(after.map((p) => p.id)).toEqual([anna, bela]);
    expect(after).toEqual(
      before.map((p) => ({
        ...p,
        postal_code: '',
        city: '',
        street_address: '',
        no_identifier_reason: null,
        language: null, // migration 031 (the patient's language for e-mails) runs too
      })),
    );
    expect((await db('bookings').where({ id: bookingId }).first()).patient_id).toBe(bela);
    expect(await indexNames()).toEqual(indexesBefore);
    if (isSqlite(db)) {
      expect((await db.raw('PRAGMA foreign_keys'))[0].foreign_keys).toBe(1);
      expect(await db.raw('PRAGMA foreign_key_check')).toEqual([]);
      expect((await db.raw('PRAGMA integrity_check'))[0].integrity_check).toBe('ok');
      expect(await db.raw("select name from sqlite_master where name like '%_rebuild'")).toEqual([]);
    }

    // Foreign keys are enforced: no booking for a patient who does not exist, no deleting a booked one.
    await expect(
      db('bookings').where({ id: bookingId }).update({ patient_id: 999999 }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/foreign key/i) });
    await expect(db('patients').where({ id: bela }).del()).rejects.toMatchObject({
      message: expect.stringMatching(/foreign key/i),
    });
    // Ids go on after the highest ever given.
    const next = await fixtures.patient(db, 'Új', 'Dóra', {
      id_type: 'cnp' as 'taj',
      id_number: '1960529400019',
    });
    expect(next).toBeGreaterThan(last);
    // The old uniqueness and the new rules.
    await expect(
      fixtures.patient(db, 'Other', 'Anna', { id_type: 'taj', id_number: '111222337' }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/unique|duplicate/i) });
    await expect(
      db('patients').insert({ ...after[0], id: undefined, id_type: null, id_number: null }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/check|constraint/i) });
    await expect(
      db('patients').insert({ ...after[0], id: undefined, id_type: 'ssn', id_number: '123456789' }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/check|constraint/i) });
    await db('patients').insert({
      ...after[0],
      id: undefined,
      id_type: null,
      id_number: null,
      no_identifier_reason: 'newborn',
    });
    expect(await db('patients').count({ n: '*' }).first()).toEqual({ n: 4 });
  });

  it('roll back to 020 and apply again while patients exist', async () => {
    db = await emptyDb();
    await migrate(db);
    const anna = await fixtures.patient(db, 'Kovács', 'Anna', { id_type: 'taj', id_number: '111222337' });
    const applied = async () =>
      ((await db.migrate.list()) as [{ name: string }[], unknown])[0].map((m) => m.name);
    // Newest first (024 too, a no-op on SQLite), down to 020.
    while ((await applied()).includes('021_patient_address')) await db.migrate.down();
    const names = await applied();
    expect(names).toContain('020_user_language');
    expect(names).not.toContain('021_patient_address');
    expect((await db('patients').where({ id: anna }).first()).id_number).toBe('111222337');
    await migrate(db);
    expect((await db('patients').where({ id: anna }).first()).no_identifier_reason).toBeNull();
  });
});
