/**
 * One real server (fresh database with the demo clinic) and one browser per test file.
 * Both are cleaned up even when only one of them started.
 */
import type { Browser } from 'playwright-core';
import { startServer, type RunningServer } from './server';
import { closeBrowser, launchBrowser } from './browser';

export type E2E = { server: RunningServer; browser: Browser };

/** `env`: extra environment for the server (a Romanian clinic's CURRENCY=RON, say). */
export function useE2E(options: { bfcache?: boolean; env?: Record<string, string> } = {}): E2E {
  const env = {} as E2E;
  beforeAll(async () => {
    const [server, browser] = await Promise.allSettled([
      startServer({ env: options.env }),
      launchBrowser(options),
    ]);
    if (server.status === 'fulfilled') env.server = server.value;
    if (browser.status === 'fulfilled') env.browser = browser.value;
    if (server.status === 'rejected') throw server.reason;
    if (browser.status === 'rejected') throw browser.reason;
  }, 90000);
  afterAll(async () => {
    await closeBrowser(env.browser);
    await env.server?.stop();
  }, 30000);
  return env;
}
