/** The Language select of a user's page: '' clears the choice; anything but the three is refused. */
import { z } from 'zod';
import { firstOf } from '../lib/validate';
import { Validation } from '../lib/errors';
import { en } from './messages/en';
import { isLanguage, type Language } from './index';

export const languageMessages = { unknown: en['language.unknown'] };

export const userLanguageField = z.preprocess((v) => {
  const x = firstOf(v);
  return x === '' || x === undefined || x === null ? null : x;
}, z.string().refine(isLanguage, languageMessages.unknown).nullable()) as z.ZodType<Language | null>;

/** A form's language field: undefined when the form has none (nothing to change), else the choice. */
export function languageInput(body: unknown, invalidMessage: string): Language | null | undefined {
  const raw = (body as Record<string, unknown> | null | undefined)?.language;
  if (raw === undefined) return undefined;
  const parsed = userLanguageField.safeParse(raw);
  if (!parsed.success) throw new Validation(invalidMessage, { language: languageMessages.unknown });
  return parsed.data;
}
