/**
 * Dates, times, money, numbers, names and sorting in a language's conventions, built once per
 * language (and currency) and cached: a calendar or a list formats thousands of cells per request.
 * English keeps the formats the app always had (ISO dates, the LOCALE money format), so English
 * pages are unchanged; Hungarian writes "2026. 12. 02." and "38 000 Ft", Romanian "02.12.2026" and
 * "12.345,50 lei". Times are 24-hour everywhere. Instants are shown in the institution's zone.
 */
import { formatLocalDate, formatLocalTime } from '../lib/time';
import { formatMoney as formatMoneyEn } from '../lib/money';
import { localeOf, type Language } from './index';

export type Formats = {
  lang: Language;
  locale: string;
  /** An instant's date in a zone: en 2026-12-02, hu 2026. 12. 02., ro 02.12.2026. */
  formatDate: (iso: string, zone: string) => string;
  /** An instant's time in a zone, 24-hour: 14:05. */
  formatTime: (iso: string, zone: string) => string;
  formatDateTime: (iso: string, zone: string) => string;
  /** A calendar date (YYYY-MM-DD, no zone) in the language's date format. */
  formatDay: (localDate: string) => string;
  /** The weekday of a calendar date: Wednesday, szerda, miercuri. */
  weekday: (localDate: string, width?: 'long' | 'short') => string;
  /** A month of a calendar date with its year: December 2026, 2026. december, decembrie 2026. */
  month: (localDate: string) => string;
  formatMoney: (minor: number) => string;
  formatNumber: (n: number, fractionDigits?: number) => string;
  /** A person's name in the language's order: hu "Kovács Anna", en and ro "Anna Kovács". */
  personName: (given: string, family: string) => string;
  /**
   * A name kept in one field (a doctor's), written given name first ("Dr. Anna Kovács") or
   * "Family, Given" ("Dr. Kovács, Anna"), in the language's order: hu "Dr. Kovács Anna".
   */
  writtenName: (written: string) => string;
  /** Sorts a copy of `items` by family name, then given name, in the language's collation. */
  sortByFamily<T>(items: readonly T[], name: (item: T) => { given: string; family: string }): T[];
  /** Persons with a one-field `name` (doctors), sorted by family name and named in the language's order. */
  peopleByFamily<T extends { name: string }>(items: readonly T[]): T[];
  collator: Intl.Collator;
  /** Sorts a copy of `items` by `name` with the language's collation (hu: C < Cs < D, O < Ö). */
  sortBy<T>(items: readonly T[], name: (item: T) => string): T[];
  /** The decimal separator: "." in English, "," in Hungarian and Romanian (CSV uses it). */
  decimalSeparator: string;
};

const cache = new Map<string, Formats>();

export type NameParts = { title: string; given: string; family: string; suffix?: string };

/**
 * The one rule of name order: Hungarian puts the family name first ("Kovács Anna"), English and
 * Romanian the given name ("Anna Kovács"). A title stays in front in every language ("Dr.").
 */
const familyFirstLanguages: ReadonlySet<Language> = new Set(['hu']);

export function orderedName(familyFirst: boolean, n: NameParts): string {
  const name = familyFirst ? [n.family, n.given] : [n.given, n.family];
  return [n.title, ...name].filter(Boolean).join(' ') + (n.suffix ?? '');
}

/** "Kovács Anna" for "Dr. Anna Kovács": a sort key that lists a one-field name by family name. */
export const familySortKey = (written: string): string => {
  const n = nameParts(written);
  return `${n.family} ${n.given}`;
};

/** A name from its parts in `lang`'s order, where no request's Formats is at hand. */
export const personNameIn = (lang: Language, given: string, family: string): string =>
  orderedName(familyFirstLanguages.has(lang), { title: '', given, family });

/**
 * The parts of a name kept in one field, written given name first as the clinic enters it:
 * leading titles ("Dr.", "Prof. Dr.", "ifj.", "Dr" without the dot), then the given names, then
 * the family name as the last word ("Dr. Anna Mária Kovács-Nagy"); from a comma on, a suffix that
 * stays at the end ("Dr. Anna Kovács, PhD"). A family name of several separate words cannot be
 * told apart here (doctors have one name column): it shows as written in English and Romanian.
 */
export function nameParts(written: string): NameParts {
  const comma = written.indexOf(',');
  const suffix = comma >= 0 ? written.slice(comma).trimEnd() : '';
  const words = (comma >= 0 ? written.slice(0, comma) : written).trim().split(/\s+/).filter(Boolean);
  let t = 0;
  while (t < words.length - 1 && /^(\p{L}+\.|dr|prof)$/iu.test(words[t])) t++;
  const title = words.slice(0, t).join(' ');
  const name = words.slice(t);
  return {
    title,
    given: name.slice(0, -1).join(' '),
    family: name[name.length - 1] ?? '',
    suffix,
  };
}

/** Dates without a zone are formatted at noon UTC, so no zone can move them to another day. */
const noonUtc = (localDate: string) => Date.parse(`${localDate}T12:00:00Z`);

function memo(fn: (s: string) => string): (s: string) => string {
  const results = new Map<string, string>();
  return (s) => {
    let r = results.get(s);
    if (r === undefined) {
      r = fn(s);
      if (results.size > 20_000) results.clear();
      results.set(s, r);
    }
    return r;
  };
}

export function formatsFor(lang: Language, opts: { currency: string; enLocale: string }): Formats {
  const cacheKey = `${lang}|${opts.currency}|${opts.enLocale}`;
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  const locale = lang === 'en' ? opts.enLocale : localeOf[lang];
  const intlLocale = localeOf[lang];
  const dayFormat = new Intl.DateTimeFormat(intlLocale, {
    timeZone: 'UTC',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const weekdayLong = new Intl.DateTimeFormat(intlLocale, { timeZone: 'UTC', weekday: 'long' });
  const weekdayShort = new Intl.DateTimeFormat(intlLocale, { timeZone: 'UTC', weekday: 'short' });
  const monthFormat = new Intl.DateTimeFormat(intlLocale, {
    timeZone: 'UTC',
    year: 'numeric',
    month: 'long',
  });
  const formatDay =
    lang === 'en'
      ? (localDate: string) => localDate
      : memo((localDate) =>
          /^\d{4}-\d{2}-\d{2}$/.test(localDate) ? dayFormat.format(noonUtc(localDate)) : localDate,
        );
  const moneyFormat =
    lang === 'en'
      ? null
      : new Intl.NumberFormat(locale, {
          style: 'currency',
          currency: opts.currency,
          // "lei", "Ft": the symbols people write, not the ISO code.
          currencyDisplay: 'narrowSymbol',
          ...(opts.currency === 'HUF' ? { minimumFractionDigits: 0, maximumFractionDigits: 0 } : {}),
        });
  const numberFormats = new Map<number, Intl.NumberFormat>();
  const numberFormat = (digits: number) => {
    let f = numberFormats.get(digits);
    if (!f) {
      f = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
      numberFormats.set(digits, f);
    }
    return f;
  };
  const collator = new Intl.Collator(intlLocale, { sensitivity: 'base', numeric: true });
  const familyFirst = familyFirstLanguages.has(lang);
  const formats: Formats = {
    lang,
    locale,
    formatDate: (iso, zone) => formatDay(formatLocalDate(iso, zone)),
    formatTime: (iso, zone) => formatLocalTime(iso, zone),
    formatDateTime: (iso, zone) => `${formatDay(formatLocalDate(iso, zone))} ${formatLocalTime(iso, zone)}`,
    formatDay,
    weekday: (localDate, width = 'long') =>
      (width === 'long' ? weekdayLong : weekdayShort).format(noonUtc(localDate)),
    month: (localDate) => monthFormat.format(noonUtc(localDate)),
    formatMoney: moneyFormat
      ? (minor) => moneyFormat.format(minor / 100)
      : (minor) => formatMoneyEn(minor, opts.currency, opts.enLocale),
    formatNumber: (n, digits = 0) => numberFormat(digits).format(n),
    personName: (given, family) => orderedName(familyFirst, { title: '', given, family }),
    writtenName: memo((written) => orderedName(familyFirst, nameParts(written))),
    sortByFamily: (items, name) => {
      const keyed = items.map((item) => ({ item, n: name(item) }));
      keyed.sort(
        (a, b) => collator.compare(a.n.family, b.n.family) || collator.compare(a.n.given, b.n.given),
      );
      return keyed.map((k) => k.item);
    },
    peopleByFamily: (items) =>
      formats
        .sortByFamily(items, (item) => nameParts(item.name))
        .map((item) => ({ ...item, name: formats.writtenName(item.name) })),
    collator,
    sortBy: (items, name) => [...items].sort((a, b) => collator.compare(name(a), name(b))),
    decimalSeparator: lang === 'en' ? '.' : ',',
  };
  cache.set(cacheKey, formats);
  return formats;
}
