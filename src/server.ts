/**
 * Opens the database, migrates, loads the demo clinic into an empty database when asked
 * (development, or DEMO=1), and listens. A production start never creates users: it says how to
 * create the first administrator instead.
 */
import { loadConfig } from './config';
import { openConfiguredDb, migrate } from './lib/db';
import { createApp } from './app';
import { systemClock } from './lib/clock';
import { countUsers } from './users/admin-cli.queries';
import { seedDemoIfEmpty, demoLogins } from '../seeds/demo';
import fs from 'node:fs';
import http from 'node:http';
import { hardenServer } from './lib/limits';
import { checkDatabaseFile } from './lib/startup';
import { optimizeStatistics } from './lib/maintenance.queries';
import { startMailWorker } from './mail/outbox.worker';

/** How often the planner's statistics are refreshed (PRAGMA optimize; also at start and shutdown). */
export const optimizeEveryMs = 60 * 60_000;

export const startMessages = {
  running: (url: string) => `Clinic booking is running at ${url}`,
  demoLoaded: 'Loaded the demo clinic.',
  demoLogins: `Demo logins (password ${demoLogins.password}): ${demoLogins.users.join(', ')}`,
  noUsers:
    'There are no users yet. Create the first administrator with:\n  npm run create-admin -- --username NAME',
};

async function main() {
  const config = loadConfig();
  if (config.databaseFile !== ':memory:') fs.mkdirSync(config.dataDir, { recursive: true });
  // One clear line (and exit 1) for a read-only, foreign or damaged file, before migrating it.
  if (!config.databaseUrl) checkDatabaseFile(config.databaseFile);
  const db = openConfiguredDb(config);
  await migrate(db);
  const seeded = config.demo ? await seedDemoIfEmpty(db, systemClock) : false;
  const users = await countUsers(db);
  const app = createApp(db, config);
  // Node checks request timeouts on this interval (30 s by default, as long as the timeout itself).
  const server = http.createServer({ connectionsCheckingInterval: 1000 }, app);
  server.listen(config.port, config.host, () => {
    console.log(startMessages.running(`http://localhost:${config.port}`));
    if (seeded) {
      console.log(startMessages.demoLoaded);
      console.log(startMessages.demoLogins);
    }
    if (users === 0) console.log(startMessages.noUsers);
  });
  hardenServer(server, config.server);
  // E-mail confirmations (issue 16): delivers the outbox while the process runs; drained on SIGTERM.
  const mailWorker = startMailWorker(db, config, systemClock);
  const optimize = () =>
    optimizeStatistics(db).catch((err: unknown) => console.error('PRAGMA optimize failed', err));
  void optimize();
  setInterval(() => void optimize(), optimizeEveryMs).unref();
  // SIGTERM (a deploy, the load balancer draining): stop accepting, let requests in flight finish,
  // close idle keep-alive connections, close the pool, exit 0. Whatever is still running after
  // 8 s is cut off, so the process is gone within 10 s.
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    server.close(() => {
      mailWorker
        .stop()
        .then(optimize)
        .then(() => db.destroy())
        .then(
          () => process.exit(0),
          () => process.exit(0),
        );
    });
    server.closeIdleConnections();
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    idle.unref();
    setTimeout(() => {
      server.closeAllConnections();
      process.exit(1);
    }, 8000).unref();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
