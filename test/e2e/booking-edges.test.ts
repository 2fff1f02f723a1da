/**
 * What happens around the happy path in a real browser with its back/forward cache on: going
 * Back, two desks racing for one slot, Cancel reservation, and cancelling a booking.
 */
import type { Page } from 'playwright-core';
import { loggedInPage, withScreenshot } from './support/browser';
import {
  alfaCardiology,
  choosePatient,
  openCalendar,
  pickFreeSlot,
  save,
  searchPatient,
  startReservation,
} from './support/flow';
import { useE2E } from './support/suite';

const e2e = useE2E({ bfcache: true });

/** The id of the checked slot radio on a calendar page. */
const checkedSlotId = (page: Page) => page.locator('input[name="slot"]:checked').getAttribute('value');

/** How the calendar shows one slot now: "free" (a radio) or the text of its cell. */
async function slotState(page: Page, slotId: string, time: string): Promise<string> {
  if ((await page.locator(`#s${slotId}`).count()) === 1) return 'free';
  return (await page.locator('li.nb').filter({ hasText: time }).allInnerTexts()).join(' | ') || 'missing';
}

describe('around the booking flow', () => {
  test('Back from the patient dialog, another slot: Start the reservation works again', async () => {
    const { context, page } = await loggedInPage(e2e.browser, e2e.server.url, 'desk');
    await withScreenshot(page, async () => {
      await openCalendar(page, alfaCardiology, true);
      await pickFreeSlot(page, true);
      await startReservation(page);
      // Back restores the calendar from the back/forward cache (no load event).
      await page.goBack({ waitUntil: 'commit' });
      await page.getByRole('button', { name: 'Start the reservation' }).waitFor();
      const another = page.getByRole('radio', { name: /^Free\b/ }).nth(2);
      await another.check();
      const chosen = await checkedSlotId(page);
      await startReservation(page);
      expect(page.url()).toMatch(/\/reservations\//);
      await page.getByRole('button', { name: 'Cancel reservation' }).click();
      await page.waitForURL(/\/partner-booking\?/);
      expect(await slotState(page, chosen!, '')).toBe('free');
    });
    await context.close();
  }, 120000);

  test('two desks pick the same slot: the second is told it was just taken and sees it no longer free', async () => {
    const first = await loggedInPage(e2e.browser, e2e.server.url, 'desk');
    const second = await loggedInPage(e2e.browser, e2e.server.url, 'alfa');
    await withScreenshot(second.page, async () => {
      await openCalendar(first.page, alfaCardiology, true);
      await openCalendar(second.page, { ...alfaCardiology, partner: undefined }, true);
      const secondCalendar = second.page.url();
      const label = await pickFreeSlot(first.page, true);
      const slotId = (await checkedSlotId(first.page))!;
      // Both calendars showed it free; the second desk chooses the same slot.
      await second.page.locator(`label[for="s${slotId}"]`).click();
      await startReservation(first.page);
      await second.page.getByRole('button', { name: 'Start the reservation' }).click();
      await second.page.waitForLoadState('load');
      // The answer is the clear message with a fresh calendar where that slot is held, not free.
      expect(await second.page.getByRole('alert').innerText()).toContain('This slot was just taken');
      expect(await slotState(second.page, slotId, label.replace('Free ', ''))).toMatch(/Held/);
      expect(await second.page.getByRole('radio', { name: /^Free\b/ }).count()).toBeGreaterThan(0);
      // The holder cancels the reservation: the slot is free again for everyone.
      await first.page.getByRole('button', { name: 'Cancel reservation' }).click();
      await first.page.waitForURL(/\/partner-booking\?/);
      expect(await first.page.getByText('The reservation was cancelled and the slot released.').count()).toBe(
        1,
      );
      expect(await slotState(first.page, slotId, '')).toBe('free');
      await second.page.goto(secondCalendar);
      expect(await slotState(second.page, slotId, '')).toBe('free');
    });
    await first.context.close();
    await second.context.close();
  }, 150000);

  test('cancelling a booking with a reason (confirm dialog, htmx) frees its slot', async () => {
    const { context, page } = await loggedInPage(e2e.browser, e2e.server.url, 'desk');
    await withScreenshot(page, async () => {
      await openCalendar(page, alfaCardiology, true);
      await pickFreeSlot(page, true);
      const slotId = (await checkedSlotId(page))!;
      const calendarUrl = page.url();
      await startReservation(page);
      await searchPatient(page, 'szabo', true);
      await choosePatient(page, /^Mária Szabó/);
      const bookingId = await save(page);
      await page.goto(calendarUrl);
      expect(await slotState(page, slotId, '')).not.toBe('free');

      await page.goto(`/bookings/${bookingId}`);
      // Without a reason the form says what is missing.
      await page.getByLabel('Reason for cancellation').fill('   ');
      page.once('dialog', (d) => void d.accept());
      await page.getByRole('button', { name: 'Cancel booking' }).click();
      await page.locator('#reason-error').waitFor();
      await page.getByLabel('Reason for cancellation').fill('Patient is ill');
      let asked = '';
      page.once('dialog', (d) => {
        asked = d.message();
        void d.accept();
      });
      await Promise.all([
        page.waitForEvent('load'),
        page.getByRole('button', { name: 'Cancel booking' }).click(),
      ]);
      expect(asked).toBe('Cancel this booking?');
      expect(await page.getByText('The booking was cancelled and its time slot is free again.').count()).toBe(
        1,
      );
      await page.goto(calendarUrl);
      expect(await slotState(page, slotId, '')).toBe('free');
    });
    await context.close();
  }, 150000);

  test('Start the reservation stays on screen under a long week (768 px high window)', async () => {
    const { context, page } = await loggedInPage(e2e.browser, e2e.server.url, 'desk', {
      viewport: { width: 1366, height: 768 },
    });
    await withScreenshot(page, async () => {
      await openCalendar(page, alfaCardiology, true);
      // Any doctor: every cardiologist's week, one under the other.
      const anyDoctor = new URL(page.url());
      anyDoctor.searchParams.delete('doctor');
      await page.goto(anyDoctor.pathname + anyDoctor.search);
      await pickFreeSlot(page, true);
      await page.evaluate(() => window.scrollTo(0, 0));
      const button = page.getByRole('button', { name: 'Start the reservation' });
      // The week is taller than the window, so the button's place in the page is below it.
      const form = await page.locator('form.reserve').boundingBox();
      expect(form!.y + form!.height).toBeGreaterThan(768);
      const box = await button.boundingBox();
      expect(box!.y).toBeGreaterThanOrEqual(0);
      expect(box!.y + box!.height).toBeLessThanOrEqual(768);
      // Nothing covers it: a click at its centre reaches the button itself.
      const hit = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.textContent?.trim(), {
        x: box!.x + box!.width / 2,
        y: box!.y + box!.height / 2,
      });
      expect(hit).toBe('Start the reservation');
      await startReservation(page);
    });
    await context.close();
  }, 150000);
});
