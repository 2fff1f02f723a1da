/**
 * Opens the database, migrates, loads the demo clinic into an empty database, and listens.
 */
import { loadConfig } from './config';
import { openDb, migrate } from './lib/db';
import { createApp } from './app';
import { seedDemoIfEmpty, demoLogins } from '../seeds/demo';
import fs from 'node:fs';
import http from 'node:http';
import { hardenServer } from './lib/limits';
import { checkDatabaseFile } from './lib/startup';

async function main() {
  const config = loadConfig();
  if (config.databaseFile !== ':memory:') fs.mkdirSync(config.dataDir, { recursive: true });
  // One clear line (and exit 1) for a read-only, foreign or damaged file, before migrating it.
  checkDatabaseFile(config.databaseFile);
  const db = openDb(config.databaseFile);
  await migrate(db);
  const seeded = await seedDemoIfEmpty(db);
  const app = createApp(db, config);
  // Node checks request timeouts on this interval (30 s by default, as long as the timeout itself).
  const server = http.createServer({ connectionsCheckingInterval: 1000 }, app);
  server.listen(config.port, config.host, () => {
    const url = `http://localhost:${config.port}`;
    console.log(`Clinic booking is running at ${url}`);
    if (seeded) console.log('Loaded the demo clinic.');
    console.log(`Demo logins (password ${demoLogins.password}): ${demoLogins.users.join(', ')}`);
  });
  hardenServer(server, config.server);
  const shutdown = () => {
    server.close(() => db.destroy().then(() => process.exit(0)));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
