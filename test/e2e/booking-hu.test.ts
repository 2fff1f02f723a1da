/**
 * The help article's booking flow in Hungarian, in the browser with JavaScript on: the desk user
 * picks Magyar on the Language page, then books for Alfa by the Hungarian labels and buttons
 * (Foglalás partnernek, Intézmény, ..., a "Szabad" slot, Foglalás indítása, Páciens keresése,
 * Mentés) and reads the confirmation in Hungarian. The user's language is set back at the end.
 */
import type { Page } from 'playwright-core';
import { browserProblems, loggedInPage, withScreenshot } from './support/browser';
import { useE2E } from './support/suite';

const e2e = useE2E();

async function setLanguage(page: Page, value: string, save: string): Promise<void> {
  await page.goto('/account/language');
  await page.locator('#language').selectOption(value);
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: save }).click()]);
  await page.waitForLoadState('load');
}

/** Resolves true when htmx has swapped and settled the next response. */
function nextSettle(page: Page): Promise<boolean> {
  return page.evaluate(
    () =>
      new Promise<boolean>((resolve) => {
        document.body.addEventListener('htmx:afterSettle', () => resolve(true), { once: true });
        setTimeout(() => resolve(false), 15000);
      }),
  );
}

/** Chooses in a select by its Hungarian label; htmx redraws the form (one swap per change). */
async function choose(page: Page, label: string, option: string): Promise<void> {
  const select = page.getByLabel(label, { exact: true });
  const current = await select.evaluate((el) =>
    (el as HTMLSelectElement).selectedOptions[0]?.textContent?.trim(),
  );
  if (current === option) return;
  const settled = nextSettle(page);
  await select.selectOption({ label: option });
  expect(await settled).toBe(true);
}

test('desk books for Alfa in Hungarian (JavaScript on)', async () => {
  const { context, page } = await loggedInPage(e2e.browser, e2e.server.url, 'desk');
  await withScreenshot(page, async () => {
    await setLanguage(page, 'hu', 'Save');
    expect(await page.locator('html').getAttribute('lang')).toBe('hu');
    try {
      await page.goto('/');
      await page.getByRole('link', { name: /Foglalás partnernek/ }).click();
      await page.waitForLoadState('load');
      expect(await page.getByRole('heading', { name: 'Foglalás partnernek' }).count()).toBe(1);
      await choose(page, 'Partner', 'Alfa Health Insurance');
      await choose(page, 'Intézmény', 'Buda Health Centre');
      await choose(page, 'Szakterület', 'Cardiology');
      await choose(page, 'Orvos', 'Dr. Nagy Péter');
      await choose(page, 'Szolgáltatás', 'Cardiology consultation');
      const free = page.getByRole('radio', { name: /^Szabad: \d\d:\d\d$/ });
      for (let week = 0; week < 3 && (await free.count()) === 0; week++) {
        const settled = nextSettle(page);
        await page.getByRole('link', { name: /Következő hét/ }).click();
        expect(await settled).toBe(true);
      }
      const label = (await free
        .first()
        .evaluate((el) => (el as HTMLInputElement).labels![0].textContent))!.trim();
      await page.getByText(label, { exact: true }).first().click();
      await Promise.all([
        page.waitForURL(/\/reservations\/[\w-]+/),
        page.getByRole('button', { name: 'Foglalás indítása' }).click(),
      ]);
      expect(await page.getByRole('heading', { name: 'Páciens', exact: true }).count()).toBe(1);
      expect(await page.locator('#hold-time').innerText()).toMatch(
        /^Lefoglalva eddig: \d\d:\d\d, még \d+ perc van hátra$/,
      );
      expect(await page.locator('dl.facts').innerText()).toContain('Partneres foglalás');

      const results = page.waitForResponse(
        (r) => r.url().includes('q=') && r.request().headers()['hx-request'] === 'true',
      );
      await page.getByLabel('Páciens keresése', { exact: true }).fill('kovacs');
      await results;
      const radio = page.getByRole('radio', { name: /^Kovács János\b/ });
      await radio.check();
      await Promise.all([
        page.waitForURL(/\/booking\/confirmation\/\d+/),
        page.getByRole('button', { name: 'Mentés', exact: true }).click(),
      ]);
      expect(await page.getByRole('heading', { name: 'A foglalás visszaigazolva' }).count()).toBe(1);
      expect(await page.getByText('A foglalást elmentettük.').count()).toBe(1);
      const facts = await page.locator('dl.facts').innerText();
      expect(facts).toContain('Kovács János');
      expect(facts).toContain('Dr. Nagy Péter');
      expect(facts).toContain(label.replace('Szabad: ', ''));
      expect(facts).toMatch(/Dátum\s+\d{4}\. \d\d\. \d\d\./);
      expect(facts).toMatch(/Ár\s+[\d\s\u00a0]+Ft/);
      expect(await page.title()).toBe('A foglalás visszaigazolva · Klinikai időpontfoglalás');
    } finally {
      await setLanguage(page, '', 'Mentés');
    }
  });
  expect(browserProblems(context)).toEqual([]);
  await context.close();
}, 150000);
