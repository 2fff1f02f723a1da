/**
 * The layout rules that grep can check (issue 10), kept true by a test: every query-builder call
 * sits in a `*.queries.ts`, and every permission decision in src/lib/permissions.ts. Migrations,
 * seeds and tests are outside src/ and not checked. The few exceptions are listed with their reason.
 */
import fs from 'node:fs';
import path from 'node:path';

type Source = { file: string; text: string };
type Rule = { name: string; pattern: RegExp; appliesTo: (file: string) => boolean };
type Allowed = { file: string; contains: string; why: string };

const notQueriesFile = (file: string) => !file.endsWith('.queries.ts');
const notPermissions = (file: string) => file !== 'src/lib/permissions.ts';

export const rules: Rule[] = [
  // db('table'), trx('table'), knex('table'): a query on a table.
  { name: 'query builder', pattern: /(?<![\w.$])(db|trx|knex)\(/, appliesTo: notQueriesFile },
  // .from('table'), but not Array.from / Buffer.from / Object.fromEntries.
  {
    name: 'query builder',
    pattern: /(?<!\b(Array|Buffer|Object|Uint8Array|String))\.from\(/,
    appliesTo: notQueriesFile,
  },
  { name: 'raw SQL', pattern: /\.raw\(/, appliesTo: notQueriesFile },
  // better-sqlite3 statements on a raw connection.
  { name: 'raw SQL', pattern: /\.(prepare|pragma)\(|\bdb\.exec\(/, appliesTo: notQueriesFile },
  { name: 'permission check', pattern: /\.permissions\.(has|includes)\(/, appliesTo: notPermissions },
  {
    name: 'partner comparison',
    pattern: /\b(user|actor)\b!?\??\.partnerId\s*[!=]==?|[!=]==?\s*[\w.]*\b(user|actor)\b!?\??\.partnerId\b/,
    appliesTo: notPermissions,
  },
  {
    name: 'institution access',
    pattern: /\b(user|actor)\b!?\??\.(allInstitutions|institutionIds)\b/,
    appliesTo: notPermissions,
  },
  {
    name: 'combined permissions',
    pattern: /\bcan\([^)]*\)\s*(\|\||&&)\s*!?can\(/,
    appliesTo: notPermissions,
  },
];

export const allowed: Allowed[] = [
  { file: 'src/lib/db.ts', contains: 'return knex({', why: 'creates the connection pool, no query' },
  {
    file: 'src/lib/db.ts',
    contains: 'conn.pragma(',
    why: 'connection settings (WAL, foreign keys, synchronous) as each connection opens',
  },
  {
    file: 'src/lib/startup.ts',
    contains: 'db.pragma(',
    why: 'checks the database file (quick_check) on its own connection before knex opens it',
  },
  {
    file: 'src/lib/startup.ts',
    contains: "db.exec('BEGIN IMMEDIATE; ROLLBACK')",
    why: 'checks the file is writable before knex opens it',
  },
  {
    file: 'src/cli/backup.ts',
    contains: '.pragma(',
    why: 'VACUUM INTO and the copy check run on raw connections to two files, outside knex',
  },
  { file: 'src/cli/backup.ts', contains: '.prepare(', why: 'as above: the backup copy, outside knex' },
];

const isComment = (line: string) => /^\s*(\/\/|\/\*|\*)/.test(line);

/** Each line breaking a rule, as "file:line: rule: code", minus the allowed exceptions. */
export function offenders(sources: Source[]): string[] {
  const found: string[] = [];
  for (const { file, text } of sources) {
    text.split('\n').forEach((line, i) => {
      if (isComment(line)) return;
      for (const rule of rules) {
        if (!rule.appliesTo(file) || !rule.pattern.test(line)) continue;
        if (allowed.some((a) => a.file === file && line.includes(a.contains))) continue;
        found.push(`${file}:${i + 1}: ${rule.name}: ${line.trim()}`);
      }
    });
  }
  return found;
}

const root = path.join(__dirname, '..');
function sourcesUnder(dir: string): Source[] {
  return fs
    .readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => {
      const file = path.posix.join(dir, f.split(path.sep).join('/'));
      return { file, text: fs.readFileSync(path.join(root, file), 'utf8') };
    });
}

describe('layout of src/', () => {
  it('has no query-builder call outside *.queries.ts and no permission decision outside lib/permissions.ts', () => {
    const sources = sourcesUnder('src');
    expect(sources.length).toBeGreaterThan(50);
    expect(offenders(sources)).toEqual([]);
  });

  it('uses every listed exception (a stale one would hide nothing, but says something false)', () => {
    const sources = sourcesUnder('src');
    const unused = allowed.filter(
      (a) => !sources.some((s) => s.file === a.file && s.text.includes(a.contains)),
    );
    expect(unused).toEqual([]);
  });

  it('finds planted violations, and not look-alikes', () => {
    const planted: Source[] = [
      {
        file: 'src/planted/planted.service.ts',
        text: [
          "const rows = await db('bookings').select('id');",
          "await trx('holds').where({ id }).del();",
          "const n = await knex.from('slots').count();",
          "await db.raw('select 1');",
          "if (req.user!.permissions.has('settings')) show();",
          'if (user.partnerId === booking.partner_id) allow();',
          'const mine = booking.partnerId !== req.user!.partnerId;',
          'const scoped = user.allInstitutions ? null : user.institutionIds;',
          "const some = can(user, 'booking') || can(user, 'partner_booking');",
          // Not violations:
          'const bytes = Buffer.from(token);',
          'const days = Array.from({ length: 7 }, (_, i) => i);',
          "// db('bookings') in a comment",
          "if (can(user, 'booking')) go();",
        ].join('\n'),
      },
      { file: 'src/planted/planted.queries.ts', text: "return db('bookings').select('id');" },
      { file: 'src/lib/permissions.ts', text: "return user.permissions.has('settings');" },
      { file: 'src/lib/db.ts', text: 'return knex({ client });' },
    ];
    expect(offenders(planted).map((o) => o.split(': ')[0])).toEqual([
      'src/planted/planted.service.ts:1',
      'src/planted/planted.service.ts:2',
      'src/planted/planted.service.ts:3',
      'src/planted/planted.service.ts:4',
      'src/planted/planted.service.ts:5',
      'src/planted/planted.service.ts:6',
      'src/planted/planted.service.ts:7',
      'src/planted/planted.service.ts:8',
      'src/planted/planted.service.ts:9',
    ]);
  });
});
