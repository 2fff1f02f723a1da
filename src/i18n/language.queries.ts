/** Where the languages are stored: each user's own choice (users.language), the clinic default (app_meta). */
import type { Knex } from 'knex';
import { isLanguage, type Language } from './index';

const defaultKey = 'default_language';

export async function storedClinicLanguage(db: Knex): Promise<Language | null> {
  const row = (await db('app_meta').select('value').where({ key: defaultKey }).first()) as
    { value: string } | undefined;
  return isLanguage(row?.value) ? row.value : null;
}

export async function saveClinicLanguage(db: Knex, lang: Language): Promise<void> {
  await db('app_meta').insert({ key: defaultKey, value: lang }).onConflict('key').merge();
}

export async function saveUserLanguage(db: Knex, userId: number, lang: Language | null): Promise<void> {
  await db('users').where({ id: userId }).update({ language: lang });
}

export async function userLanguage(db: Knex, userId: number): Promise<Language | null> {
  const row = (await db('users').select('language').where({ id: userId }).first()) as
    { language: string | null } | undefined;
  return isLanguage(row?.language) ? row.language : null;
}
