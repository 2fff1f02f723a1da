/**
 * The patient record's new fields in a real browser, with JavaScript on and off: a newborn with
 * an address and "No identifier: Newborn" typed into the reservation dialog survives a refused
 * Save and is then registered and booked by Save; a patient's phone number and address are
 * corrected and the change is in the audit log (read from the server's database). Screenshots
 * go to /tmp/shots/patient-*.png.
 */
import fs from 'node:fs';
import { openDb } from '../../src/lib/db';
import type { Page } from 'playwright-core';
import { browserProblems, loggedInPage, withScreenshot } from './support/browser';
import { alfaCardiology, openCalendar, pickFreeSlot, startReservation } from './support/flow';
import { useE2E } from './support/suite';

const e2e = useE2E();
const shots = '/tmp/shots';

async function shot(page: Page, name: string) {
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: `${shots}/patient-${name}.png`, fullPage: true });
}

async function withDb<T>(fn: (db: ReturnType<typeof openDb>) => Promise<T>): Promise<T> {
  const db = openDb(e2e.server.database, { poolMax: 1 });
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

const label = (page: Page, text: string) => page.getByLabel(text, { exact: true });

for (const js of [true, false]) {
  const mode = js ? 'with JavaScript' : 'with JavaScript disabled';
  const tag = js ? 'js' : 'nojs';

  test(`a newborn with an address and no identifier survives a refused Save, then Save books them (${mode})`, async () => {
    const { context, page } = await loggedInPage(e2e.browser, e2e.server.url, 'desk', {
      javaScriptEnabled: js,
    });
    const given = js ? 'Boglárka' : 'Bence';
    const typed: Record<string, string> = {
      'Family name': 'Kelemen',
      'Given name': given,
      'Date of birth': '2025-06-01',
      Phone: '+36 30 999 1234',
      'E-mail': 'not-an-address',
      'Postal code': '1051',
      City: 'Budapest',
      'Street address': 'Nádor utca 7.',
    };
    await withScreenshot(page, async () => {
      await openCalendar(page, alfaCardiology, js);
      await pickFreeSlot(page, js);
      await startReservation(page);
      for (const [name, value] of Object.entries(typed)) await label(page, name).fill(value);
      await label(page, 'No identifier, because').selectOption({ label: 'Newborn' });
      // Save first, with a wrong e-mail: refused beside the field, everything typed still there.
      await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/book')),
        page.getByRole('button', { name: 'Save', exact: true }).click(),
      ]);
      await page.waitForLoadState('load');
      expect(await page.getByText('This is not a valid e-mail address.').count()).toBe(1);
      for (const [name, value] of Object.entries(typed))
        expect([name, await label(page, name).inputValue()]).toEqual([name, value]);
      expect(await label(page, 'No identifier, because').inputValue()).toBe('newborn');
      expect(await label(page, 'Identifier').inputValue()).toBe('');
      await shot(page, `newborn-refused-${tag}`);
      await label(page, 'E-mail').fill('');
      await Promise.all([
        page.waitForURL(/\/booking\/confirmation\/\d+/),
        page.getByRole('button', { name: 'Save', exact: true }).click(),
      ]);
      expect(await page.locator('dl.facts').innerText()).toContain(`${given} Kelemen`);
      await shot(page, `newborn-booked-${tag}`);
      const bookingId = Number(/\/booking\/confirmation\/(\d+)/.exec(page.url())![1]);
      const row = await withDb((db) =>
        db('patients')
          .join('bookings', 'bookings.patient_id', 'patients.id')
          .where('bookings.id', bookingId)
          .first(
            'patients.id',
            'patients.given_name',
            'patients.id_type',
            'patients.id_number',
            'patients.no_identifier_reason',
            'patients.postal_code',
            'patients.city',
            'patients.street_address',
            'patients.email',
          ),
      );
      expect(row).toMatchObject({
        given_name: given,
        id_type: null,
        id_number: null,
        no_identifier_reason: 'newborn',
        postal_code: '1051',
        city: 'Budapest',
        street_address: 'Nádor utca 7.',
        email: '',
      });
      await page.goto(`/patients/${row.id}`);
      expect(await page.locator('dl.facts').innerText()).toContain('No identifier: newborn');
      await shot(page, `newborn-record-${tag}`);
    });
    // The refused Save is a 422 on purpose (the browser logs any 4xx page load); nothing else.
    const refusedSave = /status of 422 .*\/reservations\/[\w-]+\/book\)$/;
    expect(browserProblems(context).filter((p) => !refusedSave.test(p))).toEqual([]);
    await context.close();
  });

  test(`a patient's phone number and address are corrected, and the change is in the audit log (${mode})`, async () => {
    const { context, page } = await loggedInPage(e2e.browser, e2e.server.url, 'desk', {
      javaScriptEnabled: js,
    });
    const phone = js ? '+36 1 444 0001' : '+36 1 444 0002';
    const city = js ? 'Szeged' : 'Debrecen';
    const postalCode = js ? '6720' : '4025';
    const street = js ? 'Kárász utca 1.' : 'Piac utca 2.';
    await withScreenshot(page, async () => {
      await page.goto('/patients?q=nagy istvan');
      await Promise.all([
        page.waitForURL(/\/patients\/\d+$/),
        page.getByRole('link', { name: 'István Nagy' }).click(),
      ]);
      const patientId = Number(/\/patients\/(\d+)$/.exec(page.url())![1]);
      const before = await withDb((db) => db('patients').where({ id: patientId }).first());
      await Promise.all([
        page.waitForURL(/\/edit$/),
        page.getByRole('link', { name: 'Edit', exact: true }).click(),
      ]);
      await label(page, 'Phone').fill(phone);
      await label(page, 'Postal code').fill(postalCode);
      await label(page, 'City').fill(city);
      await label(page, 'Street address').fill(street);
      await shot(page, `edit-form-${tag}`);
      await Promise.all([
        page.waitForURL(/\/patients\/\d+$/),
        page.getByRole('button', { name: 'Save changes' }).click(),
      ]);
      expect(await page.getByText('The patient\u2019s record was corrected.').count()).toBe(1);
      const facts = await page.locator('dl.facts').innerText();
      expect(facts).toContain(phone);
      expect(facts).toContain(`${postalCode} ${city}`);
      await shot(page, `edit-saved-${tag}`);
      const entries = await withDb((db) =>
        db('audit_log')
          .where({ action: 'patient.updated', entity_id: patientId })
          .orderBy('id')
          .select('details'),
      );
      const last = JSON.parse(entries[entries.length - 1].details);
      expect(last.before).toMatchObject({ phone: before.phone, city: before.city });
      expect(last.after).toMatchObject({
        phone,
        postal_code: postalCode,
        city,
        street_address: street,
      });
    });
    expect(browserProblems(context)).toEqual([]);
    await context.close();
  });
}
