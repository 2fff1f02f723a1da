/**
 * The outbox page (Settings, permission `settings`): e-mail confirmations on or off, and every
 * queued e-mail with its state (sent, waiting with the last error, failed) and Retry.
 */
import { guardedRouter } from '../lib/router';
import { audit } from '../lib/audit';
import { writeTransaction } from '../lib/db';
import { NotFound } from '../lib/errors';
import { flash, redirectAfterPost } from '../lib/render';
import { idParam, parseOr400 } from '../lib/validate';
import { en } from '../i18n/messages/en';
import { clinicTimeZone } from '../settings/institutions.queries';
import { mailSwitchForm, outboxListQuery } from './outbox.forms';
import {
  listOutbox,
  mailConfirmationsEnabled,
  outboxRowExists,
  retryOutboxRow,
  saveMailConfirmationsEnabled,
} from './outbox.queries';

export const messages = {
  enabled: en['outbox.enabledSaved'],
  disabled: en['outbox.disabledSaved'],
  retried: en['outbox.retried'],
  notRetried: en['outbox.notRetried'],
  notFound: en['outbox.notFound'],
};

const PER_PAGE = 50;

export function outboxRoutes() {
  const r = guardedRouter();

  r.get('/settings/outbox', 'settings', async (req, res) => {
    const q = parseOr400(outboxListQuery, req.query);
    const status = q.status ?? 'all';
    const [list, enabled] = await Promise.all([
      listOutbox(req.ctx.db, { status, page: q.page ?? 1, perPage: PER_PAGE }),
      mailConfirmationsEnabled(req.ctx.db),
    ]);
    // Times in the clinic's zone (its first institution's), as the bookings list's dates.
    const zone = await clinicTimeZone(req.ctx.db);
    const link = (page: number) => `/settings/outbox?${new URLSearchParams({ status, page: String(page) })}`;
    res.render('settings/outbox', {
      title: req.t('outbox.title'),
      enabled,
      smtpConfigured: Boolean(req.ctx.config.smtpUrl),
      status,
      ...list,
      rows: list.rows.map((row) => ({
        ...row,
        createdLocal: req.formats.formatDateTime(String(row.created_at), zone),
        nextLocal: req.formats.formatDateTime(String(row.next_attempt_at), zone),
        sentLocal: row.sent_at ? req.formats.formatDateTime(String(row.sent_at), zone) : null,
      })),
      prevLink: list.page > 1 ? link(list.page - 1) : null,
      nextLink: list.page < list.pages ? link(list.page + 1) : null,
    });
  });

  r.post('/settings/outbox/enabled', 'settings', async (req, res) => {
    const { enabled } = parseOr400(mailSwitchForm, req.body ?? {});
    const on = enabled === '1';
    await writeTransaction(req.ctx.db, async (trx) => {
      // Saving what is already set changes nothing and is not audited.
      if ((await mailConfirmationsEnabled(trx)) === on) return;
      await saveMailConfirmationsEnabled(trx, on);
      await audit(trx, req.ctx.clock, {
        actor: req.user!,
        action: 'settings.mail_confirmations',
        entityType: 'settings',
        ip: req.ip,
        details: { enabled: on },
      });
    });
    flash(req, on ? messages.enabled : messages.disabled);
    redirectAfterPost(req, res, '/settings/outbox');
  });

  r.post('/settings/outbox/:id/retry', 'settings', async (req, res) => {
    const id = idParam(req.params.id);
    if (!id || !(await outboxRowExists(req.ctx.db, id))) throw new NotFound(messages.notFound);
    const changed = await writeTransaction(req.ctx.db, async (trx) => {
      const n = await retryOutboxRow(trx, id, req.ctx.clock.nowIso());
      if (n === 1)
        await audit(trx, req.ctx.clock, {
          actor: req.user!,
          action: 'mail.retried',
          entityType: 'mail_outbox',
          entityId: id,
          ip: req.ip,
        });
      return n;
    });
    flash(req, changed === 1 ? messages.retried : messages.notRetried);
    redirectAfterPost(req, res, '/settings/outbox');
  });

  return r;
}
