/**
 * Clinic configuration (permission `settings`): the catalogue and the traffic-channel matrix.
 * Partners and schedules live under /settings too but are their own features, mounted from app.ts.
 * Every route declares its permission; test/settings-access.test.ts walks them all.
 */
import { guardedRouter } from '../lib/router';
import { catalogueRoutes } from './catalogue.routes';
import { trafficChannelRoutes } from './traffic-channels.routes';
import { clinicLanguage } from '../i18n/middleware';
import { offeredIdentifierTypes } from '../patients/identifier-settings';

export function settingsRoutes() {
  const r = guardedRouter();
  r.get('/settings', 'settings', async (req, res) => {
    res.render('settings/index', {
      title: req.t('settings.title'),
      clinicLanguage: await clinicLanguage(req.ctx.db, req.ctx.config),
      identifierTypesOffered: await offeredIdentifierTypes(req.ctx.db),
    });
  });
  catalogueRoutes(r);
  trafficChannelRoutes(r);
  return r;
}
