/**
 * The one reader of process.env. Parses once, validates, fails fast with a clear message.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { z } from 'zod';
import type { FairnessLimits, ServerLimits } from './lib/limits';

const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_FILE: z.string().min(1).default('data/clinic.sqlite'),
  // Set: PostgreSQL instead of the SQLite file (postgres:// or postgresql://, socket hosts too).
  DATABASE_URL: z
    .string()
    .regex(
      /^postgres(ql)?:\/\//,
      'DATABASE_URL must be a PostgreSQL URL (postgres://user@host/db or postgresql://user@/db?host=/var/run/postgresql)',
    )
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
  HOLD_MINUTES: z.coerce.number().int().min(1).max(120).default(10),
  SESSION_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, 'CURRENCY must be an ISO 4217 code such as HUF or EUR')
    .default('HUF'),
  LOCALE: z.string().min(2).default('en-GB'),
  // The clinic's default interface language for a new install (Settings can change it later).
  DEFAULT_LANGUAGE: z
    .enum(['en', 'hu', 'ro'], { message: 'DEFAULT_LANGUAGE must be en, hu or ro' })
    .default('en'),
  // Fairness limits (src/lib/limits.ts); 0 switches one off.
  LIMIT_INFLIGHT_PER_ADDRESS: z.coerce.number().int().min(0).default(8),
  LIMIT_INFLIGHT_PER_SESSION: z.coerce.number().int().min(0).default(4),
  LIMIT_RATE_PER_ADDRESS: z.coerce.number().min(0).default(50),
  LIMIT_BURST_PER_ADDRESS: z.coerce.number().int().min(0).default(100),
  REQUEST_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  DEMO: z.enum(['0', '1', 'true', 'false']).optional(),
  // E-mail confirmations (issue 16): unset, nothing is sent (the outbox keeps what is queued).
  SMTP_URL: z
    .string()
    .regex(
      /^smtps?:\/\/[^\s]+$/,
      'SMTP_URL must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example:587',
    )
    .optional()
    .or(z.literal('').transform(() => undefined)),
  MAIL_FROM: z
    .string()
    .regex(
      /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/,
      'MAIL_FROM must be an e-mail address such as booking@clinic.example',
    )
    .default('booking@clinic.invalid'),
});

export type Config = {
  port: number;
  host: string;
  databaseFile: string;
  /** PostgreSQL connection URL; null: the SQLite file `databaseFile` (the default). */
  databaseUrl: string | null;
  /** Connections per process in the PostgreSQL pool (SQLite always uses one). */
  databasePoolMax: number;
  dataDir: string;
  sessionSecret: string;
  env: 'development' | 'production' | 'test';
  logLevel: string;
  trustProxy: boolean;
  holdMinutes: number;
  sessionHours: number;
  currency: string;
  locale: string;
  /** The interface language when neither the user nor the browser names one (Settings overrides it). */
  defaultLanguage: 'en' | 'hu' | 'ro';
  limits: FairnessLimits;
  server: ServerLimits;
  /** Load the demo clinic into an empty database: DEMO=1, or by default in development only. */
  demo: boolean;
  /** SMTP server for e-mail confirmations; null: none are sent. */
  smtpUrl: string | null;
  /** Sender of e-mail confirmations; its domain is also the domain of calendar UIDs. */
  mailFrom: string;
};

const serverLimits = (requestTimeoutSeconds: number): ServerLimits => ({
  requestTimeoutMs: requestTimeoutSeconds * 1000,
  headersTimeoutMs: 20_000,
  keepAliveTimeoutMs: 5_000,
  maxHeadersCount: 100,
});

const minSecretLength = 32;

/**
 * Reads SESSION_SECRET, or the one generated on first start and kept in the data directory.
 * The file is written atomically (temporary file, fsync, rename), so a crash or a full disk
 * never leaves a short one; a short or empty file (from an older version) is refused.
 */
function sessionSecretFor(dataDir: string, given?: string): string {
  if (given) return given;
  const file = path.join(dataDir, 'session-secret');
  if (fs.existsSync(file)) {
    const secret = fs.readFileSync(file, 'utf8').trim();
    if (secret.length < minSecretLength)
      throw new Error(
        `The session secret file ${file} is ${secret ? 'too short' : 'empty'} (${secret.length} characters, at least ${minSecretLength} needed): delete it to have a new one generated (everyone logs in again), or set SESSION_SECRET.`,
      );
    return secret;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = crypto.randomBytes(48).toString('base64url');
  const temp = `${file}.tmp-${process.pid}`;
  try {
    const fd = fs.openSync(temp, 'w', 0o600);
    try {
      fs.writeSync(fd, secret + '\n');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw new Error(`Could not write the session secret file ${file}: ${(err as Error).message}`);
  }
  return secret;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const inMemory = e.DATABASE_FILE === ':memory:';
  const databaseFile = inMemory ? e.DATABASE_FILE : path.resolve(e.DATABASE_FILE);
  const dataDir = inMemory ? path.resolve('data') : path.dirname(databaseFile);
  return {
    port: e.PORT,
    host: e.HOST,
    databaseFile,
    databaseUrl: e.DATABASE_URL ?? null,
    databasePoolMax: e.DATABASE_POOL_MAX,
    dataDir,
    sessionSecret:
      inMemory && !e.SESSION_SECRET
        ? crypto.randomBytes(48).toString('base64url')
        : sessionSecretFor(dataDir, e.SESSION_SECRET),
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    holdMinutes: e.HOLD_MINUTES,
    sessionHours: e.SESSION_HOURS,
    currency: e.CURRENCY,
    locale: e.LOCALE,
    defaultLanguage: e.DEFAULT_LANGUAGE,
    limits: {
      inFlightPerAddress: e.LIMIT_INFLIGHT_PER_ADDRESS,
      inFlightPerSession: e.LIMIT_INFLIGHT_PER_SESSION,
      ratePerAddress: e.LIMIT_RATE_PER_ADDRESS,
      burstPerAddress: e.LIMIT_BURST_PER_ADDRESS,
    },
    server: serverLimits(e.REQUEST_TIMEOUT_SECONDS),
    demo: e.DEMO === undefined ? e.NODE_ENV === 'development' : e.DEMO === '1' || e.DEMO === 'true',
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.MAIL_FROM,
  };
}

/** Configuration for tests: in-memory database, quiet logs, fixed secret. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    databaseFile: ':memory:',
    databaseUrl: null,
    databasePoolMax: 10,
    dataDir: path.resolve('data'),
    sessionSecret: 'test-secret-test-secret-test-secret-0123456789',
    env: 'test',
    logLevel: 'silent',
    trustProxy: false,
    holdMinutes: 10,
    sessionHours: 12,
    currency: 'HUF',
    locale: 'en-GB',
    defaultLanguage: 'en',
    // Off in tests, which fire many requests from one address; test/hardening-ops.test.ts sets them.
    limits: { inFlightPerAddress: 0, inFlightPerSession: 0, ratePerAddress: 0, burstPerAddress: 0 },
    server: serverLimits(30),
    demo: false,
    smtpUrl: null,
    mailFrom: 'booking@clinic.example',
    ...overrides,
  };
}
