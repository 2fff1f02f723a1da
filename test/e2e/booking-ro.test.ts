/**
 * The help article's booking flow in Romanian, in the browser with JavaScript on, at a clinic that
 * charges in lei (CURRENCY=RON) and holds a slot 20 minutes: the desk user picks Română on the
 * Language page, books for Alfa by the Romanian labels (htmx narrows the choices), and reads each
 * step in Romanian with Romanian formats: "18.01.2027" dates, "38.000,00 lei", given name first,
 * and the plural forms (one / few / other: "au mai rămas 19 minute", "20 de minute") where they show.
 */
import type { Page } from 'playwright-core';
import { browserProblems, loggedInPage, withScreenshot } from './support/browser';
import {
  chooseIn,
  pickFreeIn,
  plainSpaces,
  romanian as ro,
  saveIn,
  searchIn,
  startIn,
} from './support/locale-flow';
import { useE2E } from './support/suite';

const e2e = useE2E({ env: { CURRENCY: 'RON', HOLD_MINUTES: '20' } });
const roDate = /\d\d\.\d\d\.\d{4}/;
const plural = new Intl.PluralRules('ro');

async function setLanguage(page: Page, value: string, save: string): Promise<void> {
  await page.goto('/account/language');
  await page.locator('#language').selectOption(value);
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: save }).click()]);
  await page.waitForLoadState('load');
}

test('desk books for Alfa in Romanian (JavaScript on, lei)', async () => {
  const { context, page } = await loggedInPage(e2e.browser, e2e.server.url, 'desk');
  await withScreenshot(page, async () => {
    // 1. The user's own choice beats the browser's English.
    await setLanguage(page, 'ro', 'Save');
    expect(await page.locator('html').getAttribute('lang')).toBe('ro');
    expect(await page.getByText('Limba a fost salvată.').count()).toBe(1);
    try {
      // 2. Home: the tile by its Romanian name.
      await page.goto('/');
      await page.getByRole('link', { name: ro.tile }).click();
      await page.waitForLoadState('load');
      expect(await page.getByRole('heading', { name: ro.title }).count()).toBe(1);

      // 3. The choices, narrowed by htmx in the same document.
      await chooseIn(page, ro, ro.partner, 'Alfa Health Insurance', true);
      await chooseIn(page, ro, ro.institution, 'Buda Health Centre', true);
      await chooseIn(page, ro, ro.qualification, 'Cardiology', true);
      const doctors = await page.getByLabel(ro.doctor, { exact: true }).locator('option').allInnerTexts();
      expect(doctors.map((d) => d.trim()).filter((d) => d.startsWith('Dr.'))).toEqual([
        'Dr. Anna Kovács',
        'Dr. Péter Nagy',
      ]);
      await chooseIn(page, ro, ro.doctor, 'Dr. Anna Kovács', true);
      await chooseIn(page, ro, ro.service, 'Cardiac ultrasound', true);

      // 4. The calendar: Romanian month and weekday names, Monday first.
      const label = await pickFreeIn(page, ro, true);
      // "lun. 30 nov. – dum. 6 dec. 2026 (ora Europe/Budapest)"
      const month = '(ian|feb|mar|apr|mai|iun|iul|aug|sept|oct|nov|dec)\\.?';
      expect(await page.locator('h2.weektitle').innerText()).toMatch(
        new RegExp(
          `^lun\\. \\d+ ${month}( \\d{4})? – dum\\. \\d+ ${month} \\d{4} \\(ora Europe/Budapest\\)$`,
        ),
      );
      const days = await page.locator('fieldset.cal .day h3').allInnerTexts();
      expect(days).toHaveLength(7);
      expect(days.map((d) => d.split(' ')[0])).toEqual([
        'lun.',
        'mar.',
        'mie.',
        'joi',
        'vin.',
        'sâm.',
        'dum.',
      ]);
      expect(await page.locator('fieldset.cal legend').first().innerText()).toBe('Dr. Anna Kovács');

      // 5. Începe rezervarea: the dialog, the hold's time left in the plural its number needs.
      await startIn(page, ro);
      const left = await page.locator('#hold-time').innerText();
      const m = /^Rezervat până la \d\d:\d\d, (a mai rămas|au mai rămas) (\d+) (de )?(minut|minute)$/.exec(
        left,
      );
      expect(m).not.toBeNull();
      const n = Number(m![2]);
      expect(n).toBeGreaterThanOrEqual(19);
      const category = plural.select(n);
      // 20: "20 de minute" (other); 19: "19 minute" (few).
      expect(category).toBe(n >= 20 ? 'other' : 'few');
      expect(Boolean(m![3])).toBe(category === 'other');
      const held = await page.locator('dl.facts').innerText();
      expect(held).toContain('Dr. Anna Kovács');
      expect(held).toContain('Programare prin partener');
      expect(held).toMatch(roDate);

      // 6. Caută pacient: results as you type, given name first, Romanian date of birth.
      await searchIn(page, ro, 'kovacs', true);
      const janos = page.getByRole('radio', { name: /^János Kovács, născut\(ă\) la 14\.03\.1968 \(TAJ / });
      expect(await janos.count()).toBe(1);
      await janos.check();

      // 7. Salvează: the confirmation in Romanian, lei, dd.mm.yyyy.
      const id = await saveIn(page, ro);
      expect(await page.title()).toMatch(/^Programare confirmată · /);
      const facts = plainSpaces(await page.locator('dl.facts').innerText());
      expect(facts).toMatch(/Pacient\s+János Kovács/);
      expect(facts).toMatch(/Medic\s+Dr\. Anna Kovács/);
      expect(facts).toMatch(new RegExp(`Data\\s+${roDate.source}`));
      expect(facts).toContain(label.replace('Liber ', ''));
      expect(facts).toMatch(/Preț\s+38\.000,00 lei/);
      expect(facts).not.toMatch(/RON|Kovács János/);

      // 8. The bookings list: the booking, the count in its plural form.
      await page.getByRole('link', { name: 'Programări', exact: true }).first().click();
      await page.waitForLoadState('load');
      expect(await page.getByRole('heading', { name: ro.bookings }).count()).toBe(1);
      const row = plainSpaces(await page.locator(`tr[data-booking-id="${id}"]`).innerText());
      expect(row).toMatch(new RegExp(`${roDate.source} \\d\\d:\\d\\d`));
      expect(row).toContain('János Kovács');
      expect(row).toContain('Dr. Anna Kovács');
      const count = await page.locator('#bookings-table .hint').first().innerText();
      const c = /^(\d+) (de )?(programare|programări)/.exec(count);
      expect(c).not.toBeNull();
      const k = plural.select(Number(c![1]));
      expect(c![3]).toBe(k === 'one' ? 'programare' : 'programări');
      expect(Boolean(c![2])).toBe(k === 'other');
    } finally {
      await setLanguage(page, '', 'Salvare');
    }
  });
  expect(browserProblems(context)).toEqual([]);
  await context.close();
}, 150000);
