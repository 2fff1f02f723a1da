/**
 * The command-line tools speak the clinic's language: the default saved in Settings when the
 * database has one, else DEFAULT_LANGUAGE, else English (src/cli/language.ts). Each CLI runs as a
 * real process on a temporary database file; exit codes are those of the English runs.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb, migrate } from '../src/lib/db';
import { saveClinicLanguage } from '../src/i18n/language.queries';
import { translatorFor } from '../src/i18n';
import { parseSlotsArgs } from '../src/cli/slots';

const root = path.resolve(__dirname, '..');
let dir: string;
let file: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-language-'));
  file = path.join(dir, 'clinic.sqlite');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(
  cli: string,
  args: string[],
  opts: { lang?: string; input?: string; databaseFile?: string } = {},
) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_FILE: opts.databaseFile ?? file,
    LOG_LEVEL: 'silent',
    SESSION_SECRET: 'cli-language-test-secret-0123456789abcdef',
  };
  delete env.DATABASE_URL;
  delete env.DEFAULT_LANGUAGE;
  if (opts.lang) env.DEFAULT_LANGUAGE = opts.lang;
  const r = spawnSync(process.execPath, [require.resolve('tsx/cli'), `src/cli/${cli}.ts`, ...args], {
    cwd: root,
    input: opts.input ?? '',
    encoding: 'utf8',
    env,
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A migrated database whose clinic default (Settings) is `lang`. */
async function clinicIn(lang: 'en' | 'hu' | 'ro') {
  const db = openDb(file);
  try {
    await migrate(db);
    await saveClinicLanguage(db, lang);
  } finally {
    await db.destroy();
  }
}

describe('npm run create-admin in the clinic language', () => {
  it('refuses a weak password in Hungarian with DEFAULT_LANGUAGE=hu (exit 2, no database made)', () => {
    const weak = run('create-admin', ['--username', 'boss'], { lang: 'hu', input: 'demo1234\ndemo1234\n' });
    expect(weak.status).toBe(2);
    expect(weak.stderr.trim()).toBe(
      'Elutasítva: a jelszó legalább 10 karakter legyen, térjen el a felhasználónévtől, és ne legyen gyakori vagy bemutató jelszó.',
    );
    const usage = run('create-admin', [], { lang: 'hu' });
    expect(usage.status).toBe(2);
    expect(usage.stderr.trim()).toBe('Használat: npm run create-admin -- --username NÉV');
    expect(fs.existsSync(file)).toBe(false);
  }, 120_000);

  it('follows the Settings default over DEFAULT_LANGUAGE (ro in Settings, hu in the environment)', async () => {
    await clinicIn('ro');
    const made = run('create-admin', ['--username', 'boss'], {
      lang: 'hu',
      input: 'Correct-Horse-42\nCorrect-Horse-42\n',
    });
    expect(made.stderr).toBe('');
    expect(made.status).toBe(0);
    expect(made.stdout.trim()).toBe(
      'Administratorul boss a fost creat. Autentificați-vă cu el la adresa clinicii.',
    );
    const mismatch = run('create-admin', ['--username', 'other'], {
      input: 'Correct-Horse-42\nCorrect-Horse-43\n',
    });
    expect(mismatch.status).toBe(2);
    expect(mismatch.stderr.trim()).toBe('Refuzat: cele două parole diferă.');
  }, 120_000);

  it('stays English without a setting or DEFAULT_LANGUAGE', () => {
    const weak = run('create-admin', ['--username', 'boss'], { input: 'demo1234\ndemo1234\n' });
    expect(weak.status).toBe(2);
    expect(weak.stderr).toContain('Refused: the password must have at least 10 characters');
  }, 60_000);
});

describe('npm run backup in the clinic language', () => {
  it('explains its usage and the missing database in Hungarian with DEFAULT_LANGUAGE=hu', () => {
    const usage = run('backup', [], { lang: 'hu' });
    expect(usage.status).toBe(2);
    expect(usage.stderr.trim()).toBe(
      'Használat: npm run backup -- [--force] FÁJL\n  Működés közben elmenti a beállított adatbázist (DATABASE_FILE) a FÁJL-ba.',
    );
    const missingDb = path.join(dir, 'nope', 'missing.sqlite');
    const missing = run('backup', [path.join(dir, 'out.sqlite')], { lang: 'hu', databaseFile: missingDb });
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim()).toBe(
      `A mentés nem sikerült: Nincs adatbázis itt: ${missingDb}. A DATABASE_FILE értéke legyen a mentendő adatbázis.`,
    );
  }, 120_000);

  it('refuses an existing FILE in the language saved in Settings, and writes its lines in it', async () => {
    await clinicIn('hu');
    const out = path.join(dir, 'out.sqlite');
    fs.writeFileSync(out, 'keep me');
    const refused = run('backup', [out]);
    expect(refused.status).toBe(2);
    expect(refused.stderr.trim()).toBe(
      `A(z) ${out} már létezik. Válasszon másik nevet, vagy a felülíráshoz adja meg a --force kapcsolót.`,
    );
    expect(fs.readFileSync(out, 'utf8')).toBe('keep me');

    const written = run('backup', ['--force', out]);
    expect(written.stderr).toBe('');
    expect(written.status).toBe(0);
    expect(written.stdout).toContain(`${file} mentése ide: ${out}`);
    expect(written.stdout).toContain('  Pillanatkép másolása az adatbázisról...');
    expect(written.stdout).toMatch(/ {2}100% \(\d+\/\d+ lap, [\d.]+ MiB kiírva\)/);
    expect(written.stdout).toMatch(
      new RegExp(
        `A mentés elkészült: ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(\\d+ KiB, 0 foglalás\\), \\d+ ms alatt\\. Épségellenőrzés: rendben\\.`,
      ),
    );
  }, 120_000);
});

describe('npm run migrate in the clinic language', () => {
  it('says the database is up to date in Hungarian (DEFAULT_LANGUAGE=hu), and in English without it', () => {
    const hu = run('migrate', [], { lang: 'hu' });
    expect(hu.stderr).toBe('');
    expect(hu.status).toBe(0);
    expect(hu.stdout.trim()).toBe(`A(z) ${file} adatbázis naprakész.`);
    const en = run('migrate', []);
    expect(en.status).toBe(0);
    expect(en.stdout.trim()).toBe(`Database ${file} is up to date.`);
  }, 120_000);

  it('follows the Settings default (ro)', async () => {
    await clinicIn('ro');
    const ro = run('migrate', [], { lang: 'hu' });
    expect(ro.status).toBe(0);
    expect(ro.stdout.trim()).toBe(`Baza de date ${file} este la zi.`);
  }, 60_000);
});

describe('npm run slots in the clinic language', () => {
  it('refuses bad arguments in Hungarian with the Hungarian usage (exit 2)', () => {
    const bad = run('slots', ['--from', '2027-02-01', '--to', '2027-01-01'], { lang: 'hu' });
    expect(bad.status).toBe(2);
    const lines = bad.stderr.trim().split('\n');
    expect(lines[0]).toBe('A --to nem lehet a --from előtt.');
    expect(lines[1]).toBe(
      'Használat: npm run slots -- --from ÉÉÉÉ-HH-NN --to ÉÉÉÉ-HH-NN [--schedule AZONOSÍTÓ]',
    );
  }, 60_000);

  it('names an unknown schedule and its progress in the Settings language', async () => {
    await clinicIn('hu');
    const unknown = run('slots', ['--from', '2027-01-18', '--to', '2027-01-19', '--schedule', '999']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.trim()).toBe('Nincs 999 azonosítójú rendelési rend.');
    const ok = run('slots', ['--from', '2027-01-18', '--to', '2027-01-19']);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('Időpontok generálása 2027-01-18 és 2027-01-19 között...');
  }, 120_000);

  it('parses with the messages of a language (English by default)', () => {
    const hu = translatorFor('hu');
    expect(parseSlotsArgs(['--from', 'x', '--to', '2027-01-01'], hu)).toEqual({
      error: 'A --from nem dátum (ÉÉÉÉ-HH-NN): x',
    });
    expect(parseSlotsArgs(['--bogus'], translatorFor('ro'))).toEqual({
      error: 'Argument necunoscut: --bogus',
    });
    expect(parseSlotsArgs(['--from', 'x', '--to', '2027-01-01'])).toEqual({
      error: '--from is not a date (YYYY-MM-DD): x',
    });
  });
});
