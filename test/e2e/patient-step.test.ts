/**
 * The patient step in a real browser, with JavaScript on and off: nothing typed is lost, Save with
 * a typed New patient books them, an expired reservation says so and its links return to the same
 * calendar, and (JS) the countdown warns in the last minute. Every htmx swap is checked for inline
 * styles by the shared context (support/browser.ts).
 */
import { openDb } from '../../src/lib/db';
import type { Page } from 'playwright-core';
import { browserProblems, loggedInPage, withScreenshot } from './support/browser';
import {
  alfaCardiology,
  choose,
  openCalendar,
  pickFreeSlot,
  searchPatient,
  startReservation,
} from './support/flow';
import { useE2E } from './support/suite';

const e2e = useE2E();

function typed(n: number) {
  return {
    'Family name': 'Kertész',
    'Given name': `Lili${'abcd'[n]}`,
    'Date of birth': `1990-01-0${n + 1}`,
    Identifier: `KL12345${n}`,
    Phone: '+36 1 234 5678',
    'E-mail': `lili${n}@example.com`,
  };
}

async function fillNewPatient(page: Page, values: Record<string, string>) {
  await page.getByLabel('Identifier type', { exact: true }).selectOption({ label: 'Passport number' });
  for (const [label, value] of Object.entries(values))
    await page.getByLabel(label, { exact: true }).fill(value);
}

async function expectStillTyped(page: Page, values: Record<string, string>) {
  for (const [label, value] of Object.entries(values))
    expect(await page.getByLabel(label, { exact: true }).inputValue()).toBe(value);
  expect(await page.getByLabel('Identifier type', { exact: true }).inputValue()).toBe('passport');
}

/** Moves the hold of the reservation on screen so it ends `ms` from now (the server's clock is real). */
async function setHoldEnd(page: Page, ms: number) {
  const token = /\/reservations\/([\w-]{43})/.exec(page.url())![1];
  const db = openDb(e2e.server.database, { poolMax: 1 });
  try {
    await db('holds')
      .where({ token })
      .update({ expires_at: new Date(Date.now() + ms).toISOString() });
  } finally {
    await db.destroy();
  }
}

for (const js of [true, false]) {
  const mode = js ? 'with JavaScript' : 'with JavaScript disabled';

  describe(`the patient step ${mode}`, () => {
    test(`Search after typing a new patient keeps every typed value; Save then books that patient (${mode})`, async () => {
      const { context, page } = await loggedInPage(e2e.browser, e2e.server.url, 'desk', {
        javaScriptEnabled: js,
      });
      await withScreenshot(page, async () => {
        await openCalendar(page, alfaCardiology, js);
        await pickFreeSlot(page, js);
        await startReservation(page);
        const values = typed(js ? 0 : 1);
        await fillNewPatient(page, values);
        // The Search button (a full submit with JS too) must not empty the New patient form.
        await page.getByLabel('Search patient', { exact: true }).fill('nobody-like-this');
        await Promise.all([
          page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/search')),
          page.getByRole('button', { name: 'Search', exact: true }).click(),
        ]);
        await page.waitForLoadState('load');
        await expectStillTyped(page, values);
        if (!js) {
          await searchPatient(page, 'kovacs', js);
          await expectStillTyped(page, values);
        }
        // Save (not Add new patient) with nobody chosen: the typed patient is registered and booked.
        await Promise.all([
          page.waitForURL(/\/booking\/confirmation\/\d+/),
          page.getByRole('button', { name: 'Save', exact: true }).click(),
        ]);
        expect(await page.locator('dl.facts').innerText()).toContain(`${values['Given name']} Kertész`);
      });
      expect(browserProblems(context)).toEqual([]);
      await context.close();
    });

    test(`an expired reservation says so before Save, and Back to the calendar returns to the same calendar (${mode})`, async () => {
      const { context, page } = await loggedInPage(e2e.browser, e2e.server.url, 'desk', {
        javaScriptEnabled: js,
      });
      await withScreenshot(page, async () => {
        await openCalendar(page, alfaCardiology, js);
        await pickFreeSlot(page, js);
        const calendarUrl = new URL(page.url());
        await startReservation(page);
        await setHoldEnd(page, -2000);
        await page.reload();
        expect(await page.getByText(/The reservation time ended at \d\d:\d\d\./).count()).toBe(1);
        expect(await page.getByRole('button', { name: 'Reserve the same slot again' }).count()).toBe(1);
        const values = typed(js ? 2 : 3);
        await fillNewPatient(page, values);
        await Promise.all([
          page.waitForLoadState('load'),
          page.waitForResponse((r) => r.url().endsWith('/renew')),
          page.getByRole('button', { name: 'Reserve the same slot again' }).click(),
        ]);
        await page.waitForLoadState('load');
        expect(await page.getByText(/The slot is reserved again, until \d\d:\d\d\./).count()).toBe(1);
        await expectStillTyped(page, values);
        await setHoldEnd(page, -2000);
        // Open the dialog again (a reload would post Reserve again once more).
        await page.goto(new URL(page.url()).pathname.replace(/\/renew$/, ''));
        await Promise.all([
          page.waitForURL(/\/partner-booking\?/),
          page.getByRole('link', { name: 'Back to the calendar' }).click(),
        ]);
        const back = new URL(page.url());
        for (const key of ['institution', 'partner', 'service', 'doctor'])
          expect([key, back.searchParams.get(key)]).toEqual([key, calendarUrl.searchParams.get(key)]);
        expect(await page.getByLabel('Service', { exact: true }).locator('option:checked').innerText()).toBe(
          alfaCardiology.service,
        );
        expect(await page.getByLabel('Doctor', { exact: true }).locator('option:checked').innerText()).toBe(
          alfaCardiology.doctor,
        );
      });
      expect(browserProblems(context)).toEqual([]);
      await context.close();
    });

    test(`a patient's phone number is corrected (audited), then Book for this patient skips the search (${mode})`, async () => {
      const { context, page } = await loggedInPage(e2e.browser, e2e.server.url, 'desk', {
        javaScriptEnabled: js,
      });
      const phone = js ? '+36 1 555 0001' : '+36 1 555 0002';
      await withScreenshot(page, async () => {
        await page.goto('/patients?q=horvath');
        await Promise.all([
          page.waitForURL(/\/patients\/\d+$/),
          page.getByRole('link', { name: 'Éva Horváth' }).click(),
        ]);
        const patientId = Number(/\/patients\/(\d+)$/.exec(page.url())![1]);
        await Promise.all([
          page.waitForURL(/\/edit$/),
          page.getByRole('link', { name: 'Edit', exact: true }).click(),
        ]);
        await page.getByLabel('Phone', { exact: true }).fill(phone);
        await Promise.all([
          page.waitForURL(/\/patients\/\d+$/),
          page.getByRole('button', { name: 'Save changes' }).click(),
        ]);
        expect(await page.getByText('The patient\u2019s record was corrected.').count()).toBe(1);
        expect(await page.locator('dl.facts').innerText()).toContain(phone);
        const db = openDb(e2e.server.database, { poolMax: 1 });
        try {
          const rows: { details: string }[] = await db('audit_log')
            .where({ action: 'patient.updated', entity_id: patientId })
            .select('details');
          expect(rows.map((r) => JSON.parse(r.details).after.phone)).toContain(phone);
        } finally {
          await db.destroy();
        }
        await Promise.all([
          page.waitForURL(/\/partner-booking\?patient=/),
          page.getByRole('link', { name: 'Book for this patient' }).click(),
        ]);
        expect(await page.getByText(/Booking for Éva Horváth, born 1988-01-30/).count()).toBe(1);
        await openCalendarHere(page, js);
        await pickFreeSlot(page, js);
        await startReservation(page);
        expect(await page.getByRole('radio', { name: /^Éva Horváth, born 1988-01-30/ }).isChecked()).toBe(
          true,
        );
        await Promise.all([
          page.waitForURL(/\/booking\/confirmation\/\d+/),
          page.getByRole('button', { name: 'Save', exact: true }).click(),
        ]);
        expect(await page.locator('dl.facts').innerText()).toContain('Éva Horváth');
      });
      expect(browserProblems(context)).toEqual([]);
      await context.close();
    });
  });
}

/** The choices on the calendar page already open (Book for this patient), keeping the patient. */
async function openCalendarHere(page: Page, js: boolean) {
  for (const [label, option] of [
    ['Partner', alfaCardiology.partner!],
    ['Institution', alfaCardiology.institution],
    ['Qualification', alfaCardiology.qualification],
    ['Doctor', alfaCardiology.doctor],
    ['Service', alfaCardiology.service],
  ])
    await choose(page, label, option, js);
  expect(await page.getByText(/Booking for Éva Horváth/).count()).toBe(1);
}

test('the live countdown warns one minute before the end (JavaScript)', async () => {
  const { context, page } = await loggedInPage(e2e.browser, e2e.server.url, 'desk');
  await withScreenshot(page, async () => {
    await openCalendar(page, alfaCardiology, true);
    await pickFreeSlot(page, true);
    await startReservation(page);
    expect(await page.getByText(/Reserved until \d\d:\d\d, 10 minutes left/).count()).toBe(1);
    await setHoldEnd(page, 63_000);
    await page.reload();
    expect(await page.getByText(/2 minutes left/).count()).toBe(1);
    // No reload now: htmx asks again when the text changes (in about 3 s) and shows the warning.
    await page.getByText(/1 minute left\. Press Save now/).waitFor({ timeout: 10_000 });
    expect(await page.locator('#hold-time .warning[role="alert"]').count()).toBe(1);
  });
  expect(browserProblems(context)).toEqual([]);
  await context.close();
});
