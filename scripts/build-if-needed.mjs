// Runs before `npm start` and the CLIs. In a development checkout (TypeScript installed) it
// builds dist/ so the command runs the current code; in a production install, pruned to its
// production dependencies (`npm prune --omit=dev`), it uses the build that is already there.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let tsc = null;
try {
  tsc = require.resolve('typescript/bin/tsc');
} catch {
  // Not installed: a production install.
}

if (tsc) {
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
if (!existsSync('dist/src/server.js')) {
  console.error(
    'There is no build in dist/ and TypeScript is not installed: run `npm ci && npm run build` first.',
  );
  process.exit(1);
}
