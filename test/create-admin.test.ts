/**
 * A production install starts with no users; `npm run create-admin` makes the first administrator.
 * The CLI runs as a real process on a temporary database file, then the app opens that file.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import pino from 'pino';
import { createApp } from '../src/app';
import { testConfig } from '../src/config';
import { openDb, migrate } from '../src/lib/db';
import { csrfFrom } from './helpers';

const root = path.resolve(__dirname, '..');
let dir: string;
let file: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'create-admin-'));
  file = path.join(dir, 'clinic.sqlite');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function createAdmin(args: string[], stdin: string) {
  return spawnSync(process.execPath, [require.resolve('tsx/cli'), 'src/cli/create-admin.ts', ...args], {
    cwd: root,
    input: stdin,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production', DATABASE_FILE: file, LOG_LEVEL: 'silent' },
    timeout: 60_000,
  });
}

async function login(username: string, password: string): Promise<number> {
  const db = openDb(file);
  try {
    await migrate(db);
    const app = createApp(db, testConfig(), { logger: pino({ level: 'silent' }) });
    const agent = request.agent(app);
    const page = await agent.get('/login');
    const res = await agent
      .post('/login')
      .type('form')
      .send({ username, password, _csrf: csrfFrom(page.text) });
    return res.status;
  } finally {
    await db.destroy();
  }
}

describe('npm run create-admin', () => {
  it('creates an administrator who can log in, on a database where demo logins do not work', async () => {
    const run = createAdmin(['--username', 'boss'], 'Correct-Horse-42\nCorrect-Horse-42\n');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Created the administrator boss');
    expect(await login('admin', 'demo1234')).not.toBe(302);
    expect(await login('boss', 'Correct-Horse-42')).toBe(302);
    const db = openDb(file);
    try {
      const user = await db('users').where({ username: 'boss' }).first();
      const perms = await db('user_permissions').where({ user_id: user.id }).pluck('permission');
      expect(perms).toContain('users_admin');
      const entry = await db('audit_log').where({ action: 'user.created', entity_id: user.id }).first();
      expect(entry.details).toContain('create-admin');
    } finally {
      await db.destroy();
    }
  });

  it('refuses a weak password, a mismatch, a taken name and a missing name (exit 2, no user)', () => {
    expect(createAdmin(['--username', 'boss'], 'demo1234\ndemo1234\n').status).toBe(2);
    const mismatch = createAdmin(['--username', 'boss'], 'Correct-Horse-42\nCorrect-Horse-43\n');
    expect(mismatch.status).toBe(2);
    expect(mismatch.stderr).toContain('the two passwords differ');
    expect(createAdmin([], '').status).toBe(2);
    expect(fs.existsSync(file)).toBe(false);
    expect(createAdmin(['--username', 'boss'], 'Correct-Horse-42\nCorrect-Horse-42\n').status).toBe(0);
    const taken = createAdmin(['--username', 'BOSS'], 'Another-Pass-77\nAnother-Pass-77\n');
    expect(taken.status).toBe(2);
    expect(taken.stderr).toContain('already taken');
  });
});
