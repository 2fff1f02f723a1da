import { guardedRouter } from '../lib/router';

// Placeholder until this feature is built; the permission check is already real.
export function bookingsRoutes() {
  const r = guardedRouter();
  r.get('/bookings', 'bookings_view', (_req, res) => {
    res.render('placeholder', { title: 'Bookings' });
  });
  return r;
}
