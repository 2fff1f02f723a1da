/** npm run migrate: brings the database named by DATABASE_FILE to the current schema. */
import { loadConfig } from '../config';
import { openConfiguredDb, migrate } from '../lib/db';

async function main(): Promise<void> {
  const config = loadConfig();
  const db = openConfiguredDb(config);
  try {
    await migrate(db);
    console.log(`Database ${config.databaseUrl ? 'at DATABASE_URL' : config.databaseFile} is up to date.`);
  } finally {
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
