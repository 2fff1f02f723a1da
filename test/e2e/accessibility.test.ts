/**
 * axe-core (WCAG 2.1 A/AA + best practice) in the real browser on every main page: no serious or
 * critical violations. Each test walks a role's pages and reports every problem at once.
 */
import type { Page } from 'playwright-core';
import { browserProblems, loggedInPage, newContext, withScreenshot } from './support/browser';
import { describeViolations, seriousViolations } from './support/axe';
import { alfaCardiology, openCalendar, pickFreeSlot, searchPatient, startReservation } from './support/flow';
import { useE2E } from './support/suite';
import {
  chooseIn,
  hungarian,
  loginIn,
  pickFreeIn,
  romanian,
  saveIn,
  searchIn,
  startIn,
} from './support/locale-flow';

const e2e = useE2E();

/** Runs axe on the page as it is now and adds any serious/critical problems to `found`. */
async function audit(page: Page, where: string, found: string[]): Promise<void> {
  found.push(...describeViolations(where, await seriousViolations(page)));
}

/** Opens `path`, expects it to answer `status`, and audits it. */
async function visit(page: Page, path: string, found: string[], status = 200): Promise<void> {
  const res = await page.goto(path);
  expect({ path, status: res?.status() }).toEqual({ path, status });
  await audit(page, path, found);
}

/** The first link on the page whose href matches, e.g. the first institution's edit page. */
async function firstHref(page: Page, pattern: RegExp): Promise<string> {
  const hrefs = await page
    .locator('a[href]')
    .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
  const href = hrefs.find((h) => pattern.test(h));
  if (!href) throw new Error(`no link matching ${pattern} on ${page.url()}`);
  return href;
}

describe('accessibility (axe-core, no serious or critical violations)', () => {
  test('the check itself catches an unlabelled field and low contrast', async () => {
    const context = await newContext(e2e.browser, e2e.server.url);
    const page = await context.newPage();
    await page.goto('/login');
    await page.evaluate(() => {
      const main = document.querySelector('main')!;
      const input = document.createElement('input');
      input.id = 'unlabelled';
      main.appendChild(input);
      const p = document.createElement('p');
      p.textContent = 'Hard to read';
      p.setAttribute('class', 'muted');
      p.setAttribute('data-x', '1');
      main.appendChild(p);
      (p as HTMLElement).style.color = '#eee';
    });
    const ids = (await seriousViolations(page)).map((v) => v.id);
    expect(ids).toEqual(expect.arrayContaining(['label', 'color-contrast']));
    // And the console watch used by the flow tests sees what the CSP blocks (an inline style attribute).
    expect(browserProblems(context)).toEqual([]);
    await page.evaluate(() =>
      document.querySelector('main')!.insertAdjacentHTML('beforeend', '<p style="color: red">inline</p>'),
    );
    await page.waitForTimeout(200);
    expect(browserProblems(context).join('\n')).toMatch(/Content Security Policy/);
    await context.close();
  }, 120000);

  test('login, home and the error page', async () => {
    const found: string[] = [];
    const anonymous = await newContext(e2e.browser, e2e.server.url);
    const page = await anonymous.newPage();
    await withScreenshot(page, async () => {
      await visit(page, '/login', found);
      // A failed login shows its message.
      await page.getByLabel('User name').fill('desk');
      await page.getByLabel('Password').fill('wrong-password');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForLoadState('load');
      expect(await page.getByRole('alert').count()).toBe(1);
      await audit(page, '/login (failed)', found);
    });
    await anonymous.close();
    for (const user of ['desk', 'alfa', 'admin']) {
      const { context, page: home } = await loggedInPage(e2e.browser, e2e.server.url, user);
      await withScreenshot(home, async () => {
        await visit(home, '/', found);
        if (user === 'desk') await visit(home, '/no-such-page', found, 404);
        if (user === 'alfa') await visit(home, '/settings', found, 403);
      });
      await context.close();
    }
    expect(found).toEqual([]);
  }, 120000);

  test('each booking step: choices, calendar, patient dialog, search results, Add new patient errors, confirmation, bookings', async () => {
    const found: string[] = [];
    const { context, page } = await loggedInPage(e2e.browser, e2e.server.url, 'desk');
    await withScreenshot(page, async () => {
      await visit(page, '/partner-booking', found);
      await visit(page, '/booking', found);
      await openCalendar(page, alfaCardiology, true);
      await audit(page, 'calendar (one doctor)', found);
      const anyDoctor = new URL(page.url());
      anyDoctor.searchParams.delete('doctor');
      await visit(page, anyDoctor.pathname + anyDoctor.search, found);
      await openCalendar(page, alfaCardiology, true);
      await pickFreeSlot(page, true);
      await audit(page, 'calendar (slot chosen)', found);
      await startReservation(page);
      await audit(page, 'patient dialog', found);
      await searchPatient(page, 'kovacs', true);
      await audit(page, 'patient dialog (search results)', found);
      // Add new patient with nothing filled in: the form comes back with its messages.
      await page.getByRole('button', { name: 'Add new patient' }).click();
      await page.waitForLoadState('load');
      expect(await page.locator('.field-error').count()).toBeGreaterThan(0);
      await audit(page, 'patient dialog (Add new patient errors)', found);
      // The search and its results were kept through Add new patient (nothing typed is lost).
      expect(await page.getByLabel('Search patient', { exact: true }).inputValue()).toBe('kovacs');
      await page.getByRole('radio', { name: /^János Kovács/ }).check();
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.waitForURL(/\/booking\/confirmation\/\d+/);
      await audit(page, 'confirmation', found);
      await visit(page, '/bookings', found);
      await visit(page, await firstHref(page, /^\/bookings\/\d+$/), found);
    });
    await context.close();
    expect(found).toEqual([]);
  }, 150000);

  test('patients pages', async () => {
    const found: string[] = [];
    const { context, page } = await loggedInPage(e2e.browser, e2e.server.url, 'desk');
    await withScreenshot(page, async () => {
      await visit(page, '/patients', found);
      await visit(page, '/patients?q=kovacs', found);
      await visit(page, await firstHref(page, /^\/patients\/\d+$/), found);
      await visit(page, '/patients/new', found);
    });
    await context.close();
    expect(found).toEqual([]);
  }, 120000);

  test('configuration (incl. Traffic channels), statistics and Admin users', async () => {
    const found: string[] = [];
    const { context, page } = await loggedInPage(e2e.browser, e2e.server.url, 'admin');
    await withScreenshot(page, async () => {
      await visit(page, '/settings', found);
      for (const entity of ['institutions', 'qualifications', 'services', 'doctors', 'partners']) {
        await visit(page, `/settings/${entity}`, found);
        const edit = await firstHref(page, new RegExp(`^/settings/${entity}/\\d+$`));
        await visit(page, `/settings/${entity}/new`, found);
        await visit(page, edit, found);
      }
      await visit(page, '/settings/traffic-channels', found);
      await visit(page, '/settings/schedules', found);
      const schedule = await firstHref(page, /^\/settings\/schedules\/\d+$/);
      await visit(page, '/settings/schedules/new', found);
      await visit(page, schedule, found);
      await visit(page, '/statistics', found);
      await visit(page, '/admin/users', found);
      const user = await firstHref(page, /^\/admin\/users\/\d+$/);
      await visit(page, '/admin/users/new', found);
      await visit(page, user, found);
    });
    await context.close();
    expect(found).toEqual([]);
  }, 150000);

  for (const [lang, labels, locale] of [
    ['hu', hungarian, 'hu-HU'],
    ['ro', romanian, 'ro-RO'],
  ] as const) {
    test(`the main pages in ${lang}, each with <html lang="${lang}">`, async () => {
      const found: string[] = [];
      const context = await newContext(e2e.browser, e2e.server.url, { locale });
      const page = await context.newPage();
      /** axe, and the page says its language (axe checks that the value is valid). */
      const check = async (where: string) => {
        expect({ where, lang: await page.locator('html').getAttribute('lang') }).toEqual({ where, lang });
        await audit(page, `${where} (${lang})`, found);
      };
      const open = async (path: string) => {
        const res = await page.goto(path);
        expect({ path, status: res?.status() }).toEqual({ path, status: 200 });
        await check(path);
      };
      await withScreenshot(page, async () => {
        await open('/login');
        await loginIn(page, labels, 'admin');
        await check('home');
        await open('/partner-booking');
        await chooseIn(page, labels, labels.partner, 'Alfa Health Insurance', true);
        await chooseIn(page, labels, labels.institution, 'Buda Health Centre', true);
        await chooseIn(page, labels, labels.service, 'Cardiology consultation', true);
        await pickFreeIn(page, labels, true);
        await check('calendar (slot chosen)');
        await startIn(page, labels);
        await check('patient dialog');
        // A patient of its own per language: the same patient at an overlapping time gets the overlap warning.
        await searchIn(page, labels, lang === 'hu' ? 'horvath' : 'szabo', true);
        await check('patient dialog (search results)');
        await page.getByRole('radio', { name: lang === 'hu' ? /^Horváth Éva,/ : /^Mária Szabó,/ }).check();
        await saveIn(page, labels);
        await check('confirmation');
        await open('/bookings');
        await open(await firstHref(page, /^\/bookings\/\d+$/));
        await open('/patients?q=kovacs');
        await open(await firstHref(page, /^\/patients\/\d+$/));
        await open('/patients/new');
        await open('/statistics');
        await open('/statistics?group=doctor');
        await open('/settings');
        await open('/settings/doctors');
        await open(await firstHref(page, /^\/settings\/doctors\/\d+$/));
        await open('/settings/traffic-channels');
        await open('/settings/schedules');
        await open('/admin/users');
        await open('/account/language');
      });
      await context.close();
      expect(found).toEqual([]);
    }, 240000);
  }

  test('a partner user\u2019s pages', async () => {
    const found: string[] = [];
    const { context, page } = await loggedInPage(e2e.browser, e2e.server.url, 'alfa');
    await withScreenshot(page, async () => {
      await openCalendar(page, { ...alfaCardiology, partner: undefined }, true);
      await audit(page, 'calendar (alfa)', found);
      await visit(page, '/bookings', found);
    });
    await context.close();
    expect(found).toEqual([]);
  }, 120000);
});
