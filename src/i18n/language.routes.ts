/**
 * Choosing the language: each user for themself (/account/language), and the clinic default in
 * Settings. The login page's switch is plain links (?lang=hu), handled by the language middleware.
 */
import { z } from 'zod';
import { guardedRouter } from '../lib/router';
import { Validation } from '../lib/errors';
import { audit } from '../lib/audit';
import { writeTransaction } from '../lib/db';
import { flash, redirectAfterPost } from '../lib/render';
import { firstOf } from '../lib/validate';
import { en } from './messages/en';
import { isLanguage } from './index';
import { forgetClinicLanguage } from './middleware';
import { saveClinicLanguage, saveUserLanguage } from './language.queries';
import { userLanguageField } from './language.forms';

export const messages = {
  saved: en['language.saved'],
  clinicSaved: en['language.clinicDefaultSaved'],
  unknown: en['language.unknown'],
};

const clinicLanguageField = z.preprocess(firstOf, z.string().refine(isLanguage, messages.unknown));

export function languageRoutes() {
  const r = guardedRouter();

  r.get('/account/language', 'authenticated', (req, res) => {
    res.render('account/language', {
      title: req.t('language.title'),
      value: req.user!.language ?? '',
      errors: {},
    });
  });

  r.post('/account/language', 'authenticated', async (req, res) => {
    // A form without the field is not a choice ('' is: it clears the choice).
    const raw: unknown = (req.body ?? {}).language;
    const parsed = userLanguageField.safeParse(raw === undefined ? 'missing' : raw);
    if (!parsed.success) {
      res.status(422);
      return res.render('account/language', {
        title: req.t('language.title'),
        value: '',
        errors: { language: messages.unknown },
      });
    }
    const user = req.user!;
    await writeTransaction(req.ctx.db, async (trx) => {
      await saveUserLanguage(trx, user.id, parsed.data);
      await audit(trx, req.ctx.clock, {
        actor: user,
        action: 'user.language_changed',
        entityType: 'user',
        entityId: user.id,
        ip: req.ip,
        details: { before: user.language ?? null, after: parsed.data },
      });
    });
    flash(req, messages.saved);
    redirectAfterPost(req, res, '/account/language');
  });

  r.post('/settings/language', 'settings', async (req, res) => {
    const parsed = clinicLanguageField.safeParse((req.body ?? {}).language);
    if (!parsed.success) throw new Validation(messages.unknown, { language: messages.unknown });
    const lang = parsed.data;
    await writeTransaction(req.ctx.db, async (trx) => {
      await saveClinicLanguage(trx, lang);
      await audit(trx, req.ctx.clock, {
        actor: req.user!,
        action: 'settings.default_language',
        entityType: 'settings',
        ip: req.ip,
        details: { language: lang },
      });
    });
    forgetClinicLanguage(req.ctx.db);
    flash(req, messages.clinicSaved);
    redirectAfterPost(req, res, '/settings');
  });

  return r;
}
