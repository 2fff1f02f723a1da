import type { Request, Response } from 'express';

/** True when htmx made the request (it then wants a fragment, not a page). */
export function isHtmx(req: Request): boolean {
  return req.get('HX-Request') === 'true' && req.get('HX-History-Restore-Request') !== 'true';
}

/**
 * Renders the fragment for htmx and the full page otherwise. The page includes the same
 * partial, so both always agree. Vary tells caches the two are different answers.
 */
export function renderPageOrFragment(
  req: Request,
  res: Response,
  page: string,
  fragment: string,
  locals: Record<string, unknown> = {},
): void {
  res.vary('HX-Request');
  res.render(isHtmx(req) ? fragment : page, locals);
}

/**
 * After a successful POST: a 303 redirect for a plain request; for htmx a 200 with HX-Redirect, so the
 * browser makes a full-page navigation to `url` instead of swapping the answer into the form.
 */
export function redirectAfterPost(req: Request, res: Response, url: string): void {
  if (isHtmx(req)) {
    res.set('HX-Redirect', url).status(200).end();
    return;
  }
  res.redirect(303, url);
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
