/**
 * The partner booking flow as a person does it in a real browser, by labels and button names,
 * with JavaScript on (htmx) and off (plain forms), for clinic staff and for a partner user.
 */
import { browserProblems, loggedInPage, withScreenshot } from './support/browser';
import {
  addNewPatient,
  alfaCardiology,
  bookingRow,
  choosePatient,
  openCalendar,
  pickFreeSlot,
  save,
  searchPatient,
  startReservation,
} from './support/flow';
import { useE2E } from './support/suite';
import { makeTaj } from '../../src/patients/identifiers';

const e2e = useE2E();

/** A new patient per run, with a valid TAJ nobody else has. */
function newPatient(n: number) {
  return {
    family: 'Fehér',
    given: `Zsófia${'abc'[n]}`,
    birthDate: '1984-06-0' + (n + 1),
    idType: 'TAJ (social security number)' as const,
    idNumber: makeTaj(`9876543${n}`),
    phone: '+36 30 123 4567',
  };
}

for (const js of [true, false]) {
  const mode = js ? 'with JavaScript' : 'with JavaScript disabled';

  describe(`partner booking ${mode}`, () => {
    test(`desk books for Alfa: institution, partner, qualification, doctor, service, a green slot, Search patient "kovacs", Save (${mode})`, async () => {
      const { context, page } = await loggedInPage(e2e.browser, e2e.server.url, 'desk', {
        javaScriptEnabled: js,
      });
      await withScreenshot(page, async () => {
        await openCalendar(page, alfaCardiology, js);
        const slot = await pickFreeSlot(page, js);
        await startReservation(page);
        expect(await page.locator('dl.facts').innerText()).toContain('Alfa Health Insurance');
        await searchPatient(page, 'kovacs', js);
        // Accent-insensitive: "kovacs" finds Kovács János as well as Kovacs Janos.
        await choosePatient(page, /^János Kovács, born 1968-03-14/);
        const bookingId = await save(page);
        const confirmation = await page.locator('dl.facts').innerText();
        expect(confirmation).toContain('Dr. Péter Nagy');
        expect(confirmation).toContain('Cardiology consultation');
        expect(confirmation).toContain('János Kovács');
        expect(confirmation).toContain(slot.replace('Free ', ''));
        const row = await bookingRow(page, bookingId);
        expect(row.partnerFlag).toBe(true);
        expect(row.text).toContain('Alfa Health Insurance');
        // The bookings list writes names in the reader's order (English: given name first).
        expect(row.text).toContain('János Kovács');
        expect(row.text).toContain('Reception Desk');
      });
      expect(browserProblems(context)).toEqual([]);
      await context.close();
    }, 150000);

    test(`alfa books directly with Add new patient (${mode})`, async () => {
      const { context, page } = await loggedInPage(e2e.browser, e2e.server.url, 'alfa', {
        javaScriptEnabled: js,
      });
      const patient = newPatient(js ? 0 : 1);
      await withScreenshot(page, async () => {
        await openCalendar(page, { ...alfaCardiology, partner: undefined }, js);
        // A partner user's partner is fixed: shown, not choosable.
        expect(await page.getByLabel('Partner', { exact: true }).count()).toBe(0);
        await pickFreeSlot(page, js);
        await startReservation(page);
        await addNewPatient(page, patient);
        const chosen = page.getByRole('radio', {
          name: new RegExp(`^${patient.given} ${patient.family}, born`),
        });
        expect(await chosen.isChecked()).toBe(true);
        const bookingId = await save(page);
        const confirmation = await page.locator('dl.facts').innerText();
        expect(confirmation).toContain(`${patient.given} ${patient.family}`);
        expect(confirmation).toContain('Alfa Health Insurance');
        const row = await bookingRow(page, bookingId);
        expect(row.partnerFlag).toBe(true);
        expect(row.text).toContain(`${patient.given} ${patient.family}`);
        expect(row.text).toContain('Alfa Booking Desk');
      });
      expect(browserProblems(context)).toEqual([]);
      await context.close();
    }, 150000);
  });
}
