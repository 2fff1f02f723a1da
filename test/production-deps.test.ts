/**
 * The build runs with production dependencies only (issue 10): every package the built code
 * imports is in `dependencies`, and the commands a production install runs (start and the CLIs)
 * never need tsx or tsc at run time. (Checked once by hand in a pruned install: README,
 * "Production start".)
 */
import fs from 'node:fs';
import path from 'node:path';
import { builtinModules } from 'node:module';

const root = path.join(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};

/** The packages a file needs at run time: imports and requires of bare names (type-only imports are erased). */
export function runtimePackages(source: string): string[] {
  const specifiers: string[] = [];
  const patterns = [
    /^\s*import\s+(?!type\s)[^'"]*?from\s+['"]([^'"]+)['"]/gm,
    /^\s*import\s+['"]([^'"]+)['"]/gm,
    /^\s*export\s+(?!type\s)[^'"]*?from\s+['"]([^'"]+)['"]/gm,
    /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const p of patterns) for (const m of source.matchAll(p)) specifiers.push(m[1]);
  const builtins = new Set(builtinModules);
  return [
    ...new Set(
      specifiers
        .filter((s) => !s.startsWith('.') && !s.startsWith('/') && !s.startsWith('node:') && !builtins.has(s))
        .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0])),
    ),
  ].sort();
}

/** What tsconfig.build.json compiles into dist/: src, migrations, seeds and knexfile.ts. */
function builtSources(): { file: string; text: string }[] {
  const files = ['knexfile.ts'];
  for (const dir of ['src', 'migrations', 'seeds'])
    for (const f of fs.readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' }))
      if (f.endsWith('.ts')) files.push(path.posix.join(dir, f.split(path.sep).join('/')));
  return files.map((file) => ({ file, text: fs.readFileSync(path.join(root, file), 'utf8') }));
}

describe('the production build', () => {
  it('imports only packages listed in dependencies', () => {
    const sources = builtSources();
    expect(sources.length).toBeGreaterThan(50);
    const missing = sources.flatMap(({ file, text }) =>
      runtimePackages(text)
        .filter((p) => !(p in pkg.dependencies))
        .map((p) => `${file}: ${p}${p in pkg.devDependencies ? ' (a devDependency)' : ''}`),
    );
    expect(missing).toEqual([]);
  });

  it('finds bare imports and requires, and skips type-only imports, builtins and relative paths', () => {
    const planted = [
      "import express from 'express';",
      "import { DateTime, type Zone } from 'luxon';",
      "import type { Knex } from 'knex';",
      "import tsx from 'tsx/cli';",
      "import '@node-rs/argon2/register';",
      "export { z } from 'zod';",
      "export type { Foo } from 'foo-types';",
      "const pg = require('pg');",
      "const m = await import('playwright-core');",
      "import fs from 'node:fs';",
      "import path from 'path';",
      "import { x } from './x';",
    ].join('\n');
    expect(runtimePackages(planted)).toEqual([
      '@node-rs/argon2',
      'express',
      'luxon',
      'pg',
      'playwright-core',
      'tsx',
      'zod',
    ]);
  });

  it('starts and runs the CLIs from dist/ with node, never through tsx or tsc', () => {
    for (const name of ['start', 'migrate', 'create-admin', 'backup', 'slots']) {
      const script = pkg.scripts[name];
      expect({ name, script }).toEqual({
        name,
        script: expect.stringMatching(/&& node (--[\w=-]+ )*dist\/src\/[\w/-]+\.js$/),
      });
      expect({ name, script }).toEqual({ name, script: expect.not.stringMatching(/\b(tsx|tsc|ts-node)\b/) });
    }
  });

  it("builds before a command only where TypeScript is installed, with node's own modules", () => {
    const script = fs.readFileSync(path.join(root, 'scripts/build-if-needed.mjs'), 'utf8');
    expect(runtimePackages(script)).toEqual([]);
    expect(script).toContain("require.resolve('typescript/bin/tsc')");
  });
});
