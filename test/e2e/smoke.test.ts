import { loggedInPage, newContext, withScreenshot } from './support/browser';
import { seriousViolations, describeViolations } from './support/axe';
import { useE2E } from './support/suite';

const e2e = useE2E();

describe('login and home in a real browser', () => {
  test('the login page has no serious accessibility problems', async () => {
    const context = await newContext(e2e.browser, e2e.server.url);
    const page = await context.newPage();
    await withScreenshot(page, async () => {
      await page.goto('/login');
      expect(await page.title()).toContain('Log in');
      expect(describeViolations('/login', await seriousViolations(page))).toEqual([]);
    });
    await context.close();
  });

  test('desk sees the Book to partner tile after logging in', async () => {
    const { context, page } = await loggedInPage(e2e.browser, e2e.server.url, 'desk');
    await withScreenshot(page, async () => {
      await expect(page.getByRole('link', { name: /Book to partner/ }).count()).resolves.toBe(1);
      expect(describeViolations('/', await seriousViolations(page))).toEqual([]);
    });
    await context.close();
  });
});
