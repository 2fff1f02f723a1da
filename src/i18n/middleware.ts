/**
 * Picks each request's language (chooseLanguage in ./index) and gives every view its translator
 * and formatters: `t`, `tr` (a message raised in English, translated), `lang`, `formatDate`,
 * `formatTime`, `formatDateTime`, `formatDay`, `formatMoney` (also `money`), `formatNumber`,
 * `personName`, `writtenName`, `collator`. Routes get the same on `req.lang`, `req.t` and `req.formats`.
 */
import type { Request, Response, NextFunction } from 'express';
import type { Knex } from 'knex';
import { performance } from 'node:perf_hooks';
import type { Config } from '../config';
import {
  chooseLanguage,
  isLanguage,
  languageNames,
  languages,
  localizeMessage,
  translatorFor,
  translateHtml,
  type MessageKey,
  type MessageParams,
  type Language,
  type Translate,
} from './index';
import { formatsFor, type Formats } from './formats';
import { storedClinicLanguage } from './language.queries';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      lang: Language;
      t: Translate;
      formats: Formats;
    }
  }
}

/** The cookie that keeps the language picked on the login page (anonymous visitors have no session). */
export const languageCookie = 'clinic.lang';

function cookieValue(req: Request, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

/**
 * The clinic default: the Settings choice, else DEFAULT_LANGUAGE. Read at most every few seconds
 * (it changes once in a clinic's life; a second process sees a change within that time).
 */
const defaults = new WeakMap<Knex, { value: Language | null; at: number }>();
const defaultTtlMs = 5000;

export async function clinicLanguage(db: Knex, config: Config): Promise<Language> {
  const hit = defaults.get(db);
  if (hit && performance.now() - hit.at < defaultTtlMs) return hit.value ?? config.defaultLanguage;
  const value = await storedClinicLanguage(db);
  defaults.set(db, { value, at: performance.now() });
  return value ?? config.defaultLanguage;
}

/** After saving the clinic default: this process sees it at once. */
export function forgetClinicLanguage(db: Knex): void {
  defaults.delete(db);
}

export function setLanguageLocals(req: Request, res: Response, lang: Language, config: Config): void {
  const formats = formatsFor(lang, { currency: config.currency, enLocale: config.locale });
  const t = translatorFor(lang);
  req.lang = lang;
  req.t = t;
  req.formats = formats;
  Object.assign(res.locals, {
    lang,
    t,
    tr: (message: string) => localizeMessage(lang, message),
    th: (key: MessageKey, params?: MessageParams) => translateHtml(lang, key, params),
    languages,
    languageNames,
    formats,
    formatDate: formats.formatDate,
    formatTime: formats.formatTime,
    formatDateTime: formats.formatDateTime,
    formatDay: formats.formatDay,
    formatMoney: formats.formatMoney,
    money: formats.formatMoney,
    formatNumber: formats.formatNumber,
    personName: formats.personName,
    writtenName: formats.writtenName,
    collator: formats.collator,
  });
}

export function languageMiddleware(db: Knex, config: Config) {
  return (req: Request, res: Response, next: NextFunction) => {
    const asked = req.method === 'GET' ? req.query.lang : undefined;
    const picked = isLanguage(asked) ? asked : null;
    if (picked)
      res.cookie(languageCookie, picked, {
        httpOnly: true,
        sameSite: 'lax',
        secure: req.secure,
        maxAge: 365 * 24 * 3600_000,
      });
    const chosen = picked ?? cookieValue(req, languageCookie);
    const direct = chooseLanguage({
      userLanguage: req.user?.language ?? null,
      chosen,
      acceptLanguage: req.get('Accept-Language'),
    });
    if (direct) {
      setLanguageLocals(req, res, direct, config);
      return next();
    }
    clinicLanguage(db, config).then((clinicDefault) => {
      setLanguageLocals(req, res, clinicDefault, config);
      next();
    }, next);
  };
}
