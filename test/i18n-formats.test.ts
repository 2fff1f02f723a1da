/**
 * Formats in each language: dates in the institution's zone (across the DST changes), money per
 * clinic currency, names in the language's order, collation, the week starting Monday.
 */
import { formatsFor } from '../src/i18n/formats';
import { mondayOf } from '../src/lib/time';

const huf = (lang: 'en' | 'hu' | 'ro') => formatsFor(lang, { currency: 'HUF', enLocale: 'en-GB' });
const ron = (lang: 'en' | 'hu' | 'ro') => formatsFor(lang, { currency: 'RON', enLocale: 'en-GB' });
const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('dates and times', () => {
  it('writes hu "2026. 12. 02.", ro "02.12.2026", en ISO, with 24-hour times in the zone', () => {
    const iso = '2026-12-02T13:05:00.000Z';
    expect(huf('hu').formatDateTime(iso, 'Europe/Budapest')).toBe('2026. 12. 02. 14:05');
    expect(huf('ro').formatDateTime(iso, 'Europe/Bucharest')).toBe('02.12.2026 15:05');
    expect(huf('en').formatDateTime(iso, 'Europe/Budapest')).toBe('2026-12-02 14:05');
    expect(huf('hu').weekday('2026-12-02')).toBe('szerda');
    expect(huf('ro').weekday('2026-12-02')).toBe('miercuri');
    expect(huf('en').weekday('2026-12-02')).toBe('Wednesday');
    expect(huf('hu').month('2026-12-02')).toBe('2026. december');
  });

  it('keeps the local day and hour across the spring and autumn DST changes', () => {
    const hu = huf('hu');
    // 29 March 2026: 02:00 -> 03:00 in Budapest. 00:30Z is 01:30 CET, 01:30Z is 03:30 CEST.
    expect(hu.formatDateTime('2026-03-29T00:30:00Z', 'Europe/Budapest')).toBe('2026. 03. 29. 01:30');
    expect(hu.formatDateTime('2026-03-29T01:30:00Z', 'Europe/Budapest')).toBe('2026. 03. 29. 03:30');
    // 25 October 2026: 03:00 -> 02:00. 00:30Z is 02:30 CEST, 01:30Z is 02:30 CET.
    expect(hu.formatTime('2026-10-25T00:30:00Z', 'Europe/Budapest')).toBe('02:30');
    expect(hu.formatTime('2026-10-25T01:30:00Z', 'Europe/Budapest')).toBe('02:30');
    // Late evening UTC is already the next day in Bucharest.
    expect(ron('ro').formatDate('2026-10-24T22:30:00Z', 'Europe/Bucharest')).toBe('25.10.2026');
  });

  it('starts the week on Monday', () => {
    expect(mondayOf('2026-12-06')).toBe('2026-11-30');
    expect(huf('hu').weekday(mondayOf('2026-12-02'))).toBe('hétfő');
  });
});

describe('money and numbers', () => {
  it('writes forints without decimals and lei with two, in the language\u2019s grouping', () => {
    expect(nbsp(huf('hu').formatMoney(3_800_000))).toBe('38 000 Ft');
    expect(nbsp(ron('ro').formatMoney(1_234_550))).toBe('12.345,50 lei');
    // English keeps the LOCALE format the app always had.
    expect(huf('en').formatMoney(3_800_000)).toBe(
      new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'HUF' }).format(38000),
    );
    expect(nbsp(huf('hu').formatNumber(12345))).toBe('12 345');
    expect(ron('ro').formatNumber(12345)).toBe('12.345');
  });
});

describe('names and sorting', () => {
  it('puts the family name first in Hungarian only', () => {
    expect(huf('hu').personName('Anna', 'Kovács')).toBe('Kovács Anna');
    expect(huf('en').personName('Anna', 'Kovács')).toBe('Anna Kovács');
    expect(huf('ro').personName('Ion', 'Popescu')).toBe('Ion Popescu');
  });

  it('sorts Hungarian "Cs" after "C" and "Ö" after "O"', () => {
    const names = ['Ödön', 'Csaba', 'Dávid', 'Oszkár', 'Cecil', 'Zoltán'];
    expect(huf('hu').sortBy(names, (n) => n)).toEqual([
      'Cecil',
      'Csaba',
      'Dávid',
      'Oszkár',
      'Ödön',
      'Zoltán',
    ]);
    expect(ron('ro').sortBy(['Ștefan', 'Sorin', 'Tudor'], (n) => n)).toEqual(['Sorin', 'Ștefan', 'Tudor']);
  });
});
