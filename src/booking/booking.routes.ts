import { guardedRouter } from '../lib/router';

// Placeholder until this feature is built; the permission check is already real.
export function bookingRoutes() {
  const r = guardedRouter();
  r.get('/booking', 'booking', (_req, res) => {
    res.render('placeholder', { title: 'Calendar' });
  });
  r.get('/partner-booking', 'partner_booking', (_req, res) => {
    res.render('placeholder', { title: 'Book to partner' });
  });
  return r;
}
