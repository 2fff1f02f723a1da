/**
 * A reservation page reached after it ended (Back after Save or "Cancel reservation", an old
 * tab): the hold row is gone, so the session keeps where each recent dialog's "Back to the
 * calendar" pointed, to offer the same choices again instead of a bare 404.
 */
import type { Request } from 'express';

declare module 'express-session' {
  interface SessionData {
    reservationBackUrls?: { token: string; backUrl: string }[];
  }
}

const KEEP = 5;

/** Called when a reservation dialog is shown as a full page. */
export function rememberReservation(req: Request, token: string, backUrl: string): void {
  if (!req.session) return;
  const known = req.session.reservationBackUrls ?? [];
  if (known.some((r) => r.token === token && r.backUrl === backUrl)) return;
  req.session.reservationBackUrls = [...known.filter((r) => r.token !== token), { token, backUrl }].slice(
    -KEEP,
  );
}

/** Where the ended reservation's dialog pointed back to, if this session still knows. */
export function rememberedBackUrl(req: Request, token: string): string | null {
  return req.session?.reservationBackUrls?.find((r) => r.token === token)?.backUrl ?? null;
}
