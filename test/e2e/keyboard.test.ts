/**
 * Keyboard-only booking: from the calendar to the confirmation with Tab, Space, Enter, arrow keys
 * and typing, nothing else. Each control we act on must show a visible focus indicator.
 */
import type { Page } from 'playwright-core';
import { browserProblems, loggedInPage, withScreenshot } from './support/browser';
import { alfaCardiology, openCalendar } from './support/flow';
import { useE2E } from './support/suite';

const e2e = useE2E();

type Focused = { tag: string; type: string; name: string; text: string; outline: string };

/** What has the keyboard focus now (read-only: the test never clicks). */
function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return { tag: '', type: '', name: '', text: '', outline: 'none' };
    const input = el as HTMLInputElement;
    const label = input.labels?.[0]?.textContent ?? '';
    const style = getComputedStyle(el);
    return {
      tag: el.tagName.toLowerCase(),
      type: input.type ?? '',
      name: input.name ?? '',
      text: (label || el.textContent || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' '),
      outline:
        style.outlineStyle === 'none' || style.outlineWidth === '0px'
          ? 'none'
          : `${style.outlineStyle} ${style.outlineWidth}`,
    };
  });
}

/** Presses Tab until the focused element matches; fails after `max` presses. */
async function tabTo(page: Page, match: (f: Focused) => boolean, what: string, max = 150): Promise<Focused> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (match(f)) {
      // The focus must be visible to a sighted keyboard user.
      expect({ what, outline: f.outline }).not.toEqual({ what, outline: 'none' });
      return f;
    }
  }
  throw new Error(`Tab never reached ${what}`);
}

describe('keyboard-only booking', () => {
  test('Tab, Space, Enter and typing take desk from the calendar through Start the reservation, patient choice and Save', async () => {
    const { context, page } = await loggedInPage(e2e.browser, e2e.server.url, 'desk');
    await withScreenshot(page, async () => {
      // Reach the calendar, then start over from its URL: everything after this is keyboard only.
      await openCalendar(page, alfaCardiology, true);
      await page.goto(page.url());

      // The first stop is the skip link.
      await page.keyboard.press('Tab');
      expect((await focused(page)).text).toBe('Skip to content');

      const slot = await tabTo(page, (f) => f.type === 'radio' && f.name === 'slot', 'a free slot');
      expect(slot.text).toMatch(/^Free \d\d:\d\d$/);
      await page.keyboard.press('Space');
      expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).checked)).toBe(true);

      await tabTo(
        page,
        (f) => f.tag === 'button' && f.text === 'Start the reservation',
        'Start the reservation',
      );
      await Promise.all([page.waitForURL(/\/reservations\/[\w-]+/), page.keyboard.press('Enter')]);

      await tabTo(page, (f) => f.tag === 'input' && f.text === 'Search patient', 'Search patient');
      const results = page.waitForResponse(
        (r) => r.url().includes('q=') && r.request().headers()['hx-request'] === 'true',
      );
      await page.keyboard.type('kovacs', { delay: 30 });
      await results;
      await page.waitForSelector('input[name="patient_id"]');

      // Into the results (one radio group): arrow keys move between patients and choose.
      let patient = await tabTo(
        page,
        (f) => f.type === 'radio' && f.name === 'patient_id',
        'the patient results',
      );
      for (let i = 0; i < 10 && !patient.text.startsWith('János Kovács, born 1968'); i++) {
        await page.keyboard.press('ArrowDown');
        patient = await focused(page);
      }
      expect(patient.text).toMatch(/^János Kovács, born 1968-03-14/);
      await page.keyboard.press('Space');
      expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).checked)).toBe(true);

      await tabTo(page, (f) => f.tag === 'button' && f.text === 'Save', 'Save');
      await Promise.all([page.waitForURL(/\/booking\/confirmation\/\d+/), page.keyboard.press('Enter')]);
      expect(await page.getByText('The booking is saved.').count()).toBe(1);
      const facts = await page.locator('dl.facts').innerText();
      expect(facts).toContain('János Kovács');
      expect(facts).toContain('Alfa Health Insurance');
      expect(facts).toContain(slot.text.replace('Free ', ''));
    });
    expect(browserProblems(context)).toEqual([]);
    await context.close();
  }, 150000);
});
