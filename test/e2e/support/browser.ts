/**
 * Headless Debian chromium driven by playwright-core (never a downloaded browser), logins by the
 * real form, and screenshots of failing tests in test-artifacts/.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core';
import { projectRoot } from './server';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const artifactsDir = path.join(projectRoot, 'test-artifacts');
export const demoPassword = 'demo1234';

/** `bfcache: true` keeps Chromium's back/forward cache on (playwright switches it off by default), as in a real browser. */
export function launchBrowser(options: { bfcache?: boolean } = {}): Promise<Browser> {
  if (!fs.existsSync(chromiumPath))
    throw new Error(
      `Chromium not found at ${chromiumPath}: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH`,
    );
  return chromium.launch({
    executablePath: chromiumPath,
    ignoreDefaultArgs: options.bfcache ? ['--disable-back-forward-cache'] : undefined,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

const problems = new WeakMap<BrowserContext, string[]>();

/**
 * Console errors and uncaught script errors seen in the context so far: CSP violations (an inline
 * script or style the policy blocked), failed loads, htmx errors. A clean flow has none.
 */
export function browserProblems(context: BrowserContext): string[] {
  return problems.get(context) ?? [];
}

/** A context like a reception PC: one viewport, English, optionally with JavaScript switched off. */
export async function newContext(
  browser: Browser,
  baseURL: string,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    ...options,
  });
  // Fail (and screenshot) well before jest's own timeout would cut the test off.
  context.setDefaultTimeout(15000);
  const found: string[] = [];
  problems.set(context, found);
  context.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    found.push(`console error on ${msg.page()?.url() ?? '?'}: ${msg.text()} (${msg.location().url})`);
  });
  context.on('weberror', (err) => found.push(`script error: ${err.error().message}`));
  // After every htmx swap (and on every page), report what the CSP would block or did block: a
  // <style> element htmx injected (its indicator styles) or an inline style attribute, as console
  // errors the listener above collects. Init scripts run outside the page's CSP.
  await context.addInitScript(() => {
    const check = (when: string) => {
      const styles = document.querySelectorAll('style').length;
      const inline = document.querySelectorAll('[style]').length;
      if (styles || inline)
        console.error(
          `inline styles after ${when}: ${styles} <style> element(s), ${inline} style attribute(s)`,
        );
    };
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`),
    );
    document.addEventListener('htmx:afterSettle', () => check('an htmx swap'));
    window.addEventListener('load', () => check('the page load'));
  });
  context.setDefaultNavigationTimeout(30000);
  return context;
}

export function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 120) || 'test'
  );
}

/**
 * Runs a browser step; if it throws, a full-page screenshot named after the current test is
 * written to test-artifacts/ before the error is passed on.
 */
export async function withScreenshot<T>(page: Page, fn: () => Promise<T>, name?: string): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const testName = name ?? expect.getState().currentTestName ?? 'e2e';
    fs.mkdirSync(artifactsDir, { recursive: true });
    const file = path.join(artifactsDir, `${slug(testName)}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    if (err instanceof Error)
      err.message += `\n(screenshot: ${path.relative(projectRoot, file)}, page: ${page.url()})`;
    throw err;
  }
}

/**
 * Waits until htmx has finished every request it started: the response has been swapped in and
 * settled. `waitForResponse` resolves when the answer's headers arrive, before htmx has read the
 * body and swapped it, so reading the page right after it can still see the old fragment.
 */
export async function htmxSettled(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling'));
}

/** Logs in through the login form, like a person. */
export async function login(page: Page, username: string, password = demoPassword): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(password);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/login')),
    page.getByRole('button', { name: 'Log in' }).click(),
  ]);
}

/** A logged-in context and page for a demo user. */
export async function loggedInPage(
  browser: Browser,
  baseURL: string,
  username: string,
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(browser, baseURL, options);
  const page = await context.newPage();
  await withScreenshot(page, () => login(page, username), `login-${username}`);
  return { context, page };
}

/** Closes the browser, but never lets a stuck close keep jest alive. */
export async function closeBrowser(browser: Browser | undefined): Promise<void> {
  if (!browser) return;
  await Promise.race([browser.close(), new Promise((resolve) => setTimeout(resolve, 10000).unref())]);
}
