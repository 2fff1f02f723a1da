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
  collator: Intl.Collator;
  /** Sorts a copy of `items` by `name` with the language's collation (hu: C < Cs < D, O < Ö). */
  sortBy<T>(items: readonly T[], name: (item: T) => string): T[];
  /** The decimal separator: "." in English, "," in Hungarian and Romanian (CSV uses it). */
  decimalSeparator: string;
};

const cache = new Map<string, Formats>();

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
  const familyFirst = lang === 'hu';
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
    personName: (given, family) => (familyFirst ? `${family} ${given}` : `${given} ${family}`),
    collator,
    sortBy: (items, name) => [...items].sort((a, b) => collator.compare(name(a), name(b))),
    decimalSeparator: lang === 'en' ? '.' : ',',
  };
  cache.set(cacheKey, formats);
  return formats;
}
