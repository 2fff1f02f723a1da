/**
 * Partner contracts in a real browser (issue 17): the administrator, with JavaScript off (plain
 * forms), gives Alfa's Cardiology consultation at Buda validity dates (a bad range is refused
 * beside the field first), an allotment of 40 a month and Dr. Péter Nagy's weekdays as a reserved
 * block; then Alfa sees what is left of the allotment, the dates, and the block's slots as free,
 * and Beta sees those slots as "Reserved for another partner" (never Alfa's name) and gets no "left" line.
 * Screenshots of each step go to /tmp/shots/contract-*.png.
 */
import fs from 'node:fs';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { browserProblems, loggedInPage, withScreenshot } from './support/browser';
import { alfaCardiology, choose, openCalendar } from './support/flow';
import { useE2E } from './support/suite';
import { describeViolations, seriousViolations } from './support/axe';

const e2e = useE2E();
const shots = '/tmp/shots';

/** Serious or critical accessibility problems (axe-core) of every page shot, listed at the end. */
const axeFound: string[] = [];

async function shot(page: Page, name: string, audit = true) {
  if (audit) axeFound.push(...describeViolations(name, await seriousViolations(page)));
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: `${shots}/contract-${name}.png`, fullPage: true });
}

/** The demo clinic's dates are relative to the day it was loaded: today at Buda. */
const today = DateTime.now().setZone('Europe/Budapest');
const iso = (d: DateTime) => d.toISODate()!;

test('admin sets validity, an allotment and a reserved block; alfa sees what is left and the block free; beta sees it reserved', async () => {
  const validFrom = iso(today.minus({ days: 1 }));
  const validTo = iso(today.plus({ days: 60 }));

  const admin = await loggedInPage(e2e.browser, e2e.server.url, 'admin', { javaScriptEnabled: false });
  const page = admin.page;
  await withScreenshot(page, async () => {
    // Traffic channels -> Buda -> the Dates link of Alfa's Cardiology consultation cell.
    await page.goto('/settings');
    await page
      .getByRole('link', { name: /Traffic channels/ })
      .first()
      .click();
    await page.getByLabel('Institution').selectOption({ label: 'Buda Health Centre' });
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Show' }).click()]);
    await page
      .getByRole('link', { name: 'Dates Cardiology consultation via Alfa Health Insurance', exact: true })
      .click();
    await page.getByLabel('Valid from').fill(validTo);
    await page.getByLabel('Valid to').fill(validFrom);
    await page.getByRole('button', { name: 'Save' }).first().click();
    await page.waitForLoadState('load');
    // Refused beside the field, the typed dates kept.
    expect(await page.locator('#valid_to-error').innerText()).toBe(
      'The end date must not be before the start date.',
    );
    await shot(page, '1-validity-refused', false);
    await page.getByLabel('Valid from').fill(validFrom);
    await page.getByLabel('Valid to').fill(validTo);
    await page.locator('#validity').getByRole('button', { name: 'Save' }).click();
    await page.waitForLoadState('load');
    expect(await page.getByText('Saved.').count()).toBeGreaterThan(0);
    expect(await page.locator('table.matrix').innerText()).toContain(`${validFrom} – ${validTo}`);
    await shot(page, '2-validity-saved', false);

    // Settings -> Allotments: 40 a month.
    await page.getByRole('link', { name: 'Allotments', exact: true }).first().click();
    await page.getByLabel('Partner').selectOption({ label: 'Alfa Health Insurance' });
    await page.getByLabel('Institution').selectOption({ label: 'Buda Health Centre' });
    await page.getByLabel('Service or qualification').selectOption({ label: 'Cardiology consultation' });
    await page.getByLabel('Period').selectOption({ label: 'Month' });
    await page.getByLabel('Bookings at most').fill('40');
    await page.getByRole('button', { name: 'Add allotment' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('table').innerText()).toContain('Cardiology consultation');
    await shot(page, '3-allotment', false);

    // Settings -> Reserved blocks: Dr. Nagy's weekdays for four weeks, released 1 day before.
    await page.getByRole('link', { name: 'Reserved blocks', exact: true }).first().click();
    await page.getByLabel('Partner').selectOption({ label: 'Alfa Health Insurance' });
    await page.getByLabel('Institution').selectOption({ label: 'Buda Health Centre' });
    await page.getByLabel('Doctor').selectOption({ label: 'Dr. Péter Nagy' });
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'])
      await page.getByLabel(day, { exact: true }).check();
    await page.getByLabel('From (time)').fill('00:00');
    await page.getByLabel('To (time)').fill('23:59');
    await page.getByLabel('First day').fill(iso(today));
    await page.getByLabel('Last day').fill(iso(today.plus({ days: 27 })));
    await page.getByLabel('Release before the slot').fill('1');
    await page.getByLabel('Unit').selectOption({ label: 'days' });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('table').innerText()).toContain('Dr. Péter Nagy');
    await shot(page, '4-reserved-block', false);
  });
  // The one 422 is the refused date range, on purpose.
  expect(browserProblems(admin.context).filter((p) => !/validity: .*status of 422/.test(p))).toEqual([]);
  await admin.context.close();

  // Alfa (JavaScript on): what is left, the validity, and the block's slots free to book.
  const alfa = await loggedInPage(e2e.browser, e2e.server.url, 'alfa');
  await withScreenshot(alfa.page, async () => {
    await openCalendar(alfa.page, { ...alfaCardiology, partner: undefined }, true);
    const text = await alfa.page.locator('#booking-choice').innerText();
    expect(text).toMatch(/\d+ of 40 left in \w+ \d{4}/);
    expect(text).toContain(`Enabled for Alfa Health Insurance from ${validFrom} to ${validTo}.`);
    expect(text).not.toContain('Reserved for');
    expect(await alfa.page.getByRole('radio', { name: /^Free\b/ }).count()).toBeGreaterThan(0);
    await shot(alfa.page, '5-alfa-calendar');
  });
  expect(browserProblems(alfa.context)).toEqual([]);
  await alfa.context.close();

  // Beta (JavaScript on): Dr. Nagy's ECG at Buda: the block's slots are reserved for Alfa.
  const beta = await loggedInPage(e2e.browser, e2e.server.url, 'beta');
  await withScreenshot(beta.page, async () => {
    const p = beta.page;
    await p.goto('/');
    await p.getByRole('link', { name: /Book to partner/ }).click();
    await p.waitForLoadState('load');
    await choose(p, 'Institution', 'Buda Health Centre', true);
    await choose(p, 'Doctor', 'Dr. Péter Nagy', true);
    await choose(p, 'Service', 'ECG', true);
    // Next week: every weekday slot is more than a day ahead, so all of them are held for Alfa.
    const swapped = p.evaluate(
      () =>
        new Promise<void>((resolve) =>
          document.body.addEventListener('htmx:afterSettle', () => resolve(), { once: true }),
        ),
    );
    await p
      .getByRole('link', { name: /next week/i })
      .first()
      .click();
    await swapped;
    const text = await p.locator('#booking-choice').innerText();
    expect(text).toMatch(/\d\d:\d\d Reserved for another partner/);
    expect(text).not.toContain('Alfa');
    expect(text).not.toMatch(/left in/);
    expect(text).not.toContain('Enabled for');
    const weekdaysFree = await p
      .locator('.week .day')
      .evaluateAll((days) =>
        days.slice(0, 5).reduce((n, d) => n + d.querySelectorAll('input[name="slot"]').length, 0),
      );
    expect(weekdaysFree).toBe(0);
    await shot(p, '6-beta-calendar');
  });
  expect(browserProblems(beta.context)).toEqual([]);
  await beta.context.close();
  // The administrator's pages with JavaScript on, for axe (it cannot run in a page without it).
  const again = await loggedInPage(e2e.browser, e2e.server.url, 'admin');
  await withScreenshot(again.page, async () => {
    const p = again.page;
    for (const path of ['/settings/allotments', '/settings/reserved-blocks']) {
      await p.goto(path);
      axeFound.push(...describeViolations(path, await seriousViolations(p)));
    }
    await p.goto('/settings/traffic-channels');
    await p.getByLabel('Institution').selectOption({ label: 'Buda Health Centre' });
    await p.getByRole('button', { name: 'Show' }).click();
    await p
      .getByRole('link', { name: 'Dates Cardiology consultation via Alfa Health Insurance', exact: true })
      .click();
    await p.waitForLoadState('load');
    expect(await p.getByLabel('Valid from').inputValue()).toBe(validFrom);
    axeFound.push(...describeViolations('validity form', await seriousViolations(p)));
  });
  await again.context.close();
  expect(axeFound).toEqual([]);
}, 240000);
