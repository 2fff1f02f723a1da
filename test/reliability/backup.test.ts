import { spawn, type ChildProcess } from 'node:child_process';
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
    expect(run.out).toMatch(/100% \(\d+\/\d+ pages, [\d.]+ MiB written\)/);
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

/**
 * A second process that commits rows into a scratch table in a tight loop (each row its own
 * transaction), as a busy clinic's desks do, until killed or after `seconds`.
 */
function startWriter(databaseFile: string, seconds: number): ChildProcess {
  const script = `
    const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
    const db = new Database(${JSON.stringify(databaseFile)});
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    const insert = db.prepare('insert into scratch (body) values (randomblob(2000))');
    const until = Date.now() + ${seconds * 1000};
    let n = 0;
    while (Date.now() < until) { insert.run(); if (++n % 50 === 0) process.stdout.write('.'); }
  `;
  return spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
}

describe('npm run backup under write load', () => {
  it('finishes while another process commits continuously, with every row committed before it started', async () => {
    // About 24 MB, so that the old page-by-page backup needed several steps (and restarted at each commit).
    const raw = new Database(dbFile);
    raw.pragma('journal_mode = WAL');
    raw.exec('create table scratch (id integer primary key, body blob)');
    const fill = raw.prepare('insert into scratch (body) values (randomblob(4000))');
    raw.transaction(() => {
      for (let i = 0; i < 6000; i++) fill.run();
    })();

    const writer = startWriter(dbFile, 45);
    try {
      // Wait until the writer is committing, then note what is committed before the backup starts.
      await new Promise<void>((resolve) => writer.stdout!.once('data', () => resolve()));
      const before = raw.prepare('select max(id) as id, count(*) as n from scratch').get() as {
        id: number;
        n: number;
      };
      const target = path.join(dir, 'busy.sqlite');
      const run = await runBackup([target], dbFile);
      // The writer was still going when the backup finished: the backup did not wait for quiet.
      expect(writer.exitCode).toBeNull();
      const after = (raw.prepare('select count(*) as n from scratch').get() as { n: number }).n;
      expect(after).toBeGreaterThan(before.n);

      expect(run.out).toContain('Backup written');
      expect(run.code).toBe(0);
      expect(run.out).toContain('Copying a snapshot');
      expect(run.out).toContain('Checking the copy');
      expect(fs.readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
      const copy = new Database(target, { readonly: true, fileMustExist: true });
      try {
        expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
        const held = copy.prepare('select count(*) as n from scratch where id <= ?').get(before.id) as {
          n: number;
        };
        expect(held.n).toBe(before.n);
      } finally {
        copy.close();
      }
    } finally {
      writer.kill('SIGKILL');
      raw.close();
    }
  }, 90_000);

  it('removes the partial files a killed earlier backup left behind, and fails cleanly (exit 1)', async () => {
    const target = path.join(dir, 'nightly.sqlite');
    // A pid that no longer runs: a child that has exited.
    const dead = spawn(process.execPath, ['-e', '0']);
    const deadPid = dead.pid!;
    await new Promise((resolve) => dead.on('exit', resolve));
    const stale = `${target}.partial-${deadPid}`;
    fs.writeFileSync(stale, 'half a database');
    fs.writeFileSync(`${stale}-journal`, 'journal');
    // Someone else's file with a similar name is left alone.
    fs.writeFileSync(path.join(dir, 'nightly.sqlite.notes'), 'keep');

    const run = await runBackup([target], dbFile);
    expect(run.code).toBe(0);
    expect(run.out).toContain(`Removed ${stale}`);
    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.existsSync(`${stale}-journal`)).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'nightly.sqlite.notes'), 'utf8')).toBe('keep');

    // A source that is not a database: exit 1 and nothing left behind.
    const junk = path.join(dir, 'junk.sqlite');
    fs.writeFileSync(junk, Buffer.alloc(8192, 7));
    const failed = await runBackup([path.join(dir, 'fromjunk.sqlite')], junk);
    expect(failed.code).toBe(1);
    expect(failed.out).toContain('Backup failed');
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('fromjunk'))).toEqual([]);
  }, 60_000);
});
