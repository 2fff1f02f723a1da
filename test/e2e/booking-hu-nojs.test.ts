/**
 * The help article's booking flow in Hungarian with JavaScript switched off: a reception PC whose
 * browser asks for Hungarian (Accept-Language hu-HU) logs in on the Hungarian login page, books
 * for Alfa by the Hungarian labels with plain GET/POST forms, and reads every step in Hungarian
 * with Hungarian formats: "2027. 01. 18." dates, Hungarian month and weekday names, "38 000 Ft",
 * names family first ("Kovács János", "Dr. Kovács Anna"), then finds the booking in the list.
 */
import { browserProblems, newContext, withScreenshot } from './support/browser';
import {
  chooseIn,
  hungarian as hu,
  loginIn,
  pickFreeIn,
  plainSpaces,
  saveIn,
  searchIn,
  startIn,
} from './support/locale-flow';
import { useE2E } from './support/suite';

const e2e = useE2E();
const huDate = /\d{4}\. \d\d\. \d\d\./;

test('desk books for Alfa in Hungarian without JavaScript', async () => {
  const context = await newContext(e2e.browser, e2e.server.url, {
    javaScriptEnabled: false,
    locale: 'hu-HU',
  });
  const page = await context.newPage();
  await withScreenshot(page, async () => {
    // 1. The login page in the browser's language.
    await page.goto('/login');
    expect(await page.locator('html').getAttribute('lang')).toBe('hu');
    expect(await page.getByRole('heading', { name: 'Bejelentkezés' }).count()).toBe(1);
    await loginIn(page, hu, 'desk');

    // 2. Home: the tile by its Hungarian name.
    expect(await page.locator('html').getAttribute('lang')).toBe('hu');
    await page.getByRole('link', { name: hu.tile }).click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('heading', { name: hu.title }).count()).toBe(1);

    // 3. The choices, each sent by the Megjelenítés button (no htmx).
    await chooseIn(page, hu, hu.partner, 'Alfa Health Insurance', false);
    await chooseIn(page, hu, hu.institution, 'Buda Health Centre', false);
    await chooseIn(page, hu, hu.qualification, 'Cardiology', false);
    const doctors = await page.getByLabel(hu.doctor, { exact: true }).locator('option').allInnerTexts();
    // Family name first, listed by family name.
    expect(doctors.map((d) => d.trim()).filter((d) => d.startsWith('Dr.'))).toEqual([
      'Dr. Kovács Anna',
      'Dr. Nagy Péter',
    ]);
    await chooseIn(page, hu, hu.doctor, 'Dr. Kovács Anna', false);
    await chooseIn(page, hu, hu.service, 'Cardiac ultrasound', false);
    expect(new URL(page.url()).searchParams.get('service')).not.toBeNull();

    // 4. The calendar: Hungarian week title, weekday names and the doctor's name.
    const label = await pickFreeIn(page, hu, false);
    expect(await page.locator('h2.weektitle').innerText()).toMatch(
      /^\d{4}\. (jan|febr|márc|ápr|máj|jún|júl|aug|szept|okt|nov|dec)\. \d+\., (H|K|Sze|Cs|P|Szo|V) – /,
    );
    const days = await page.locator('fieldset.cal .day h3').allInnerTexts();
    // The week starts on Monday (hétfő): "nov. 30., H" ... "dec. 6., V".
    expect(days.map((d) => d.split(', ')[1])).toEqual(['H', 'K', 'Sze', 'Cs', 'P', 'Szo', 'V']);
    for (const d of days)
      expect(d).toMatch(/^(jan|febr|márc|ápr|máj|jún|júl|aug|szept|okt|nov|dec)\. \d+\., /);
    expect(await page.locator('fieldset.cal legend').first().innerText()).toBe('Dr. Kovács Anna');

    // 5. Foglalás indítása: the dialog in Hungarian, the hold's time left with its plural.
    await startIn(page, hu);
    expect(await page.title()).toMatch(/^A páciens kiválasztása · /);
    expect(await page.locator('#hold-time').innerText()).toMatch(
      /^Lefoglalva eddig: \d\d:\d\d, még \d+ perc van hátra$/,
    );
    const held = await page.locator('dl.facts').innerText();
    expect(held).toContain('Dr. Kovács Anna');
    expect(held).toContain('Partneres foglalás');
    expect(held).toMatch(huDate);

    // 6. Páciens keresése with the Keresés button: accent-insensitive, family name first.
    await searchIn(page, hu, 'kovacs', false);
    const janos = page.getByRole('radio', { name: /^Kovács János, született: 1968\. 03\. 14\. \(TAJ / });
    expect(await janos.count()).toBe(1);
    await janos.check();

    // 7. Mentés: the confirmation with Hungarian date, price and names.
    const id = await saveIn(page, hu);
    expect(await page.title()).toBe('A foglalás visszaigazolva · Klinikai időpontfoglalás');
    const facts = plainSpaces(await page.locator('dl.facts').innerText());
    expect(facts).toMatch(/Páciens\s+Kovács János/);
    expect(facts).toMatch(/Orvos\s+Dr\. Kovács Anna/);
    expect(facts).toMatch(new RegExp(`Dátum\\s+${huDate.source}`));
    expect(facts).toContain(label.replace('Szabad: ', ''));
    expect(facts).toMatch(/Ár\s+38 000 Ft/);
    expect(facts).not.toMatch(/HUF|Anna Kovács|János Kovács/);

    // 8. The bookings list: the same booking, the same formats.
    await page.getByRole('link', { name: 'Foglalások', exact: true }).first().click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('heading', { name: hu.bookings }).count()).toBe(1);
    const row = plainSpaces(await page.locator(`tr[data-booking-id="${id}"]`).innerText());
    expect(row).toMatch(new RegExp(`${huDate.source} \\d\\d:\\d\\d`));
    expect(row).toContain('Kovács János');
    expect(row).toContain('Dr. Kovács Anna');
    expect(row).toContain('Partneres foglalás');
    expect(await page.locator('#bookings-table .hint').first().innerText()).toMatch(/^\d+ foglalás/);
  });
  expect(browserProblems(context)).toEqual([]);
  await context.close();
}, 150000);
