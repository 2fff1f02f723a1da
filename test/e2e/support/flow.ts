/**
 * The partner booking flow, step by step, the way a person does it: by the visible labels and
 * button names from the help article. Works with JavaScript on (htmx swaps) and off (plain forms).
 */
import { expect } from '@jest/globals';
import type { Page } from 'playwright-core';

export type Choice = { institution: string; partner?: string; qualification: string; doctor: string; service: string };

/** The demo clinic's Alfa booking at Buda: Dr. Péter Nagy works there Monday to Friday. */
export const alfaCardiology: Choice = {
  institution: 'Buda Health Centre',
  partner: 'Alfa Health Insurance',
  qualification: 'Cardiology',
  doctor: 'Dr. Péter Nagy',
  service: 'Cardiology consultation',
};

/** Resolves when htmx has swapped and settled the next response (or after the timeout). */
function nextHtmxSettle(page: Page, timeoutMs = 8000): Promise<unknown> {
  return page.evaluate(
    (ms) =>
      new Promise<void>((resolve) => {
        const done = () => resolve();
        document.body.addEventListener('htmx:afterSettle', done, { once: true });
        setTimeout(done, ms);
      }),
    timeoutMs,
  );
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
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Show', exact: true }).click()]);
  }
}

/** From the home page: the Book to partner tile, then every choice by its label. */
export async function openCalendar(page: Page, choice: Choice, js: boolean): Promise<void> {
  await page.goto('/');
  await page.getByRole('link', { name: /Book to partner/ }).click();
  await page.waitForLoadState('load');
  await choose(page, 'Institution', choice.institution, js);
  if (choice.partner && (await page.getByLabel('Partner', { exact: true }).count()) > 0) await choose(page, 'Partner', choice.partner, js);
  await choose(page, 'Qualification', choice.qualification, js);
  await choose(page, 'Doctor', choice.doctor, js);
  await choose(page, 'Service', choice.service, js);
}

const freeSlot = (page: Page) => page.getByRole('radio', { name: /^Free\b/ });

/** Picks the first green "Free" slot, moving to the next week if this one has none. Returns its label. */
export async function pickFreeSlot(page: Page, js: boolean): Promise<string> {
  for (let week = 0; week < 3 && (await freeSlot(page).count()) === 0; week++) {
    const settled = js ? nextHtmxSettle(page) : Promise.resolve();
    await page.getByRole('link', { name: /next week/i }).first().click();
    await settled;
    await page.waitForLoadState('load');
  }
  const slot = freeSlot(page).first();
  const label = (await slot.evaluate((el) => (el as HTMLInputElement).labels?.[0]?.textContent ?? '')).trim();
  // Green is never the only signal, but it is there: the label carries the free-slot colour.
  await slot.check();
  expect(await slot.isChecked()).toBe(true);
  return label;
}
