/**
 * Partner users (/partner/users): a partner admin's own partner's users. Declared `partner_admin`;
 * mayAdministerPartnerUsers (a partner user, the clinic's switch on) and the tenant scope
 * (another partner's user: 404) are applied by the service.
 */
import type { Request, Response } from 'express';
import { guardedRouter } from '../lib/router';
import { Forbidden, NotFound, Validation } from '../lib/errors';
import { mayAdministerPartnerUsers, partnerAdminGrantable, partnerUserPermissions } from '../lib/permissions';
import { flash, redirectAfterPost } from '../lib/render';
import { fieldText, fieldTextList, idParam, isTicked } from '../lib/validate';
import { listPartnerUsers } from '../partners/partners.queries';
import {
  createPartnerUser,
  loadManagedUser,
  resetPartnerUserPassword,
  updatePartnerUser,
} from './partner-users.service';

export const messages = {
  created: (username: string) => `User ${username} was created.`,
  saved: 'The changes were saved.',
  passwordSet: 'The new password was set.',
  notFound: 'This user does not exist.',
};

type FormValues = { username: string; displayName: string; permissions: string[]; active: boolean };

function userIdFrom(req: Request): number {
  const id = idParam(req.params.id);
  if (id === null) throw new NotFound(messages.notFound);
  return id;
}

/** The permission boxes: every partner permission, enabled only where the admin may grant it. */
function permissionChoices(req: Request) {
  const grantable = new Set<string>(partnerAdminGrantable(req.user!));
  return partnerUserPermissions.map((p) => ({ value: p, grantable: grantable.has(p) }));
}

function valuesFromBody(body: Record<string, unknown>): FormValues {
  return {
    username: fieldText(body.username, 64),
    displayName: fieldText(body.displayName, 200),
    permissions: fieldTextList(body.permissions, 50),
    active: isTicked(body.active),
  };
}

async function renderEdit(
  req: Request,
  res: Response,
  userId: number,
  opts: {
    values?: FormValues;
    errors?: Record<string, string>;
    passwordErrors?: Record<string, string>;
  } = {},
) {
  const stored = await loadManagedUser(req.ctx.db, req.user!, userId);
  res.render('partner-users/edit', {
    title: 'Partner users',
    userId,
    username: stored.username,
    isSelf: req.user!.id === userId,
    values: opts.values ?? {
      username: stored.username,
      displayName: stored.displayName,
      permissions: [...stored.permissions],
      active: stored.active,
    },
    errors: opts.errors ?? {},
    passwordErrors: opts.passwordErrors ?? {},
    permissionChoices: permissionChoices(req),
  });
}

export function partnerUsersRoutes() {
  const r = guardedRouter();
  const assert = (req: Request) => {
    if (!mayAdministerPartnerUsers(req.user)) throw new Forbidden();
  };

  r.get('/partner/users', 'partner_admin', async (req, res) => {
    assert(req);
    res.render('partner-users/index', {
      title: 'Partner users',
      users: await listPartnerUsers(req.ctx.db, req.user!.partnerId!),
    });
  });

  r.get('/partner/users/new', 'partner_admin', (req, res) => {
    assert(req);
    res.render('partner-users/new', {
      title: 'Partner users',
      values: { username: '', displayName: '', permissions: [], active: true },
      errors: {},
      permissionChoices: permissionChoices(req),
    });
  });

  r.post('/partner/users', 'partner_admin', async (req, res) => {
    assert(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      const id = await createPartnerUser(req.ctx.db, req.ctx.clock, req.user!, body, req.ip);
      flash(req, messages.created(fieldText(body.username, 64)));
      redirectAfterPost(req, res, `/partner/users/${id}`);
    } catch (err) {
      if (!(err instanceof Validation)) throw err;
      res.status(422).render('partner-users/new', {
        title: 'Partner users',
        values: valuesFromBody(body),
        errors: err.fieldErrors,
        permissionChoices: permissionChoices(req),
      });
    }
  });

  r.get('/partner/users/:id', 'partner_admin', async (req, res) => {
    await renderEdit(req, res, userIdFrom(req));
  });

  r.post('/partner/users/:id', 'partner_admin', async (req, res) => {
    const userId = userIdFrom(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      await updatePartnerUser(req.ctx.db, req.ctx.clock, req.user!, userId, body, req.ip);
      flash(req, messages.saved);
      redirectAfterPost(req, res, `/partner/users/${userId}`);
    } catch (err) {
      if (!(err instanceof Validation)) throw err;
      res.status(422);
      const stored = await loadManagedUser(req.ctx.db, req.user!, userId);
      await renderEdit(req, res, userId, {
        values: { ...valuesFromBody(body), username: stored.username },
        errors: err.fieldErrors,
      });
    }
  });

  r.post('/partner/users/:id/password', 'partner_admin', async (req, res) => {
    const userId = userIdFrom(req);
    try {
      const { username } = await resetPartnerUserPassword(
        req.ctx.db,
        req.ctx.clock,
        req.user!,
        userId,
        (req.body ?? {}) as Record<string, unknown>,
        req.ip,
      );
      await req.ctx.throttle.unlock(username);
      flash(req, messages.passwordSet);
      redirectAfterPost(req, res, `/partner/users/${userId}`);
    } catch (err) {
      if (!(err instanceof Validation)) throw err;
      res.status(422);
      await renderEdit(req, res, userId, { passwordErrors: err.fieldErrors });
    }
  });

  return r;
}
