/**
 * Online backup of the configured database: `npm run backup -- [--force] FILE`.
 *
 * Uses `VACUUM INTO` a temporary file next to FILE. It reads the whole database inside one read
 * transaction, so the copy is a consistent snapshot, and under WAL the server's writers go on
 * committing meanwhile. (SQLite's online backup API, used before, restarts whenever another
 * connection commits, so it never finished on a busy clinic.) The copy is then checked with
 * PRAGMA integrity_check, made self-contained (rollback journal), fsynced and renamed into place,
 * so FILE is either a complete, verified backup or absent. Partial files of a failed run are
 * removed at once; those of a killed run (`FILE.partial-PID`) on the next run.
 *
 * Exit codes: 0 backup written, 1 backup failed, 2 usage error (no FILE, FILE exists without
 * --force, unknown option).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { loadConfig, type Config } from '../config';
import { translatorFor, type Translate } from '../i18n';
import { cliLanguage, fallbackLanguage } from './language';

/** Every line the backup shows, in a language (the clinic's: see ./language). */
export function backupMessages(t: Translate) {
  return {
    usage: t('cli.backup.usage'),
    unknownOption: (option: string) =>
      `${t('cli.backup.unknownOption', { option })}\n${t('cli.backup.usage')}`,
    exists: (file: string) => t('cli.backup.exists', { file }),
    noDatabase: (file: string) => t('cli.backup.noDatabase', { file }),
    noDirectory: (dir: string) => t('cli.backup.noDirectory', { dir }),
    inMemory: t('cli.backup.inMemory'),
    sameFile: t('cli.backup.sameFile'),
    postgres: t('cli.backup.postgres'),
    start: (from: string, to: string) => t('cli.backup.start', { from, to }),
    stale: (file: string) => t('cli.backup.stale', { file }),
    phase: (phase: BackupPhase) => t(`cli.backup.phase.${phase}`),
    progress: (done: number, total: number, bytes?: number) => {
      const percent = String(total ? Math.min(100, Math.floor((done / total) * 100)) : 100);
      const counts = { percent, done: String(done), total: String(total) };
      return bytes === undefined
        ? t('cli.backup.progress', counts)
        : t('cli.backup.progressBytes', { ...counts, mib: mib(bytes) });
    },
    copyStopped: (code: number) => t('cli.backup.copyStopped', { code: String(code) }),
    integrityFailed: (result: string) => t('cli.backup.integrityFailed', { result }),
    done: (file: string, bytes: number, bookings: number | null, ms: number) => {
      const figures = { file, kib: (bytes / 1024).toFixed(0), ms: String(ms) };
      return bookings === null
        ? t('cli.backup.done', figures)
        : t('cli.backup.doneBookings', { ...figures, bookings });
    },
    failed: (reason: string) => t('cli.backup.failed', { reason }),
  };
}

export type BackupMessages = ReturnType<typeof backupMessages>;
export const messages = backupMessages(translatorFor('en'));
const englishMessages = messages;

export type BackupPhase = 'copying' | 'checking' | 'finishing';

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

export class UsageError extends Error {}

export type BackupResult = {
  file: string;
  bytes: number;
  pages: number;
  bookings: number | null;
  ms: number;
};

export type BackupOptions = {
  force?: boolean;
  /** Pages copied so far (estimated from the bytes written) out of the pages in use, and the bytes. */
  onProgress?: (done: number, total: number, bytes: number) => void;
  onPhase?: (phase: BackupPhase) => void;
  onStaleRemoved?: (file: string) => void;
  /** The language of the errors raised (English when not given). */
  messages?: BackupMessages;
};

/** How often the size of the growing copy is read for the progress display. */
const PROGRESS_INTERVAL_MS = 250;

/**
 * VACUUM INTO is one synchronous statement: it runs in a worker thread so that this thread can
 * keep reporting progress (the size of the file being written) meanwhile.
 */
const vacuumWorker = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.from, { fileMustExist: true });
try {
  db.pragma('busy_timeout = 5000');
  db.prepare('VACUUM INTO ?').run(workerData.to);
  parentPort.postMessage({ ok: true });
} catch (err) {
  parentPort.postMessage({ ok: false, message: String(err && err.message || err), code: err && err.code });
} finally {
  db.close();
}
`;

function vacuumInto(from: string, to: string, onTick: () => void, text: BackupMessages): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(vacuumWorker, {
      eval: true,
      workerData: { from, to, driver: require.resolve('better-sqlite3') },
    });
    const timer = setInterval(onTick, PROGRESS_INTERVAL_MS);
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      if (err) reject(err);
      else resolve();
    };
    worker.on('message', (m: { ok: boolean; message?: string; code?: string }) =>
      finish(m.ok ? undefined : Object.assign(new Error(m.message), { code: m.code })),
    );
    worker.on('error', (err) => finish(err));
    worker.on('exit', (code) => finish(code === 0 ? undefined : new Error(text.copyStopped(code))));
  });
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, it is only someone else's.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes `FILE.partial-PID` files (and their -journal/-wal/-shm) of backups that are no longer running. */
export function removeStalePartials(target: string, onRemoved?: (file: string) => void): string[] {
  const dir = path.dirname(target);
  const prefix = `${path.basename(target)}.partial-`;
  const removed: string[] = [];
  for (const name of fs.readdirSync(dir)) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(\d+)(-journal|-wal|-shm)?$/.exec(name.slice(prefix.length));
    if (!m || isRunning(Number(m[1]))) continue;
    const file = path.join(dir, name);
    fs.rmSync(file, { force: true });
    removed.push(file);
    onRemoved?.(file);
  }
  return removed;
}

function fsyncPath(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export async function backupDatabase(
  source: string,
  target: string,
  options: BackupOptions = {},
): Promise<BackupResult> {
  const started = performance.now(); // elapsed time only: a monotonic timer, not the date
  const messages = options.messages ?? englishMessages;
  if (source === ':memory:') throw new UsageError(messages.inMemory);
  const from = path.resolve(source);
  const to = path.resolve(target);
  if (from === to) throw new UsageError(messages.sameFile);
  if (!fs.existsSync(from)) throw new Error(messages.noDatabase(from));
  if (!fs.existsSync(path.dirname(to))) throw new UsageError(messages.noDirectory(path.dirname(to)));
  if (fs.existsSync(to) && !options.force) throw new UsageError(messages.exists(to));
  removeStalePartials(to, options.onStaleRemoved);

  const partial = `${to}.partial-${process.pid}`;
  const cleanup = () => {
    for (const f of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`])
      fs.rmSync(f, { force: true });
  };
  // A leftover of this very pid (a recycled pid) would make VACUUM INTO refuse.
  cleanup();
  try {
    // Pages in use now: the copy leaves the free pages out, so this is what it will hold.
    const src = new Database(from, { fileMustExist: true });
    let total: number;
    let pageSize: number;
    try {
      src.pragma('busy_timeout = 5000');
      pageSize = Number(src.pragma('page_size', { simple: true }));
      total =
        Number(src.pragma('page_count', { simple: true })) -
        Number(src.pragma('freelist_count', { simple: true }));
    } finally {
      src.close();
    }
    options.onPhase?.('copying');
    const tick = () => {
      let bytes = 0;
      try {
        bytes = fs.statSync(partial).size;
      } catch {
        // not created yet
      }
      options.onProgress?.(Math.min(total, Math.floor(bytes / pageSize)), total, bytes);
    };
    await vacuumInto(from, partial, tick, messages);

    options.onPhase?.('checking');
    const copy = new Database(partial, { fileMustExist: true });
    let bookings: number | null = null;
    let pages: number;
    try {
      const check = copy.pragma('integrity_check', { simple: true });
      if (check !== 'ok') throw new Error(messages.integrityFailed(String(check)));
      // A backup should be one self-contained file: no -wal/-shm companions needed to restore it.
      copy.pragma('journal_mode = DELETE');
      pages = Number(copy.pragma('page_count', { simple: true }));
      const hasBookings = copy
        .prepare("select 1 from sqlite_master where type = 'table' and name = 'bookings'")
        .get();
      if (hasBookings)
        bookings = Number((copy.prepare('select count(*) as n from bookings').get() as { n: number }).n);
    } finally {
      copy.close();
    }
    options.onPhase?.('finishing');
    const bytes = fs.statSync(partial).size;
    options.onProgress?.(pages, pages, bytes);
    // Durable before it gets its name, and the name durable after the rename.
    fsyncPath(partial);
    fs.renameSync(partial, to);
    fsyncPath(path.dirname(to));
    return { file: to, bytes, pages, bookings, ms: Math.round(performance.now() - started) };
  } catch (err) {
    cleanup();
    throw err;
  }
}

export function parseArgs(argv: string[], text = messages): { file: string; force: boolean } {
  let force = false;
  const files: string[] = [];
  for (const arg of argv) {
    if (arg === '--force' || arg === '-f') force = true;
    else if (arg === '--help' || arg === '-h') throw new UsageError(text.usage);
    else if (arg.startsWith('-')) throw new UsageError(text.unknownOption(arg));
    else files.push(arg);
  }
  if (files.length !== 1) throw new UsageError(text.usage);
  return { file: files[0], force };
}

async function main(): Promise<number> {
  // The clinic's language, read from the database to back up (DEFAULT_LANGUAGE when there is none).
  let config: Config | null = null;
  let configError: unknown = null;
  try {
    config = loadConfig();
  } catch (err) {
    configError = err;
  }
  const messages = backupMessages(translatorFor(config ? await cliLanguage(config) : fallbackLanguage()));
  let args: { file: string; force: boolean };
  try {
    args = parseArgs(process.argv.slice(2), messages);
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  try {
    if (!config) throw configError;
    if (config.databaseUrl) {
      console.error(messages.postgres);
      return 2;
    }
    console.log(messages.start(config.databaseFile, path.resolve(args.file)));
    let lastShown = -1;
    const result = await backupDatabase(config.databaseFile, args.file, {
      force: args.force,
      messages,
      onStaleRemoved: (file) => console.log(messages.stale(file)),
      onPhase: (phase) => console.log(messages.phase(phase)),
      onProgress(done, total, bytes) {
        const tenth = total ? Math.floor((done / total) * 10) : 10;
        if (tenth !== lastShown) {
          lastShown = tenth;
          console.log(messages.progress(done, total, bytes));
        }
      },
    });
    console.log(messages.done(result.file, result.bytes, result.bookings, result.ms));
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(err.message);
      return 2;
    }
    console.error(messages.failed(err instanceof Error ? err.message : String(err)));
    return 1;
  }
}

if (require.main === module) {
  void main().then((code) => process.exit(code));
}
