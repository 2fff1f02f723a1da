/**
 * npm run create-admin -- --username NAME
 * Creates the first (or another) clinic administrator. On a terminal it asks for the password
 * twice without echoing it; otherwise it reads two lines (password, repeat) from standard input.
 * Exit codes: 0 created, 1 failed, 2 refused (usage, weak password, mismatch, name taken).
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { loadConfig } from '../config';
import { audit } from '../lib/audit';
import { openConfiguredDb, migrate, writeTransaction } from '../lib/db';
import { hashPassword } from '../lib/passwords';
import { allPermissions } from '../lib/permissions';
import { systemClock } from '../lib/clock';
import { insertAdministrator, userNameTaken } from '../users/admin-cli.queries';

export const messages = {
  usage: 'Usage: npm run create-admin -- --username NAME',
  badName: 'The user name must be 3-64 letters, digits, dots, dashes or underscores.',
  weak: 'Refused: the password must have at least 10 characters, differ from the user name and not be a common or demo password.',
  mismatch: 'Refused: the two passwords differ.',
  taken: (name: string) => `Refused: the user name ${name} is already taken.`,
  created: (name: string) => `Created the administrator ${name}. Log in at the clinic's address with it.`,
};

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
export function passwordProblem(username: string, password: string): string | null {
  const p = password.toLowerCase();
  if (password.length < 10 || p === username.toLowerCase() || common.has(p) || /^(.)\1+$/.test(password))
    return messages.weak;
  return null;
}

async function readPasswords(): Promise<[string, string]> {
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
    return [await ask('Password: '), await ask('Repeat the password: ')];
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
  const [password, repeat] = await readPasswords();
  const weak = passwordProblem(username, password);
  if (weak) {
    console.error(weak);
    return 2;
  }
  if (password !== repeat) {
    console.error(messages.mismatch);
    return 2;
  }
  const config = loadConfig();
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
