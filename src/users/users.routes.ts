/**
 * Admin users: list, create, edit (permissions, partner binding, institution access, active),
 * set a new password. The rules live in users.service.ts; handlers take input, call, render.
 */
import type { Request, Response } from 'express';
import { guardedRouter } from '../lib/router';
import { NotFound, Validation } from '../lib/errors';
import { idParam } from '../lib/validate';
import {
  accessInputFromBody,
  emptyValues,
  passwordInputFromBody,
  valuesFromBody,
  valuesOfStored,
  type UserFormValues,
} from './users.forms';
import { flash, redirectAfterPost, renderPageOrFragment } from '../lib/render';
import { allPermissions, partnerUserPermissions, permissionLabels } from '../lib/permissions';
import { institutionOptions, listUsers, partnerOptions } from './users.queries';
import { userLanguage } from '../i18n/language.queries';
import {
  createUser,
  loadAccess,
  messages as serviceMessages,
  setPassword,
  updateUser,
  validateNewUser,
} from './users.service';

export const messages = {
  listTitle: 'Admin users',
  newTitle: 'New user',
  editTitle: (username: string) => `User ${username}`,
  created: (username: string) => `User ${username} was created.`,
  saved: 'The changes were saved.',
  passwordSet: 'The new password was set.',
  notFound: 'This user does not exist.',
};

/** Locals shared by the new and edit pages and their form fragments. */
async function formLocals(req: Request, values: UserFormValues, heldInstitutionIds: number[] = []) {
  const partnerId = /^\d{1,10}$/.test(values.partnerId) ? Number(values.partnerId) : null;
  const [partners, institutions] = await Promise.all([
    partnerOptions(req.ctx.db, partnerId),
    institutionOptions(req.ctx.db, heldInstitutionIds),
  ]);
  return {
    values,
    partners,
    institutions,
    permissionChoices: allPermissions.map((p) => ({
      value: p,
      label: permissionLabels[p],
      partnerAllowed: partnerUserPermissions.includes(p),
    })),
    partnerPermissionLabels: partnerUserPermissions.map((p) => permissionLabels[p]),
  };
}

function userIdFrom(req: Request): number {
  const id = idParam(req.params.id);
  if (id === null) throw new NotFound(messages.notFound);
  return id;
}

async function renderEdit(
  req: Request,
  res: Response,
  userId: number,
  opts: {
    values?: UserFormValues;
    errors?: Record<string, string>;
    passwordErrors?: Record<string, string>;
    fragment?: string;
    status?: number;
  },
) {
  const stored = await loadAccess(req.ctx.db, userId);
  if (!stored) throw new NotFound(messages.notFound);
  const values: UserFormValues = opts.values ?? {
    ...valuesOfStored(stored),
    language: (await userLanguage(req.ctx.db, userId)) ?? '',
  };
  values.username = stored.username;
  const locals = {
    title: messages.editTitle(stored.username),
    mode: 'edit',
    action: `/admin/users/${userId}`,
    userId,
    username: stored.username,
    isSelf: req.user!.id === userId,
    errors: opts.errors ?? {},
    passwordErrors: opts.passwordErrors ?? {},
    ...(await formLocals(req, values, stored.institutionIds)),
  };
  res.status(opts.status ?? 200);
  renderPageOrFragment(req, res, 'users/edit', opts.fragment ?? 'users/_user-form', locals);
}

export function usersRoutes() {
  const r = guardedRouter();

  r.get('/admin/users', 'users_admin', async (req, res) => {
    const users = await listUsers(req.ctx.db);
    res.render('users/index', { title: messages.listTitle, users, permissionLabels });
  });

  r.get('/admin/users/new', 'users_admin', async (req, res) => {
    res.render('users/new', {
      title: messages.newTitle,
      mode: 'new',
      action: '/admin/users',
      errors: {},
      ...(await formLocals(req, { ...emptyValues })),
    });
  });

  r.post('/admin/users', 'users_admin', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = valuesFromBody(body);
    const input = accessInputFromBody(body);
    try {
      // The confirmation is a form concern; collect every message before refusing.
      const typed = passwordInputFromBody(body);
      if (typed.password !== typed.passwordConfirm) {
        const { errors } = await validateNewUser(req.ctx.db, input);
        throw new Validation(serviceMessages.invalid, {
          ...errors,
          passwordConfirm: serviceMessages.passwordMismatch,
        });
      }
      const id = await createUser(req.ctx.db, req.ctx.clock, req.user!, input as never, req.ip);
      flash(req, messages.created(values.username));
      redirectAfterPost(req, res, `/admin/users/${id}`);
    } catch (err) {
      if (!(err instanceof Validation)) throw err;
      res.status(422);
      renderPageOrFragment(req, res, 'users/new', 'users/_user-form', {
        title: messages.newTitle,
        mode: 'new',
        action: '/admin/users',
        errors: err.fieldErrors,
        ...(await formLocals(req, values)),
      });
    }
  });

  r.get('/admin/users/:id', 'users_admin', async (req, res) => {
    await renderEdit(req, res, userIdFrom(req), {});
  });

  r.post('/admin/users/:id', 'users_admin', async (req, res) => {
    const userId = userIdFrom(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      await updateUser(req.ctx.db, req.ctx.clock, req.user!, userId, accessInputFromBody(body), req.ip);
      flash(req, messages.saved);
      redirectAfterPost(req, res, `/admin/users/${userId}`);
    } catch (err) {
      if (!(err instanceof Validation)) throw err;
      await renderEdit(req, res, userId, {
        values: valuesFromBody(body),
        errors: err.fieldErrors,
        status: 422,
      });
    }
  });

  r.post('/admin/users/:id/password', 'users_admin', async (req, res) => {
    const userId = userIdFrom(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      const { username } = await setPassword(
        req.ctx.db,
        req.ctx.clock,
        req.user!,
        userId,
        passwordInputFromBody(body),
        req.ip,
      );
      // So an administrator can let a locked-out desk back in at once.
      await req.ctx.throttle.unlock(username);
      flash(req, messages.passwordSet);
      redirectAfterPost(req, res, `/admin/users/${userId}`);
    } catch (err) {
      if (!(err instanceof Validation)) throw err;
      await renderEdit(req, res, userId, {
        passwordErrors: err.fieldErrors,
        fragment: 'users/_password-form',
        status: 422,
      });
    }
  });

  return r;
}
