import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config';
import { engineOf } from '../src/lib/db';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-config-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const base = () => ({ DATABASE_FILE: path.join(dir, 'clinic.sqlite'), SESSION_SECRET: 'x'.repeat(40) });

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    const config = loadConfig(base());
    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      env: 'development',
      logLevel: 'info',
      trustProxy: false,
      holdMinutes: 10,
      sessionHours: 12,
      currency: 'HUF',
      locale: 'en-GB',
    });
    expect(config.databaseFile).toBe(path.join(dir, 'clinic.sqlite'));
    expect(config.dataDir).toBe(dir);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      ...base(),
      PORT: '8080',
      HOST: '127.0.0.1',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      TRUST_PROXY: '1',
      HOLD_MINUTES: '15',
      SESSION_HOURS: '8',
      CURRENCY: 'EUR',
      LOCALE: 'hu-HU',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      env: 'production',
      logLevel: 'warn',
      trustProxy: true,
      holdMinutes: 15,
      sessionHours: 8,
      currency: 'EUR',
      locale: 'hu-HU',
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['CURRENCY', 'euro'],
    ['NODE_ENV', 'staging'],
    ['LOG_LEVEL', 'loud'],
    ['HOLD_MINUTES', '0'],
    ['SESSION_SECRET', 'too-short'],
    ['DATABASE_URL', 'mysql://root@localhost/clinic'],
    ['DATABASE_POOL_MAX', '0'],
    ['DATABASE_POOL_MAX', 'many'],
  ])('fails with a message naming %s when it is %p', (name, value) => {
    expect(() => loadConfig({ ...base(), [name]: value })).toThrow(
      new RegExp(`Invalid configuration:[\\s\\S]*${name}`),
    );
  });

  it('selects SQLite by default and PostgreSQL for a postgres:// or postgresql:// DATABASE_URL', () => {
    expect(loadConfig(base())).toMatchObject({ databaseUrl: null, databasePoolMax: 10 });
    expect(engineOf(loadConfig(base()).databaseFile)).toBe('sqlite');
    for (const url of [
      'postgres://clinic:secret@db.example:5432/clinic',
      'postgresql://root@/clinic?host=/var/run/postgresql',
    ]) {
      const config = loadConfig({ ...base(), DATABASE_URL: url, DATABASE_POOL_MAX: '25' });
      expect(config).toMatchObject({ databaseUrl: url, databasePoolMax: 25 });
      expect(engineOf(config.databaseUrl!)).toBe('pg');
    }
    expect(() => loadConfig({ ...base(), DATABASE_URL: 'mysql://x@y/z' })).toThrow(
      /DATABASE_URL must be a PostgreSQL URL/,
    );
  });

  it('names ISO 4217 in the CURRENCY message', () => {
    expect(() => loadConfig({ ...base(), CURRENCY: 'Ft' })).toThrow(/CURRENCY must be an ISO 4217 code/);
  });

  it('generates a session secret into the data directory when none is given, and reuses it', () => {
    const env = { DATABASE_FILE: path.join(dir, 'sub', 'clinic.sqlite') };
    const first = loadConfig(env);
    const file = path.join(dir, 'sub', 'session-secret');
    expect(fs.existsSync(file)).toBe(true);
    expect(first.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(first.sessionSecret);
    expect(fs.statSync(file).mode & 0o077).toBe(0);
    const second = loadConfig(env);
    expect(second.sessionSecret).toBe(first.sessionSecret);
  });

  it('prefers SESSION_SECRET and then writes no file', () => {
    const config = loadConfig(base());
    expect(config.sessionSecret).toBe('x'.repeat(40));
    expect(fs.existsSync(path.join(dir, 'session-secret'))).toBe(false);
  });
});
