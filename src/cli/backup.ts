/**
 * Online backup of the configured database: `npm run backup -- [--force] FILE`.
 *
 * Uses SQLite's backup API (through better-sqlite3), which copies a consistent snapshot while
 * the server keeps running and writing (WAL: the copy never blocks the server). The copy is
 * written next to FILE under a temporary name, checked with PRAGMA integrity_check, switched to
 * a self-contained rollback journal, and only then renamed into place, so FILE is either a
 * complete, verified backup or absent.
 *
 * Exit codes: 0 backup written, 1 backup failed, 2 usage error (no FILE, FILE exists without
 * --force, unknown option).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../config';

export const messages = {
  usage:
    'Usage: npm run backup -- [--force] FILE\n  Writes an online backup of the configured database (DATABASE_FILE) to FILE.',
  exists: (file: string) => `${file} already exists. Choose another name, or add --force to overwrite it.`,
  noDatabase: (file: string) =>
    `There is no database at ${file}. Set DATABASE_FILE to the database to back up.`,
  noDirectory: (dir: string) => `The directory ${dir} does not exist.`,
  inMemory: 'DATABASE_FILE is :memory:, there is nothing on disk to back up.',
  sameFile: 'FILE is the database itself. Choose another name.',
  start: (from: string, to: string) => `Backing up ${from} to ${to}`,
  progress: (done: number, total: number) =>
    `  ${total ? Math.floor((done / total) * 100) : 100}% (${done}/${total} pages)`,
  integrityFailed: (result: string) => `The backup failed its integrity check: ${result}`,
  done: (file: string, bytes: number, bookings: number | null, ms: number) =>
    `Backup written: ${file} (${(bytes / 1024).toFixed(0)} KiB${bookings === null ? '' : `, ${bookings} bookings`}) in ${ms} ms. Integrity check: ok.`,
  failed: (reason: string) => `Backup failed: ${reason}`,
};

export class UsageError extends Error {}

export type BackupResult = {
  file: string;
  bytes: number;
  pages: number;
  bookings: number | null;
  ms: number;
};

/** Pages copied per step: large enough that a busy server rarely forces a restart, small enough to show progress. */
const PAGES_PER_STEP = 2000;

export async function backupDatabase(
  source: string,
  target: string,
  options: { force?: boolean; onProgress?: (done: number, total: number) => void } = {},
): Promise<BackupResult> {
  const started = Date.now();
  if (source === ':memory:') throw new UsageError(messages.inMemory);
  const from = path.resolve(source);
  const to = path.resolve(target);
  if (from === to) throw new UsageError(messages.sameFile);
  if (!fs.existsSync(from)) throw new Error(messages.noDatabase(from));
  if (!fs.existsSync(path.dirname(to))) throw new UsageError(messages.noDirectory(path.dirname(to)));
  if (fs.existsSync(to) && !options.force) throw new UsageError(messages.exists(to));

  const partial = `${to}.partial-${process.pid}`;
  const src = new Database(from, { fileMustExist: true });
  try {
    // The server may hold the write lock for a moment; wait for it like the server does.
    src.pragma('busy_timeout = 5000');
    let pages = 0;
    await src.backup(partial, {
      progress({ totalPages, remainingPages }) {
        pages = totalPages;
        options.onProgress?.(totalPages - remainingPages, totalPages);
        return PAGES_PER_STEP;
      },
    });
    const copy = new Database(partial, { fileMustExist: true });
    let bookings: number | null = null;
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
    fs.renameSync(partial, to);
    return { file: to, bytes: fs.statSync(to).size, pages, bookings, ms: Date.now() - started };
  } catch (err) {
    for (const f of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`])
      fs.rmSync(f, { force: true });
    throw err;
  } finally {
    src.close();
  }
}

export function parseArgs(argv: string[]): { file: string; force: boolean } {
  let force = false;
  const files: string[] = [];
  for (const arg of argv) {
    if (arg === '--force' || arg === '-f') force = true;
    else if (arg === '--help' || arg === '-h') throw new UsageError(messages.usage);
    else if (arg.startsWith('-')) throw new UsageError(`Unknown option ${arg}\n${messages.usage}`);
    else files.push(arg);
  }
  if (files.length !== 1) throw new UsageError(messages.usage);
  return { file: files[0], force };
}

async function main(): Promise<number> {
  let args: { file: string; force: boolean };
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  try {
    const config = loadConfig();
    console.log(messages.start(config.databaseFile, path.resolve(args.file)));
    let lastShown = -1;
    const result = await backupDatabase(config.databaseFile, args.file, {
      force: args.force,
      onProgress(done, total) {
        const percent = total ? Math.floor((done / total) * 10) : 10;
        if (percent !== lastShown) {
          lastShown = percent;
          console.log(messages.progress(done, total));
        }
      },
    });
    console.log(messages.progress(result.pages, result.pages));
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
