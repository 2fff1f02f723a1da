/**
 * Public holidays of Hungary and Romania for a year, computed here (no package): the fixed dates
 * and the movable ones from Easter. Western Easter by the Gregorian computus (Meeus/Jones/Butcher),
 * Orthodox Easter by the Julian computus (Meeus) shifted into the Gregorian calendar (+13 days,
 * right for 1900-2099). Names are in the country's own language, as the clinic would write them.
 */
import { DateTime } from 'luxon';

export type HolidayCountry = 'hu' | 'ro';
export const holidayCountries: readonly HolidayCountry[] = ['hu', 'ro'];
export type Holiday = { date: string; name: string };

/** Years the computus (and the +13 days Julian shift) is right for. */
export const holidayYears = { min: 1900, max: 2099 } as const;

const iso = (year: number, month: number, day: number) => DateTime.utc(year, month, day).toISODate()!;

/** Western (Gregorian) Easter Sunday. */
export function westernEaster(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return iso(year, month, day);
}

/** Orthodox Easter Sunday, as a Gregorian date: the Julian computus, then +13 days. */
export function orthodoxEaster(year: number): string {
  const a = year % 4;
  const b = year % 7;
  const c = year % 19;
  const d = (19 * c + 15) % 30;
  const e = (2 * a + 4 * b - d + 34) % 7;
  const month = Math.floor((d + e + 114) / 31);
  const day = ((d + e + 114) % 31) + 1;
  return DateTime.utc(year, month, day).plus({ days: 13 }).toISODate()!;
}

const plus = (date: string, days: number) =>
  DateTime.fromISO(date, { zone: 'utc' }).plus({ days }).toISODate()!;

export function holidaysFor(country: HolidayCountry, year: number): Holiday[] {
  const list: Holiday[] = [];
  const fixed = (month: number, day: number, name: string) =>
    list.push({ date: iso(year, month, day), name });
  if (country === 'hu') {
    const easter = westernEaster(year);
    fixed(1, 1, 'Újév');
    fixed(3, 15, 'Nemzeti ünnep (március 15.)');
    list.push({ date: plus(easter, -2), name: 'Nagypéntek' });
    list.push({ date: easter, name: 'Húsvétvasárnap' });
    list.push({ date: plus(easter, 1), name: 'Húsvéthétfő' });
    fixed(5, 1, 'A munka ünnepe');
    list.push({ date: plus(easter, 49), name: 'Pünkösdvasárnap' });
    list.push({ date: plus(easter, 50), name: 'Pünkösdhétfő' });
    fixed(8, 20, 'Államalapítás ünnepe');
    fixed(10, 23, 'Nemzeti ünnep (október 23.)');
    fixed(11, 1, 'Mindenszentek');
    if (year >= 2025) fixed(12, 24, 'Szenteste');
    fixed(12, 25, 'Karácsony');
    fixed(12, 26, 'Karácsony másnapja');
  } else {
    const easter = orthodoxEaster(year);
    fixed(1, 1, 'Anul Nou');
    fixed(1, 2, 'A doua zi de Anul Nou');
    if (year >= 2024) {
      fixed(1, 6, 'Boboteaza');
      fixed(1, 7, 'Sfântul Ioan Botezătorul');
    }
    fixed(1, 24, 'Ziua Unirii Principatelor Române');
    list.push({ date: plus(easter, -2), name: 'Vinerea Mare' });
    list.push({ date: easter, name: 'Paștele' });
    list.push({ date: plus(easter, 1), name: 'A doua zi de Paște' });
    fixed(5, 1, 'Ziua Muncii');
    fixed(6, 1, 'Ziua Copilului');
    list.push({ date: plus(easter, 49), name: 'Rusaliile' });
    list.push({ date: plus(easter, 50), name: 'A doua zi de Rusalii' });
    fixed(8, 15, 'Adormirea Maicii Domnului');
    fixed(11, 30, 'Sfântul Andrei');
    fixed(12, 1, 'Ziua Națională a României');
    fixed(12, 25, 'Crăciunul');
    fixed(12, 26, 'A doua zi de Crăciun');
  }
  // Two holidays on one day (Children's Day on Rusalii) become one closure with both names.
  const byDate = new Map<string, string>();
  for (const h of list) byDate.set(h.date, byDate.has(h.date) ? `${byDate.get(h.date)}, ${h.name}` : h.name);
  return [...byDate].map(([date, name]) => ({ date, name })).sort((a, b) => a.date.localeCompare(b.date));
}
