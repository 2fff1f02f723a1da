/**
 * Languages of the interface: English, Magyar, Română. Catalogues are typed TypeScript objects
 * (src/i18n/messages/*.ts): the compiler refuses a Hungarian or Romanian catalogue that lacks a key
 * of the English one, and test/i18n-catalogue.test.ts checks placeholders and plural categories.
 * Messages are ICU-style (src/i18n/message-format.ts), compiled once per language and key.
 */
import { en, type MessageKey } from './messages/en';
import { hu } from './messages/hu';
import { ro } from './messages/ro';
import { compileMessage, type CompiledMessage, type MessageParams } from './message-format';

export type { MessageKey } from './messages/en';
export type { MessageParams } from './message-format';

export const languages = ['en', 'hu', 'ro'] as const;
export type Language = (typeof languages)[number];

/** Each language in its own name, for the Language select and the login page's switch. */
export const languageNames: Record<Language, string> = { en: 'English', hu: 'Magyar', ro: 'Română' };

export const catalogues: Record<Language, Record<MessageKey, string>> = { en, hu, ro };

/** The locale whose Intl rules (plural, dates, numbers, collation) a language uses. */
export const localeOf: Record<Language, string> = { en: 'en-GB', hu: 'hu-HU', ro: 'ro-RO' };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

const compiled: Record<Language, Map<string, CompiledMessage>> = {
  en: new Map(),
  hu: new Map(),
  ro: new Map(),
};

/** A key no catalogue has shows as this marker (the "every page in hu" test looks for it). */
export const missingMarker = (key: string) => `\u27e6${key}\u27e7`;

export type Translate = (key: MessageKey, params?: MessageParams) => string;

export function translate(lang: Language, key: MessageKey, params?: MessageParams): string {
  const cache = compiled[lang];
  let fn = cache.get(key);
  if (!fn) {
    const src = (catalogues[lang] as Record<string, string | undefined>)[key];
    if (src === undefined) return missingMarker(key);
    fn = compileMessage(src, localeOf[lang]);
    cache.set(key, fn);
  }
  return fn(params);
}

const translators: Record<Language, Translate> = {
  en: (key, params) => translate('en', key, params),
  hu: (key, params) => translate('hu', key, params),
  ro: (key, params) => translate('ro', key, params),
};

export function translatorFor(lang: Language): Translate {
  return translators[lang];
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[c]!);

/**
 * A message as HTML, for the few that emphasise a value: everything is escaped (the message and
 * every value) and only the catalogue's own `<b>...</b>` becomes `<strong>...</strong>`. String
 * values go in as markers, so a value that looks like markup stays text.
 */
export function translateHtml(lang: Language, key: MessageKey, params: MessageParams = {}): string {
  const values: string[] = [];
  const marked: MessageParams = {};
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'number') marked[name] = value;
    else {
      marked[name] = `\u0000${values.length}\u0000`;
      values.push(value);
    }
  }
  return (
    escapeHtml(translate(lang, key, marked))
      .replace(/&lt;b&gt;/g, '<strong>')
      .replace(/&lt;\/b&gt;/g, '</strong>')
      // eslint-disable-next-line no-control-regex -- the markers are NUL-delimited on purpose
      .replace(/\u0000(\d+)\u0000/g, (_m, i: string) => escapeHtml(values[Number(i)]))
  );
}

/**
 * Messages that services raise (AppError, zod field messages, flash) are the English catalogue
 * text, so features need not know the reader's language; the page translates them here when it
 * shows them. Exact texts are a map lookup; texts with placeholders ("At most {max} characters.")
 * match a pattern built from the English message. Unknown text (a name, a number) stays as it is.
 */
type Pattern = { key: MessageKey; regex: RegExp; names: string[]; literal: number };
let exact: Map<string, MessageKey> | null = null;
let patterns: Pattern[] = [];

function buildReverseIndex() {
  exact = new Map();
  patterns = [];
  for (const [key, text] of Object.entries(en) as [MessageKey, string][]) {
    if (!text.includes('{')) {
      if (!exact.has(text)) exact.set(text, key);
      continue;
    }
    if (/\{\s*\w+\s*,/.test(text)) continue; // plural/select: not raised as plain text
    const names: string[] = [];
    // Short patterns ("User {username}", "{what} created.") take single words only, so they never
    // swallow an unrelated sentence ("Tick at least one..." is not "{service} at {institution}").
    const literal = text.replace(/\{\w+\}/g, '').length;
    const capture = literal >= 12 ? '(.+?)' : '(\\S+?)';
    const source = text
      .split(/(\{\w+\})/)
      .map((piece) => {
        const m = /^\{(\w+)\}$/.exec(piece);
        if (m) {
          names.push(m[1]);
          return capture;
        }
        return piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('');
    patterns.push({
      key,
      regex: new RegExp(`^${source}$`, 's'),
      names,
      literal: text.replace(/\{\w+\}/g, '').length,
    });
  }
  // The most specific first: "Please wait about {minutes} minutes" before "Please wait {minutes} minutes".
  patterns.sort((x, y) => y.literal - x.literal);
}

/** The English catalogue key of a message text, with its placeholder values; null when unknown. */
export function keyOfEnglish(text: string): { key: MessageKey; params: MessageParams } | null {
  if (!exact) buildReverseIndex();
  const key = exact!.get(text);
  if (key) return { key, params: {} };
  for (const p of patterns) {
    const m = p.regex.exec(text);
    if (m) return { key: p.key, params: Object.fromEntries(p.names.map((n, i) => [n, m[i + 1]])) };
  }
  return null;
}

/** A message raised in English, in `lang` (itself when it is not a catalogue text). */
export function localizeMessage(lang: Language, text: string): string {
  if (lang === 'en' || typeof text !== 'string') return text;
  // A 400 lists its fields as "field: message; field: message".
  if (text.includes('; ') || /^\w+: /.test(text)) {
    const whole = keyOfEnglish(text);
    if (whole) return translate(lang, whole.key, whole.params);
    return text
      .split('; ')
      .map((piece) => {
        const m = /^(\w+): (.*)$/s.exec(piece);
        return m ? `${m[1]}: ${localizeMessage(lang, m[2])}` : localizeMessage(lang, piece);
      })
      .join('; ');
  }
  const found = keyOfEnglish(text);
  if (!found) return text;
  // A value that is itself a catalogue text ("Institution" in "{what} created.") is translated too.
  const params: MessageParams = {};
  for (const [name, value] of Object.entries(found.params)) {
    const inner = typeof value === 'string' ? exact!.get(value) : undefined;
    params[name] = inner ? translate(lang, inner) : value;
  }
  return translate(lang, found.key, params);
}

/**
 * The languages an Accept-Language header asks for, best first, reduced to ours
 * ("hu-HU,hu;q=0.9,en;q=0.8" -> hu). Null when it names none of the three.
 */
export function languageFromAcceptLanguage(header: string | undefined): Language | null {
  if (!header) return null;
  let best: { lang: Language; q: number; order: number } | null = null;
  header
    .split(',')
    .slice(0, 30)
    .forEach((entry, order) => {
      const [tag, ...attrs] = entry.trim().split(';');
      const primary = tag.trim().toLowerCase().split('-')[0];
      if (!isLanguage(primary)) return;
      const qAttr = attrs.map((a) => a.trim()).find((a) => a.startsWith('q='));
      const q = qAttr ? Number(qAttr.slice(2)) : 1;
      if (!Number.isFinite(q) || q <= 0) return;
      if (!best || q > best.q || (q === best.q && order < best.order)) best = { lang: primary, q, order };
    });
  return (best as { lang: Language } | null)?.lang ?? null;
}

/**
 * The one rule of which language a request gets: the user's own choice, else the language picked on
 * the login page (a cookie: anonymous visitors have no session), else the browser's Accept-Language
 * when it names one of ours, else the clinic default. Without a clinic default given, null means
 * "the clinic default decides" (so the caller reads it only when needed).
 */
export function chooseLanguage(c: {
  userLanguage?: string | null;
  chosen?: string | null;
  acceptLanguage?: string;
}): Language | null;
export function chooseLanguage(c: {
  userLanguage?: string | null;
  chosen?: string | null;
  acceptLanguage?: string;
  clinicDefault: Language;
}): Language;
export function chooseLanguage(c: {
  userLanguage?: string | null;
  chosen?: string | null;
  acceptLanguage?: string;
  clinicDefault?: Language;
}): Language | null {
  if (isLanguage(c.userLanguage)) return c.userLanguage;
  if (isLanguage(c.chosen)) return c.chosen;
  return languageFromAcceptLanguage(c.acceptLanguage) ?? c.clinicDefault ?? null;
}
