/**
 * npm run create-admin -- --username NAME
 * Creates the first (or another) clinic administrator. On a terminal it asks for the password
 * twice without echoing it; otherwise it reads two lines (password, repeat) from standard input.
 * Exit codes: 0 created, 1 failed, 2 refused (usage, weak password, mismatch, name taken).
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { loadConfig, type Config } from '../config';
import { audit } from '../lib/audit';
import { openConfiguredDb, migrate, writeTransaction } from '../lib/db';
import { hashPassword } from '../lib/passwords';
import { allPermissions } from '../lib/permissions';
import { systemClock } from '../lib/clock';
import { insertAdministrator, userNameTaken } from '../users/admin-cli.queries';
import { translatorFor, type Translate } from '../i18n';
import { cliLanguage, fallbackLanguage } from './language';

/** The refusals and results, in a language (the clinic's: see ./language). */
export function adminMessages(t: Translate) {
  return {
    usage: t('cli.admin.usage'),
    badName: t('cli.admin.badName'),
    weak: t('cli.admin.weak'),
    mismatch: t('cli.admin.mismatch'),
    taken: (name: string) => t('cli.admin.taken', { name }),
    created: (name: string) => t('cli.admin.created', { name }),
    password: t('cli.admin.password'),
    repeat: t('cli.admin.repeat'),
  };
}

export const messages = adminMessages(translatorFor('en'));

const common = new Set([
  'demo1234',
  'password',
  'password1',
  '123456',
  '12345678',
  '1234567890',
  'qwerty',
  'admin',
  'administrator',
  'letmein',
  'welcome',
]);

/** Why a password is too weak for an administrator, or null when it will do. */
export function passwordProblem(username: string, password: string, text = messages): string | null {
  const p = password.toLowerCase();
  if (password.length < 10 || p === username.toLowerCase() || common.has(p) || /^(.)\1+$/.test(password))
    return text.weak;
  return null;
}

async function readPasswords(text: ReturnType<typeof adminMessages>): Promise<[string, string]> {
  if (process.stdin.isTTY) {
    const ask = (question: string) =>
      new Promise<string>((resolve) => {
        const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
        // Echo nothing while the password is typed.
        (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
          if (s.startsWith(question)) process.stdout.write(question);
        };
        rl.question(question, (answer) => {
          rl.close();
          process.stdout.write('\n');
          resolve(answer);
        });
      });
    return [await ask(text.password), await ask(text.repeat)];
  }
  const lines: string[] = [];
  const rl = readline.createInterface({ input: process.stdin });
  for await (const line of rl) {
    lines.push(line);
    if (lines.length === 2) break;
  }
  rl.close();
  return [lines[0] ?? '', lines[1] ?? ''];
}

export async function main(argv: string[]): Promise<number> {
  // The clinic's language (Settings, else DEFAULT_LANGUAGE), read before anything is asked.
  let config: Config | null = null;
  let configError: unknown = null;
  try {
    config = loadConfig();
  } catch (err) {
    configError = err; // raised where it was before: after the refusals that need no database
  }
  const messages = adminMessages(translatorFor(config ? await cliLanguage(config) : fallbackLanguage()));
  const i = argv.indexOf('--username');
  const username = i >= 0 ? (argv[i + 1] ?? '').trim() : '';
  if (!username) {
    console.error(messages.usage);
    return 2;
  }
  if (!/^[A-Za-z0-9._-]{3,64}$/.test(username)) {
    console.error(messages.badName);
    return 2;
  }
  const [password, repeat] = await readPasswords(messages);
  const weak = passwordProblem(username, password, messages);
  if (weak) {
    console.error(weak);
    return 2;
  }
  if (password !== repeat) {
    console.error(messages.mismatch);
    return 2;
  }
  if (!config) throw configError;
  if (config.databaseFile !== ':memory:') fs.mkdirSync(config.dataDir, { recursive: true });
  const db = openConfiguredDb(config);
  try {
    await migrate(db);
    if (await userNameTaken(db, username)) {
      console.error(messages.taken(username));
      return 2;
    }
    const passwordHash = await hashPassword(password);
    await writeTransaction(db, async (trx) => {
      const id = await insertAdministrator(trx, {
        username,
        passwordHash,
        permissions: allPermissions,
        now: systemClock.nowIso(),
      });
      await audit(trx, systemClock, {
        actor: null,
        username: 'create-admin (command line)',
        action: 'user.created',
        entityType: 'user',
        entityId: id,
        details: { username, permissions: allPermissions, allInstitutions: true, via: 'create-admin' },
      });
    });
    console.log(messages.created(username));
    return 0;
  } finally {
    await db.destroy();
  }
}

if (require.main === module) {
  main(process.argv.slice(2))
    .then((code) => process.exit(code))
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    });
}
