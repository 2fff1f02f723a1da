/**
 * Clinic configuration (permission `settings`): one router composed of the feature modules.
 * Every route below declares 'settings'; test/settings-access.test.ts walks them all.
 */
import { guardedRouter } from '../lib/router';
import { catalogueRoutes } from './catalogue.routes';
import { partnerRoutes } from '../partners/partners.routes';
import { trafficChannelRoutes } from './traffic-channels.routes';
import { scheduleRoutes } from '../schedules/schedules.routes';

export function settingsRoutes() {
  const r = guardedRouter();
  r.get('/settings', 'settings', (_req, res) => {
    res.render('settings/index', { title: 'Settings' });
  });
  catalogueRoutes(r);
  partnerRoutes(r);
  trafficChannelRoutes(r);
  scheduleRoutes(r);
  return r;
}
