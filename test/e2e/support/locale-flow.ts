/**
 * The partner booking flow by the visible labels of one language (Hungarian, Romanian), with
 * JavaScript on (htmx swaps) or off (plain forms). The labels are written out here, not read from
 * the catalogue, so a wrong or English text on the page fails the test.
 */
import { expect } from '@jest/globals';
import type { Page } from 'playwright-core';
import { demoPassword, htmxSettled } from './browser';

export type FlowLabels = {
  username: string;
  password: string;
  logIn: string;
  tile: RegExp;
  title: string;
  partner: string;
  institution: string;
  qualification: string;
  doctor: string;
  service: string;
  show: string;
  nextWeek: RegExp;
  free: RegExp;
  start: string;
  searchPatient: string;
  search: string;
  save: string;
  saved: string;
  confirmed: string;
  bookings: RegExp;
};

export const hungarian: FlowLabels = {
  username: 'Felhasználónév',
  password: 'Jelszó',
  logIn: 'Bejelentkezés',
  tile: /Foglalás partnernek/,
  title: 'Foglalás partnernek',
  partner: 'Partner',
  institution: 'Intézmény',
  qualification: 'Szakterület',
  doctor: 'Orvos',
  service: 'Szolgáltatás',
  show: 'Megjelenítés',
  nextWeek: /Következő hét/,
  free: /^Szabad: \d\d:\d\d$/,
  start: 'Foglalás indítása',
  searchPatient: 'Páciens keresése',
  search: 'Keresés',
  save: 'Mentés',
  saved: 'A foglalást elmentettük.',
  confirmed: 'A foglalás visszaigazolva',
  bookings: /^Foglalások/,
};

export const romanian: FlowLabels = {
  username: 'Nume de utilizator',
  password: 'Parolă',
  logIn: 'Autentificare',
  tile: /Programare pentru partener/,
  title: 'Programare pentru partener',
  partner: 'Partener',
  institution: 'Instituție',
  qualification: 'Specialitate',
  doctor: 'Medic',
  service: 'Serviciu',
  show: 'Afișează',
  nextWeek: /Săptămâna următoare/,
  free: /^Liber \d\d:\d\d$/,
  start: 'Începe rezervarea',
  searchPatient: 'Caută pacient',
  search: 'Caută',
  save: 'Salvează',
  saved: 'Programarea a fost salvată.',
  confirmed: 'Programare confirmată',
  bookings: /^Programări/,
};

/** Spaces as a person reads them: Intl writes no-break spaces in "38 000 Ft". */
export const plainSpaces = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

async function nextSettle(page: Page): Promise<void> {
  const settled = await page.evaluate(
    () =>
      new Promise<boolean>((resolve) => {
        document.body.addEventListener('htmx:afterSettle', () => resolve(true), { once: true });
        setTimeout(() => resolve(false), 15000);
      }),
  );
  if (!settled) throw new Error('htmx did not swap the page (no htmx:afterSettle)');
}

/** Logs in by the login page's labels in the browser's language. */
export async function loginIn(page: Page, l: FlowLabels, username: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel(l.username, { exact: true }).fill(username);
  await page.getByLabel(l.password, { exact: true }).fill(demoPassword);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/login')),
    page.getByRole('button', { name: l.logIn }).click(),
  ]);
}

/** Chooses in the select labelled `label`: htmx narrows the form, or the Show button sends it. */
export async function chooseIn(page: Page, l: FlowLabels, label: string, option: string, js: boolean) {
  const select = page.getByLabel(label, { exact: true });
  const current = await select.evaluate(
    (el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent?.trim() ?? '',
  );
  if (current === option) return;
  if (js) {
    const settled = nextSettle(page);
    await select.selectOption({ label: option });
    await settled;
  } else {
    await select.selectOption({ label: option });
    await Promise.all([
      page.waitForLoadState('load'),
      page.getByRole('button', { name: l.show, exact: true }).click(),
    ]);
    await page.waitForLoadState('load');
  }
}

/** Moves to the next week while this one has no free slot, then picks the first; returns its label. */
export async function pickFreeIn(page: Page, l: FlowLabels, js: boolean): Promise<string> {
  const free = page.getByRole('radio', { name: l.free });
  for (let week = 0; week < 3 && (await free.count()) === 0; week++) {
    const settled = js ? nextSettle(page) : Promise.resolve();
    await page.getByRole('link', { name: l.nextWeek }).first().click();
    await settled;
    await page.waitForLoadState('load');
  }
  const label = (await free
    .first()
    .evaluate((el) => (el as HTMLInputElement).labels![0].textContent))!.trim();
  await page.getByText(label, { exact: true }).first().click();
  expect(await free.first().isChecked()).toBe(true);
  return label;
}

export async function startIn(page: Page, l: FlowLabels): Promise<void> {
  await Promise.all([
    page.waitForURL(/\/reservations\/[\w-]+/),
    page.getByRole('button', { name: l.start }).click(),
  ]);
  await page.waitForLoadState('load');
}

export async function searchIn(page: Page, l: FlowLabels, query: string, js: boolean): Promise<void> {
  const field = page.getByLabel(l.searchPatient, { exact: true });
  if (js) {
    const results = page.waitForResponse(
      (r) => r.url().includes('q=') && r.request().headers()['hx-request'] === 'true',
    );
    await field.fill(query);
    await results;
    await htmxSettled(page);
  } else {
    await field.fill(query);
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/search')),
      page.getByRole('button', { name: l.search, exact: true }).click(),
    ]);
    await page.waitForLoadState('load');
  }
}

/** Save; the confirmation shows. Returns the booking id. */
export async function saveIn(page: Page, l: FlowLabels): Promise<number> {
  await Promise.all([
    page.waitForURL(/\/booking\/confirmation\/\d+/),
    page.getByRole('button', { name: l.save, exact: true }).click(),
  ]);
  await page.waitForLoadState('load');
  expect(await page.getByText(l.saved).count()).toBe(1);
  return Number(/confirmation\/(\d+)/.exec(page.url())![1]);
}
