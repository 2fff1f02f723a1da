/** npm run migrate: brings the database named by DATABASE_FILE to the current schema. */
import { loadConfig } from '../config';
import { translatorFor } from '../i18n';
import { openConfiguredDb, migrate } from '../lib/db';
import { cliLanguageOf } from './language';

async function main(): Promise<void> {
  const config = loadConfig();
  const db = openConfiguredDb(config);
  try {
    await migrate(db);
    // In the clinic's language (Settings, else DEFAULT_LANGUAGE), like every CLI.
    const t = translatorFor(await cliLanguageOf(db, config));
    console.log(
      config.databaseUrl
        ? t('cli.migrate.doneUrl')
        : t('cli.migrate.doneFile', { file: config.databaseFile }),
    );
  } finally {
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
