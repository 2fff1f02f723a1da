/**
 * Page weight on the kind of PC and network a clinic reception has: the calendar page's first
 * load (empty cache) must stay small, be compressed, and its static files must be cacheable.
 */
import type { BrowserContext, Response } from 'playwright-core';
import { loggedInPage, newContext, withScreenshot } from './support/browser';
import { alfaCardiology, openCalendar } from './support/flow';
import { useE2E } from './support/suite';

const budgetBytes = 60 * 1024;
const oneYear = 365 * 24 * 3600;

const e2e = useE2E();

type Transfer = {
  url: string;
  type: string;
  status: number;
  encoding: string;
  cacheControl: string;
  etag: string;
  bodyBytes: number;
  headerBytes: number;
  decodedBytes: number;
};

/** Loads `url` in a context with an empty cache and returns what went over the wire. */
async function firstLoad(context: BrowserContext, url: string): Promise<Transfer[]> {
  const page = await context.newPage();
  const responses: Response[] = [];
  page.on('response', (r) => responses.push(r));
  await withScreenshot(page, async () => {
    const main = await page.goto(url);
    expect(main?.status()).toBe(200);
    await page.waitForLoadState('load');
  });
  const out: Transfer[] = [];
  for (const r of responses) {
    const sizes = await r.request().sizes();
    const headers = await r.allHeaders();
    const body = await r.body().catch(() => Buffer.alloc(0));
    // Chromium reports a negative body size for responses served from its cache: nothing transferred.
    const fromCache = sizes.responseBodySize < 0;
    out.push({
      url: r.url(),
      type: r.request().resourceType(),
      status: r.status(),
      encoding: headers['content-encoding'] ?? '',
      cacheControl: headers['cache-control'] ?? '',
      etag: headers['etag'] ?? '',
      bodyBytes: fromCache ? 0 : sizes.responseBodySize,
      headerBytes: fromCache ? 0 : sizes.responseHeadersSize,
      decodedBytes: body.length,
    });
  }
  await page.close();
  return out;
}

function report(name: string, transfers: Transfer[]): number {
  const total = transfers.reduce((n, t) => n + t.bodyBytes + t.headerBytes, 0);
  const lines = transfers.map(
    (t) =>
      `  ${t.type.padEnd(10)} ${String(t.bodyBytes).padStart(7)} B on the wire (${t.decodedBytes} B decoded, ${t.encoding || 'identity'}) ${new URL(t.url).pathname}`,
  );
  console.log(`${name}: ${total} bytes transferred on first load\n${lines.join('\n')}`);
  return total;
}

/** The storage state of a logged-in user, so the measured context starts with an empty cache. */
async function sessionOf(username: string) {
  const { context, page } = await loggedInPage(e2e.browser, e2e.server.url, username);
  await withScreenshot(page, () => openCalendar(page, alfaCardiology, true));
  const calendarUrl = page.url();
  const state = await context.storageState();
  await context.close();
  return { calendarUrl, state };
}

describe('page weight of the calendar page', () => {
  test('first load (HTML + CSS + JS, gzip) is under 60 KB, compressed and cacheable', async () => {
    const { calendarUrl, state } = await sessionOf('desk');
    expect(new URL(calendarUrl).search).toContain('service=');
    const context = await newContext(e2e.browser, e2e.server.url, {
      storageState: state,
      extraHTTPHeaders: { 'Accept-Encoding': 'gzip' },
    });
    const transfers = await firstLoad(context, calendarUrl);
    const total = report('calendar', transfers);

    const html = transfers.filter((t) => t.type === 'document');
    const css = transfers.filter((t) => t.type === 'stylesheet');
    const js = transfers.filter((t) => t.type === 'script');
    expect(html).toHaveLength(1);
    expect(css.length).toBeGreaterThanOrEqual(1);
    expect(js.length).toBeGreaterThanOrEqual(1);
    // The calendar page itself carries the week: it must not be an empty shell.
    expect(html[0].decodedBytes).toBeGreaterThan(2000);
    expect(total).toBeLessThan(budgetBytes);

    // Everything worth compressing is gzip-compressed (compression skips bodies under 1 KB).
    for (const t of [...html, ...css, ...js]) {
      if (t.decodedBytes >= 1024)
        expect({ url: t.url, encoding: t.encoding }).toEqual({ url: t.url, encoding: 'gzip' });
    }
    // Static files: fingerprinted names and a year of immutable caching, plus validators.
    for (const t of [...css, ...js]) {
      const url = new URL(t.url);
      expect(url.origin).toBe(e2e.server.url);
      expect(url.searchParams.get('v')).toMatch(/^[0-9a-f]{8,}$/);
      const maxAge = Number(/max-age=(\d+)/.exec(t.cacheControl)?.[1] ?? 0);
      expect(maxAge).toBeGreaterThanOrEqual(oneYear);
      expect(t.cacheControl).toContain('immutable');
      expect(t.etag).not.toBe('');
    }

    // The widest calendar: every doctor offering the service (no doctor chosen) still fits.
    const anyDoctor = new URL(calendarUrl);
    anyDoctor.searchParams.delete('doctor');
    const wide = await firstLoad(context, anyDoctor.toString());
    expect(wide.find((t) => t.type === 'document')!.decodedBytes).toBeGreaterThan(html[0].decodedBytes);
    expect(report('calendar, any doctor (HTML only, CSS/JS cached)', wide)).toBeLessThan(
      budgetBytes - (total - html[0].bodyBytes - html[0].headerBytes),
    );

    // A second visit takes CSS and JS from the cache: only the HTML comes over the network.
    const again = await firstLoad(context, calendarUrl);
    expect(again.filter((t) => t.type !== 'document' && t.bodyBytes > 0).map((t) => t.url)).toEqual([]);
    await context.close();
  }, 120000);
});
