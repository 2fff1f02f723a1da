import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Knex } from 'knex';
import { openDb, migrate } from '../../src/lib/db';
import { seedDemo } from '../../seeds/demo';
import { createApp } from '../../src/app';
import { testConfig } from '../../src/config';
import { loginAs } from '../helpers';
import { projectRoot, tempDir, freeSlots, channelOf, insertBookingSql } from './support';

type Run = { code: number | null; out: string };

/** Runs the backup command as an operator would, against DATABASE_FILE. */
function runBackup(args: string[], databaseFile: string, viaNpm = false): Promise<Run> {
  const [cmd, argv] = viaNpm
    ? ['npm', ['run', '--silent', 'backup', '--', ...args]]
    : [process.execPath, ['--import', 'tsx', 'src/cli/backup.ts', ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, {
      cwd: projectRoot,
      env: {
        ...process.env,
        DATABASE_FILE: databaseFile,
        SESSION_SECRET: 'backup-test-secret-backup-test-secret-0123',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

let dir: string;
let dbFile: string;
let db: Knex;

beforeEach(async () => {
  dir = tempDir('clinic-backup-');
  dbFile = path.join(dir, 'clinic.sqlite');
  db = openDb(dbFile);
  await migrate(db);
  await seedDemo(db);
});
afterEach(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('npm run backup -- FILE', () => {
  it('backs up while the app is open and writing, and the backup restores every booking', async () => {
    // The app is open on the same file, as a running server would be.
    const app = createApp(db, testConfig({ databaseFile: dbFile }));
    const { agent } = await loginAs(app, 'admin');
    const { channelId, partnerId } = await channelOf(db, 'Alfa Health Insurance');
    const user = await db('users').where({ username: 'alfa' }).first();
    const patient = await db('patients').where({ family_name: 'Müller' }).first();
    const slots = await freeSlots(db, channelId, 60);
    for (const slot of slots.slice(0, 20))
      await insertBookingSql(db, slot, {
        channelId,
        partnerId,
        userId: user.id,
        patientId: patient.id,
        key: `backup-${slot.slotId}`,
      });
    const before = await db('bookings').select('id', 'status', 'idempotency_key').orderBy('id');

    // Keep writing while the backup runs: the backup must still be a consistent snapshot.
    let writing = true;
    let written = 0;
    const writer = (async () => {
      for (const slot of slots.slice(20)) {
        if (!writing) break;
        await insertBookingSql(db, slot, {
          channelId,
          partnerId,
          userId: user.id,
          patientId: patient.id,
          key: `during-${slot.slotId}`,
        });
        written++;
        await agent.get('/');
      }
    })();
    const target = path.join(dir, 'backup.sqlite');
    const run = await runBackup([target], dbFile, true);
    writing = false;
    await writer;

    expect(run.out).toContain('Backup written');
    expect(run.out).toMatch(/100% \(\d+\/\d+ pages\)/);
    expect(run.code).toBe(0);
    expect(fs.existsSync(`${target}-wal`)).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);

    const copy = new Database(target, { readonly: true, fileMustExist: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
      const restored = copy
        .prepare('select id, status, idempotency_key from bookings order by id')
        .all() as typeof before;
      // Every booking that existed before the backup started is in it, unchanged.
      expect(restored.slice(0, before.length)).toEqual(before);
      expect(restored.length).toBeGreaterThanOrEqual(before.length);
      expect(restored.length).toBeLessThanOrEqual(before.length + written);
      // ...and complete: each booked booking holds its slot.
      const orphans = copy
        .prepare(
          "select b.id from bookings b where b.status = 'booked' and not exists (select 1 from slot_occupancies o where o.booking_id = b.id)",
        )
        .all();
      expect(orphans).toEqual([]);
      expect(run.out).toContain(`${restored.length} bookings`);
    } finally {
      copy.close();
    }

    // Restoring is opening the copy as the database: the app finds the bookings there.
    const restoredDb = openDb(target);
    try {
      await migrate(restoredDb);
      const keys = (await restoredDb('bookings').pluck('idempotency_key')) as string[];
      for (const b of before) expect(keys).toContain(b.idempotency_key);
    } finally {
      await restoredDb.destroy();
    }
  }, 90_000);

  it('refuses to overwrite an existing file without --force (exit 2), and overwrites with it', async () => {
    const target = path.join(dir, 'existing.sqlite');
    fs.writeFileSync(target, 'precious');
    const refused = await runBackup([target], dbFile);
    expect(refused.code).toBe(2);
    expect(refused.out).toContain('already exists');
    expect(fs.readFileSync(target, 'utf8')).toBe('precious');

    const forced = await runBackup(['--force', target], dbFile);
    expect(forced.code).toBe(0);
    const copy = new Database(target, { readonly: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect((copy.prepare('select count(*) n from bookings').get() as { n: number }).n).toBe(
        Number((await db('bookings').count({ n: '*' }).first())!.n),
      );
    } finally {
      copy.close();
    }
  }, 60_000);

  it('explains its usage without a FILE (exit 2) and fails cleanly without a database (exit 1)', async () => {
    const usage = await runBackup([], dbFile);
    expect(usage.code).toBe(2);
    expect(usage.out).toContain('Usage: npm run backup -- [--force] FILE');

    const missing = await runBackup([path.join(dir, 'out.sqlite')], path.join(dir, 'nope', 'missing.sqlite'));
    expect(missing.code).toBe(1);
    expect(missing.out).toContain('There is no database');
    expect(fs.existsSync(path.join(dir, 'out.sqlite'))).toBe(false);
  }, 60_000);
});
