import { guardedRouter } from '../lib/router';

// Placeholder until this feature is built; the permission check is already real.
export function settingsRoutes() {
  const r = guardedRouter();
  r.get('/settings', 'settings', (_req, res) => {
    res.render('placeholder', { title: 'Settings' });
  });
  r.get('/settings/traffic-channels', 'settings', (_req, res) => {
    res.render('placeholder', { title: 'Traffic channels' });
  });
  return r;
}
