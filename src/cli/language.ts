/**
 * The one way the command-line tools choose their language: the clinic default saved in Settings
 * when the database has one, else DEFAULT_LANGUAGE, else en (the rule of clinicLanguage, which the
 * pages use too). A database that cannot be opened or read (none yet, not migrated) leaves it to
 * DEFAULT_LANGUAGE. Without a configuration (it failed to load) DEFAULT_LANGUAGE is read as is.
 */
import fs from 'node:fs';
import type { Knex } from 'knex';
import type { Config } from '../config';
import { isLanguage, translatorFor, type Language, type Translate } from '../i18n';
import { clinicLanguage } from '../i18n/middleware';
import { openConfiguredDb } from '../lib/db';

/** DEFAULT_LANGUAGE when it is one of ours, else en: for when there is no database or config. */
export function fallbackLanguage(): Language {
  const env = process.env.DEFAULT_LANGUAGE;
  return isLanguage(env) ? env : 'en';
}

/** The clinic language read from an open database, DEFAULT_LANGUAGE when it cannot be read. */
export async function cliLanguageOf(db: Knex, config: Config): Promise<Language> {
  try {
    return await clinicLanguage(db, config);
  } catch {
    return config.defaultLanguage;
  }
}

/**
 * The clinic language before the tool has opened its database: opens it only to read the setting,
 * and never creates a SQLite file that is not there.
 */
export async function cliLanguage(config: Config): Promise<Language> {
  const file = config.databaseFile;
  if (!config.databaseUrl && (file === ':memory:' || !fs.existsSync(file))) return config.defaultLanguage;
  let db: Knex | null = null;
  try {
    db = openConfiguredDb(config);
    return await cliLanguageOf(db, config);
  } catch {
    return config.defaultLanguage;
  } finally {
    await db?.destroy().catch(() => undefined);
  }
}

export async function cliTranslator(config: Config): Promise<Translate> {
  return translatorFor(await cliLanguage(config));
}
