import { guardedRouter } from '../lib/router';

// Placeholder until this feature is built; the permission check is already real.
export function statisticsRoutes() {
  const r = guardedRouter();
  r.get('/statistics', 'statistics', (_req, res) => {
    res.render('placeholder', { title: 'Statistics' });
  });
  return r;
}
