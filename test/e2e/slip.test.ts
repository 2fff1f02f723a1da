/**
 * The printed slip in a real browser (issue 16): desk books, presses Print on the confirmation,
 * and Chromium prints the slip to PDF on exactly one page (A4, from the print stylesheet), in
 * English and in Hungarian, with JavaScript off too. Screenshots of the printed look go to
 * /tmp/shots/slip-*.png for a person to look at. Add to calendar (.ics) downloads the file.
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { browserProblems, loggedInPage, withScreenshot } from './support/browser';
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

const e2e = useE2E();
const shots = '/tmp/shots';

/** Pages in a PDF: its /Type /Page objects (not the /Pages tree). */
function pdfPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
}

/** Prints the page as Chromium would on paper (the print stylesheet's @page size). */
async function printed(page: Page, name: string): Promise<number> {
  // page.pdf lays out with the emulated media: print, whatever an earlier call left set.
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  fs.mkdirSync(shots, { recursive: true });
  fs.writeFileSync(`${shots}/${name}.pdf`, pdf);
  await page.emulateMedia({ media: 'print' });
  // A4 at 96 dpi: what the sheet shows.
  await page.setViewportSize({ width: 794, height: 1123 });
  await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
  await page.emulateMedia({ media: null });
  await page.setViewportSize({ width: 1280, height: 900 });
  // The sheet is the print stylesheet's A4 (595.3 x 841.9 pt), not the browser's default Letter.
  const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf.toString('latin1'));
  expect(box && [Math.round(Number(box[1])), Math.round(Number(box[2]))]).toEqual([595, 842]);
  return pdfPages(pdf);
}

for (const js of [true, false]) {
  const mode = js ? 'with JavaScript' : 'with JavaScript disabled';

  test(`desk prints the slip of a partner booking on one page (${mode})`, async () => {
    const { context, page } = await loggedInPage(e2e.browser, e2e.server.url, 'desk', {
      javaScriptEnabled: js,
    });
    await withScreenshot(page, async () => {
      await openCalendar(page, alfaCardiology, js);
      await pickFreeSlot(page, js);
      await startReservation(page);
      await searchPatient(page, 'kovacs', js);
      await choosePatient(page, /^János Kovács, born 1968-03-14/);
      const bookingId = await save(page);

      await Promise.all([
        page.waitForURL(new RegExp(`/bookings/${bookingId}/slip$`)),
        page.getByRole('link', { name: 'Print', exact: true }).click(),
      ]);
      const slip = await page.locator('article.slip').innerText();
      for (const fact of [
        'Buda Health Centre',
        'Dr. Péter Nagy',
        'Cardiology consultation',
        'János Kovács',
        'Alfa Health Insurance',
        'What to bring',
        '(Europe/Budapest time)',
      ])
        expect(slip).toContain(fact);
      expect(slip).toMatch(/\d\d:\d\d–\d\d:\d\d/);
      expect(await printed(page, `slip-en-${js ? 'js' : 'nojs'}`)).toBe(1);
      // On paper only the slip: no header, links or hints.
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('header.top').isVisible()).toBe(false);
      expect(await page.getByRole('link', { name: 'Back to the booking' }).isVisible()).toBe(false);
      await page.emulateMedia({ media: 'screen' });

      // The booking page has both too; the calendar file downloads.
      await page.goto(`/bookings/${bookingId}`);
      expect(await page.getByRole('link', { name: 'Print', exact: true }).count()).toBe(1);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Add to calendar (.ics)', exact: true }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`booking-${bookingId}.ics`);
      const ics = fs.readFileSync((await download.path())!, 'utf8');
      expect(ics).toContain(`UID:booking-${bookingId}@`);
      expect(ics).toContain('DTSTART;TZID=Europe/Budapest:');

      // In Hungarian, still one page.
      await page.goto(`/bookings/${bookingId}/slip?lang=hu`);
      expect(await page.locator('article.slip').innerText()).toContain('Mit hozzon magával');
      expect(await printed(page, `slip-hu-${js ? 'js' : 'nojs'}`)).toBe(1);
      await page.goto('/?lang=en');
    });
    expect(browserProblems(context)).toEqual([]);
    await context.close();
  }, 150000);
}
