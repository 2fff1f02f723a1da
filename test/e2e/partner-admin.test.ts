/**
 * Issue 17 in a real browser: the clinic makes an Alfa user a partner admin (Partner users) and
 * asks Alfa for an authorisation number on every booking; the partner admin creates a call-centre
 * user on the Partner users tile, who logs in and books with a reference number (refused first
 * with a wrong one). Screenshots of each step go to /tmp/shots/partner-*.png.
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { browserProblems, loggedInPage, login, newContext, withScreenshot } from './support/browser';
import {
  addNewPatient,
  alfaCardiology,
  openCalendar,
  pickFreeSlot,
  save,
  startReservation,
} from './support/flow';
import { useE2E } from './support/suite';
import { makeTaj } from '../../src/patients/identifiers';

const e2e = useE2E();
const shots = '/tmp/shots';

async function shot(page: Page, name: string) {
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: `${shots}/partner-${name}.png`, fullPage: true });
}

/** The browser logs the 422 answers this test provokes on purpose; anything else is a problem. */
const expectedRefusalsAside = (problems: string[]) =>
  problems.filter((p) => !/status of 422 .*\/(rules|book)\)$/.test(p));

/** A context logged in as a user made during the test (not a demo login). */
async function loggedInAs(username: string, password: string) {
  const context = await newContext(e2e.browser, e2e.server.url, {});
  const page = await context.newPage();
  await withScreenshot(page, () => login(page, username, password), `login-${username}`);
  return { context, page };
}

async function submit(page: Page, button: string, scope = page.locator('body')) {
  await Promise.all([
    page.waitForLoadState('load'),
    scope.getByRole('button', { name: button, exact: true }).click(),
  ]);
  await page.waitForLoadState('load');
}

test('a partner admin creates a call-centre user, who books with a reference number', async () => {
  // The clinic (JavaScript off: plain forms): a partner admin for Alfa, and Alfa's reference rule.
  const clinic = await loggedInPage(e2e.browser, e2e.server.url, 'admin', { javaScriptEnabled: false });
  await withScreenshot(clinic.page, async () => {
    const page = clinic.page;
    await page.goto('/admin/users/new');
    await page.getByLabel('User name', { exact: true }).fill('alfaboss');
    await page.getByLabel('Name', { exact: true }).fill('Alfa Desk Manager');
    await page.getByLabel('Password', { exact: true }).fill('manager-pass-1');
    await page.getByLabel('Repeat the password', { exact: true }).fill('manager-pass-1');
    await page.getByLabel('Partner', { exact: true }).selectOption({ label: 'Alfa Health Insurance' });
    for (const p of ['Partner booking', 'Bookings list', 'Partner users'])
      await page.getByLabel(p, { exact: true }).check();
    await submit(page, 'Create user');
    expect(await page.getByText('User alfaboss was created.').count()).toBe(1);

    await page.goto('/settings/partners');
    await Promise.all([
      page.waitForLoadState('load'),
      page.getByRole('link', { name: 'Alfa Health Insurance' }).click(),
    ]);
    const rules = page.locator('section#rules');
    await rules.getByLabel('A reference number is required on every booking').check();
    await rules.getByLabel('Name of the reference field').fill('Authorisation number');
    // A pattern that could backtrack for ever is refused beside the field.
    await rules.getByLabel('Pattern (a regular expression, optional)').fill('^(A+)+$');
    await submit(page, 'Save', rules);
    expect(await page.locator('#reference_pattern-error').innerText()).toContain('could take very long');
    await page
      .locator('section#rules')
      .getByLabel('Pattern (a regular expression, optional)')
      .fill('^[A-Z]{2}\\d{6}$');
    await submit(page, 'Save', page.locator('section#rules'));
    expect(await page.getByText('Reference number and Partner users settings saved.').count()).toBe(1);
    await page.locator('section#rules').scrollIntoViewIfNeeded();
    await shot(page, 'settings');
  });
  expect(expectedRefusalsAside(browserProblems(clinic.context))).toEqual([]);
  await clinic.context.close();

  // The partner admin, with JavaScript: the Partner users tile, a new call-centre user.
  const boss = await loggedInAs('alfaboss', 'manager-pass-1');
  await withScreenshot(boss.page, async () => {
    const page = boss.page;
    await page.goto('/');
    await shot(page, 'home');
    await Promise.all([
      page.waitForURL(/\/partner\/users$/),
      page.getByRole('link', { name: /^Partner users/ }).click(),
    ]);
    await Promise.all([
      page.waitForURL(/\/partner\/users\/new$/),
      page.getByRole('link', { name: 'New user' }).click(),
    ]);
    // A permission the admin does not hold cannot even be ticked.
    expect(await page.getByLabel('Statistics', { exact: true }).isDisabled()).toBe(true);
    await page.getByLabel('User name', { exact: true }).fill('alfacall');
    await page.getByLabel('Name', { exact: true }).fill('Alfa Call Centre');
    await page.getByLabel('Password', { exact: true }).fill('callcentre-1');
    await page.getByLabel('Repeat the password', { exact: true }).fill('callcentre-1');
    await page.getByLabel('Partner booking', { exact: true }).check();
    await page.getByLabel('Bookings list', { exact: true }).check();
    await Promise.all([
      page.waitForURL(/\/partner\/users\/\d+$/),
      page.getByRole('button', { name: 'Create user' }).click(),
    ]);
    expect(await page.getByText('User alfacall was created.').count()).toBe(1);
    await page.goto('/partner/users');
    expect(await page.getByRole('link', { name: 'alfacall' }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'beta' }).count()).toBe(0);
    await shot(page, 'users');
  });
  expect(browserProblems(boss.context)).toEqual([]);
  await boss.context.close();

  // The call-centre user books with the authorisation number.
  const call = await loggedInAs('alfacall', 'callcentre-1');
  await withScreenshot(call.page, async () => {
    const page = call.page;
    await openCalendar(page, { ...alfaCardiology, partner: undefined }, true);
    await pickFreeSlot(page, true);
    await startReservation(page);
    await addNewPatient(page, {
      family: 'Referencia',
      given: 'Ilona',
      birthDate: '1975-04-12',
      idType: 'TAJ (social security number)',
      idNumber: makeTaj('55544433'),
    });
    const field = page.getByLabel('Authorisation number', { exact: true });
    await field.fill('ab12');
    await submit(page, 'Save');
    expect(await page.locator('#reference-error').innerText()).toContain(
      'Authorisation number does not have the expected format: ^[A-Z]{2}\\d{6}$',
    );
    expect(await page.getByLabel('Authorisation number', { exact: true }).inputValue()).toBe('ab12');
    await shot(page, 'dialog-refused');
    await page.getByLabel('Authorisation number', { exact: true }).fill('AB123456');
    await save(page);
    expect(await page.locator('dl.facts').innerText()).toContain('AB123456');
    await shot(page, 'confirmation');
    await page.goto('/bookings?reference=AB123456&status=all');
    expect(await page.locator('tr[data-booking-id]').count()).toBe(1);
    await shot(page, 'bookings');
  });
  expect(expectedRefusalsAside(browserProblems(call.context))).toEqual([]);
  await call.context.close();
}, 240000);
