/**
 * The partner booking flow, step by step, the way a person does it: by the visible labels and
 * button names from the help article. Works with JavaScript on (htmx swaps) and off (plain forms).
 */
import { expect } from '@jest/globals';
import type { Page } from 'playwright-core';
import { htmxSettled } from './browser';

export type Choice = {
  institution: string;
  partner?: string;
  qualification: string;
  doctor: string;
  service: string;
};

/** The demo clinic's Alfa booking at Buda: Dr. Péter Nagy works there Monday to Friday. */
export const alfaCardiology: Choice = {
  institution: 'Buda Health Centre',
  partner: 'Alfa Health Insurance',
  qualification: 'Cardiology',
  doctor: 'Dr. Péter Nagy',
  service: 'Cardiology consultation',
};

/** Resolves when htmx has swapped and settled the next response; rejects if htmx never does. */
async function nextHtmxSettle(page: Page, timeoutMs = 15000): Promise<void> {
  const settled = await page.evaluate(
    (ms) =>
      new Promise<boolean>((resolve) => {
        document.body.addEventListener('htmx:afterSettle', () => resolve(true), { once: true });
        setTimeout(() => resolve(false), ms);
      }),
    timeoutMs,
  );
  if (!settled) throw new Error('htmx did not swap the page (no htmx:afterSettle)');
}

/**
 * Chooses an option in the select labelled `label`. With JavaScript the form narrows itself
 * (htmx); without it, the "Show" button sends the plain GET form.
 */
export async function choose(page: Page, label: string, option: string, js: boolean): Promise<void> {
  const select = page.getByLabel(label, { exact: true });
  const current = await select.evaluate((el) => {
    const s = el as HTMLSelectElement;
    return s.selectedOptions[0]?.textContent?.trim() ?? '';
  });
  if (current === option) return;
  if (js) {
    const settled = nextHtmxSettle(page);
    await select.selectOption({ label: option });
    await settled;
  } else {
    await select.selectOption({ label: option });
    await Promise.all([
      page.waitForLoadState('load'),
      page.getByRole('button', { name: 'Show', exact: true }).click(),
    ]);
  }
}

/** From the home page: the Book to partner tile, then every choice by its label. */
export async function openCalendar(page: Page, choice: Choice, js: boolean): Promise<void> {
  await page.goto('/');
  await page.getByRole('link', { name: /Book to partner/ }).click();
  await page.waitForLoadState('load');
  if (js)
    await page.evaluate(() => ((window as unknown as { e2eSameDocument?: boolean }).e2eSameDocument = true));
  // Clinic staff choose the partner; a partner user's partner is fixed (no select).
  if (choice.partner && (await page.getByLabel('Partner', { exact: true }).count()) > 0)
    await choose(page, 'Partner', choice.partner, js);
  await choose(page, 'Institution', choice.institution, js);
  await choose(page, 'Qualification', choice.qualification, js);
  await choose(page, 'Doctor', choice.doctor, js);
  await choose(page, 'Service', choice.service, js);
  // With JavaScript every choice was an htmx swap in this same document, not a page load.
  if (js)
    expect(
      await page.evaluate(() => (window as unknown as { e2eSameDocument?: boolean }).e2eSameDocument),
    ).toBe(true);
  // Whatever today is, the calendar shown has a free slot to book.
  await showWeekWithFreeSlot(page, js);
}

const freeSlot = (page: Page) => page.getByRole('radio', { name: /^Free\b/ });

/**
 * Moves to the next week while this one has no free slot (at most three weeks): on a Saturday or
 * Sunday the demo doctors' current week is over. The URL then names the week shown.
 */
export async function showWeekWithFreeSlot(page: Page, js: boolean): Promise<void> {
  for (let week = 0; week < 3 && (await freeSlot(page).count()) === 0; week++) {
    const settled = js ? nextHtmxSettle(page) : Promise.resolve();
    await page
      .getByRole('link', { name: /next week/i })
      .first()
      .click();
    await settled;
    await page.waitForLoadState('load');
  }
}

/** Picks the first green "Free" slot, moving to the next week if this one has none. Returns its label. */
export async function pickFreeSlot(page: Page, js: boolean): Promise<string> {
  await showWeekWithFreeSlot(page, js);
  const slot = freeSlot(page).first();
  const { label, background } = await slot.evaluate((el) => {
    const l = (el as HTMLInputElement).labels![0];
    return { label: (l.textContent ?? '').trim(), background: getComputedStyle(l).backgroundColor };
  });
  // Green, and it says "Free" in words too (colour is never the only signal).
  expect(label).toMatch(/^Free \d\d:\d\d$/);
  expect(isGreen(background)).toBe(true);
  await page.getByText(label, { exact: true }).first().click();
  expect(await slot.isChecked()).toBe(true);
  return label;
}

function isGreen(cssColour: string): boolean {
  const [r, g, b] = (cssColour.match(/\d+/g) ?? []).map(Number);
  return g > r + 10 && g > b + 10;
}

/** Start the reservation: the hold is placed and the patient dialog opens. */
export async function startReservation(page: Page): Promise<void> {
  await Promise.all([
    page.waitForURL(/\/reservations\/[\w-]+/),
    page.getByRole('button', { name: 'Start the reservation' }).click(),
  ]);
  await expect(page.getByRole('heading', { name: 'Patient', exact: true }).count()).resolves.toBe(1);
}

/** Types in Search patient; htmx fills the results as you type, without JS the Search button does. */
export async function searchPatient(page: Page, query: string, js: boolean): Promise<void> {
  const field = page.getByLabel('Search patient', { exact: true });
  if (js) {
    const results = page.waitForResponse(
      (r) => r.url().includes('q=') && r.request().headers()['hx-request'] === 'true',
    );
    await field.fill(query);
    await results;
    await htmxSettled(page);
  } else {
    await field.fill(query);
    // Search posts the whole patient step (so nothing typed is lost) and the dialog comes back.
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/search')),
      page.getByRole('button', { name: 'Search', exact: true }).click(),
    ]);
    await page.waitForLoadState('load');
  }
}

export async function choosePatient(page: Page, name: RegExp): Promise<void> {
  const radio = page.getByRole('radio', { name });
  await radio.check();
  expect(await radio.isChecked()).toBe(true);
}

export type NewPatient = {
  family: string;
  given: string;
  birthDate: string;
  idType: 'TAJ (social security number)' | 'Passport number';
  idNumber: string;
  phone?: string;
  email?: string;
};

/** Fills the Add new patient form by its labels and submits it; the dialog comes back with the patient chosen. */
export async function addNewPatient(page: Page, p: NewPatient): Promise<void> {
  await page.getByLabel('Family name', { exact: true }).fill(p.family);
  await page.getByLabel('Given name', { exact: true }).fill(p.given);
  await page.getByLabel('Date of birth', { exact: true }).fill(p.birthDate);
  await page.getByLabel('Identifier type', { exact: true }).selectOption({ label: p.idType });
  await page.getByLabel('Identifier', { exact: true }).fill(p.idNumber);
  if (p.phone) await page.getByLabel('Phone', { exact: true }).fill(p.phone);
  if (p.email) await page.getByLabel('E-mail', { exact: true }).fill(p.email);
  await Promise.all([
    page.waitForLoadState('load'),
    page.waitForResponse(
      (r) => r.request().method() === 'POST' && /\/patients$/.test(new URL(r.url()).pathname),
    ),
    page.getByRole('button', { name: 'Add new patient' }).click(),
  ]);
  await page.waitForLoadState('load');
}

/** Save: the booking is created and the confirmation shows. Returns the booking id. */
export async function save(page: Page): Promise<number> {
  await Promise.all([
    page.waitForURL(/\/booking\/confirmation\/\d+/),
    page.getByRole('button', { name: 'Save', exact: true }).click(),
  ]);
  await expect(page.getByText('The booking is saved.').count()).resolves.toBe(1);
  return Number(/confirmation\/(\d+)/.exec(page.url())![1]);
}

/** The booking's row in the bookings list: its text, and whether it carries the Partner booking flag. */
export async function bookingRow(
  page: Page,
  bookingId: number,
): Promise<{ text: string; partnerFlag: boolean }> {
  await Promise.all([
    page.waitForURL(/\/bookings(\?|$)/),
    page.getByRole('link', { name: 'Bookings', exact: true }).click(),
  ]);
  const row = page.locator(`tr[data-booking-id="${bookingId}"]`);
  const text = (await row.innerText()).replace(/\s+/g, ' ');
  const partnerFlag = (await row.getByText('Partner booking', { exact: true }).count()) === 1;
  return { text, partnerFlag };
}
