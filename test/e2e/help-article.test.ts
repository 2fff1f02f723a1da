/**
 * The help article's administrator steps, in the browser: grant "Partner booking" in the Admin
 * users menu and the tile appears; untick a service in the partner's column under Traffic
 * channels and the partner can no longer choose it.
 */
import type { Page } from 'playwright-core';
import { login, loggedInPage, newContext, withScreenshot } from './support/browser';
import { alfaCardiology, openCalendar } from './support/flow';
import { useE2E } from './support/suite';

const e2e = useE2E();

async function tileNames(page: Page): Promise<string[]> {
  await page.goto('/');
  return (await page.locator('.tiles a strong').allInnerTexts()).map((t) => t.trim());
}

/** The services alfa may choose at Buda for Cardiology, read from the Service select. */
async function alfaServices(page: Page): Promise<string[]> {
  await openCalendar(
    page,
    { ...alfaCardiology, partner: undefined, doctor: 'Dr. Anna Kovács', service: 'Cardiac ultrasound' },
    true,
  );
  return (await page.getByLabel('Service', { exact: true }).locator('option').allInnerTexts()).map((t) =>
    t.trim(),
  );
}

describe('the help article, administrator side', () => {
  for (const js of [true, false]) {
    test(`granting Partner booking in Admin users shows the Book to partner tile (${js ? 'htmx' : 'no JavaScript'})`, async () => {
      const viewer = await newContext(e2e.browser, e2e.server.url);
      const viewerPage = await viewer.newPage();
      const { context, page } = await loggedInPage(e2e.browser, e2e.server.url, 'admin', {
        javaScriptEnabled: js,
      });
      await withScreenshot(page, async () => {
        const username = js ? 'viewer' : 'beta';
        if (!js) {
          // beta is a partner user: take the grant away first so there is something to grant.
          await page.goto('/admin/users');
          await page.getByRole('link', { name: username, exact: true }).click();
          await page.getByLabel('Partner booking', { exact: true }).uncheck();
          await Promise.all([
            page.waitForURL(/\/admin\/users\/\d+$/),
            page.getByRole('button', { name: 'Save', exact: true }).click(),
          ]);
        }
        await login(viewerPage, username);
        expect(await tileNames(viewerPage)).not.toContain('Book to partner');

        await page.goto('/');
        await page.getByRole('link', { name: /Admin users/ }).click();
        await page.getByRole('link', { name: username, exact: true }).click();
        const permission = page.getByLabel('Partner booking', { exact: true });
        expect(await permission.isChecked()).toBe(false);
        await permission.check();
        await Promise.all([
          page.waitForURL(/\/admin\/users\/\d+$/),
          page.waitForLoadState('load'),
          page.getByRole('button', { name: 'Save', exact: true }).click(),
        ]);
        await page.waitForLoadState('load');
        // The page is already at /admin/users/N: wait for the answer to the Save itself.
        await page.getByText('The changes were saved.').waitFor();
        expect(await page.getByLabel('Partner booking', { exact: true }).isChecked()).toBe(true);

        // The same session sees the tile on its next page.
        expect(await tileNames(viewerPage)).toContain('Book to partner');
        await viewerPage.getByRole('link', { name: /Book to partner/ }).click();
        expect(await viewerPage.getByRole('heading', { name: 'Book to partner' }).count()).toBe(1);
      });
      await context.close();
      await viewer.close();
    }, 150000);
  }

  test('unticking a service in the partner\u2019s Traffic channels column hides it from the partner; ticking brings it back', async () => {
    const partner = await loggedInPage(e2e.browser, e2e.server.url, 'alfa');
    const { context, page } = await loggedInPage(e2e.browser, e2e.server.url, 'admin');
    await withScreenshot(page, async () => {
      expect(await alfaServices(partner.page)).toContain('Cardiac ultrasound');

      await page.goto('/');
      await page
        .getByRole('link', { name: /Traffic channels/ })
        .first()
        .click();
      await page.getByLabel('Institution', { exact: true }).selectOption({ label: 'Buda Health Centre' });
      await page.getByRole('button', { name: 'Show', exact: true }).click();
      const cell = page.getByLabel('Cardiac ultrasound via Alfa Health Insurance', { exact: true });
      expect(await cell.isChecked()).toBe(true);
      // With JavaScript each tick is saved at once.
      await cell.uncheck();
      await page.getByText('Unticked, saved').waitFor();

      await openCalendar(
        partner.page,
        {
          ...alfaCardiology,
          partner: undefined,
          doctor: 'Dr. Anna Kovács',
          service: 'Cardiology consultation',
        },
        true,
      );
      const options = (
        await partner.page.getByLabel('Service', { exact: true }).locator('option').allInnerTexts()
      ).map((t) => t.trim());
      expect(options).toContain('Cardiology consultation');
      expect(options).not.toContain('Cardiac ultrasound');

      // Without JavaScript the whole matrix is saved with its Save button.
      const plain = await loggedInPage(e2e.browser, e2e.server.url, 'admin', { javaScriptEnabled: false });
      await plain.page.goto(page.url());
      const again = plain.page.getByLabel('Cardiac ultrasound via Alfa Health Insurance', { exact: true });
      expect(await again.isChecked()).toBe(false);
      await again.check();
      await Promise.all([
        plain.page.waitForEvent('load'),
        plain.page.getByRole('button', { name: 'Save', exact: true }).click(),
      ]);
      expect(
        await plain.page
          .getByLabel('Cardiac ultrasound via Alfa Health Insurance', { exact: true })
          .isChecked(),
      ).toBe(true);
      await plain.context.close();
      expect(await alfaServices(partner.page)).toContain('Cardiac ultrasound');
    });
    await partner.context.close();
    await context.close();
  }, 150000);
});
