import type { Request, Response } from 'express';

/** True when htmx made the request (it then wants a fragment, not a page). */
export function isHtmx(req: Request): boolean {
  return req.get('HX-Request') === 'true' && req.get('HX-History-Restore-Request') !== 'true';
}

/**
 * Renders the fragment for htmx and the full page otherwise. The page includes the same
 * partial, so both always agree. Vary tells caches the two are different answers.
 */
export function renderPageOrFragment(req: Request, res: Response, page: string, fragment: string, locals: Record<string, unknown> = {}): void {
  res.vary('HX-Request');
  res.render(isHtmx(req) ? fragment : page, locals);
}

/** One-shot message shown on the next page (after a redirect). */
export function flash(req: Request, message: string): void {
  req.session.flash = message;
}

declare module 'express-session' {
  interface SessionData {
    flash?: string;
  }
}
