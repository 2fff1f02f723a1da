/**
 * Checks the database file before the server migrates it: that it opens, is an SQLite
 * database, passes PRAGMA quick_check and can be written. A problem becomes one line naming
 * the file and what is wrong (no stack trace, no advice that does not apply), and the server
 * exits 1. A missing file is fine: migrating creates it.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export const messages = {
  cannotStart: (file: string, problem: string) => `Cannot start: the database file ${file} ${problem}`,
  readOnly:
    'is read-only for this user. Make the file and its directory writable by the user running the server.',
  dirReadOnly: (dir: string) =>
    `cannot be written: its directory ${dir} is read-only for this user (SQLite needs it for its -wal and -journal files).`,
  notDatabase:
    'is not an SQLite database (its first bytes are not an SQLite header). Check DATABASE_FILE, or restore a backup (README, Restore).',
  damaged: (detail: string) =>
    `is damaged (quick_check: ${detail}). Restore it from a backup (README, Restore); keep the damaged file aside.`,
  locked: 'is locked by another process that keeps writing. Stop the other process and start again.',
  cannotOpen: (detail: string) => `cannot be opened: ${detail}`,
  notAFile: 'is not a regular file.',
};

export class StartupError extends Error {}

const sqliteHeader = Buffer.from('SQLite format 3\0', 'latin1');

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 200);
}

function writable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Throws a StartupError with one line when the database file cannot be used. */
export function checkDatabaseFile(file: string): void {
  if (file === ':memory:') return;
  const fail = (problem: string): never => {
    throw new StartupError(messages.cannotStart(file, problem));
  };
  const dir = path.dirname(file);
  if (!fs.existsSync(file)) {
    if (fs.existsSync(dir) && !writable(dir)) fail(messages.dirReadOnly(dir));
    return;
  }
  const stat = fs.statSync(file);
  if (!stat.isFile()) fail(messages.notAFile);
  if (!writable(file)) fail(messages.readOnly);
  if (!writable(dir)) fail(messages.dirReadOnly(dir));
  if (stat.size > 0) {
    const head = Buffer.alloc(sqliteHeader.length);
    const fd = fs.openSync(file, 'r');
    try {
      fs.readSync(fd, head, 0, head.length, 0);
    } finally {
      fs.closeSync(fd);
    }
    if (!head.equals(sqliteHeader)) fail(messages.notDatabase);
  }

  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    const rows = db.pragma('quick_check(5)') as { quick_check: string }[];
    const results = rows.map((r) => r.quick_check);
    if (results.length !== 1 || results[0] !== 'ok') fail(messages.damaged(oneLine(results.join('; '))));
    // Takes the write lock and gives it back: proves the file, journal and directory are writable.
    db.exec('BEGIN IMMEDIATE; ROLLBACK');
  } catch (err) {
    if (err instanceof StartupError) throw err;
    const e = err as { code?: string; message?: string };
    const code = e.code ?? '';
    if (code === 'SQLITE_NOTADB') fail(messages.notDatabase);
    if (code.startsWith('SQLITE_CORRUPT')) fail(messages.damaged(oneLine(e.message ?? code)));
    if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM')
      fail(messages.readOnly);
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) fail(messages.locked);
    fail(messages.cannotOpen(oneLine(e.message ?? String(err))));
  } finally {
    db?.close();
  }
}
