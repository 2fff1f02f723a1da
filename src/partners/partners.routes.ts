/**
 * Partners under /settings/partners: the same list/create/edit/deactivate screens as the
 * catalogue, plus the partner's own users (booking desks) on the partner's page.
 */
import type { Request, Response } from 'express';
import { guardedRouter, type GuardedRouter } from '../lib/router';
import { partnerUserPermissions, permissionLabels } from '../lib/permissions';
import { flash } from '../lib/render';
import { Validation } from '../lib/errors';
import { crudRoutes } from '../lib/crud';
import { formLocals, routeId, type FormValues } from '../lib/forms';
import { createUser } from '../users/users.service';
import { partnerRulesLocals, partnerRulesRoutes, type PartnerRulesLocals } from './references.routes';
import {
  partnerCommission,
  getPartner,
  listPartners,
  listPartnerUsers,
  partnerFormValues,
  partnerSchema,
  savePartner,
  setPartnerActive,
  type PartnerRow,
} from './partners.service';
import { cancellationWindowLocals, cancellationWindowRoutes } from './cancellation-window.routes';

export const messages = {
  userCreated: (username: string) => `User ${username} created for this partner.`,
  userInvalid: 'Please correct the marked fields of the new user. Nothing was saved.',
};

const emptyUser = { username: '', displayName: '', permissions: ['partner_booking', 'bookings_view'] };

async function partnerExtras(
  req: Request,
  partner: PartnerRow,
  user: { values: FormValues; errors: Record<string, string> } = { values: emptyUser, errors: {} },
  rules?: PartnerRulesLocals,
) {
  return {
    ...(rules ?? (await partnerRulesLocals(req.ctx.db, partner.id))),
    users: await listPartnerUsers(req.ctx.db, partner.id),
    userValues: user.values,
    userErrors: user.errors,
    userHas: (field: string, value: string) => formLocals(user.values, {}).has(field, value),
    partnerPermissions: partnerUserPermissions.map((p) => ({ value: p, label: permissionLabels[p] })),
    permissionLabels,
    ...(await cancellationWindowLocals(req, partner.id)),
  };
}

export function partnerRoutes(r: GuardedRouter): void {
  crudRoutes(r, {
    entity: 'partner',
    path: '/settings/partners',
    label: 'Partner',
    plural: 'Partners',
    view: 'partner',
    schema: partnerSchema,
    list: listPartners,
    get: getPartner,
    emptyValues: {
      name: '',
      tax_number: '',
      registration_number: '',
      contact_name: '',
      contact_email: '',
      contact_phone: '',
      commission_type: 'percent',
      commission_value: '0',
      can_see_patient_records: '',
    },
    toValues: partnerFormValues,
    editExtras: (req, partner) => partnerExtras(req, partner),
    listLocals: { describeCommission: partnerCommission },
    save: savePartner,
    setActive: setPartnerActive,
  });
  cancellationWindowRoutes(r);

  // Reference numbers and the Partner users switch: their own block and form (references.routes).
  partnerRulesRoutes(r, async (req, res, partnerId, rules) => {
    const partner = await getPartner(req.ctx.db, partnerId);
    res.render('settings/partner-form', {
      title: `Partner: ${partner.name}`,
      record: partner,
      action: `/settings/partners/${partner.id}`,
      c: { path: '/settings/partners', label: 'Partner', plural: 'Partners' },
      ...formLocals(partnerFormValues(partner), {}),
      ...(await partnerExtras(req, partner, undefined, rules)),
    });
  });

  // Creating a login is user administration, not a setting: users_admin only.
  r.post('/settings/partners/:id/users', 'users_admin', async (req: Request, res: Response) => {
    const partner = await getPartner(req.ctx.db, routeId(req));
    const body = (req.body ?? {}) as FormValues;
    // Only partner permissions are offered; anything else in the body is refused by createUser.
    const input = {
      username: body.username,
      displayName: body.displayName,
      password: body.password,
      permissions: body.permissions,
      partnerId: partner.id,
      allInstitutions: true,
      institutionIds: [],
    };
    try {
      await createUser(req.ctx.db, req.ctx.clock, req.user!, input as never, req.ip);
    } catch (err) {
      if (!(err instanceof Validation)) throw err;
      const values = {
        username: body.username ?? '',
        displayName: body.displayName ?? '',
        permissions: body.permissions ?? [],
      };
      res.status(422).render('settings/partner-form', {
        title: `Partner: ${partner.name}`,
        record: partner,
        action: `/settings/partners/${partner.id}`,
        c: { path: '/settings/partners', label: 'Partner', plural: 'Partners' },
        ...formLocals(partnerFormValues(partner), {}),
        ...(await partnerExtras(req, partner, {
          values,
          errors: Object.keys(err.fieldErrors).length ? err.fieldErrors : { _form: err.message },
        })),
      });
      return;
    }
    flash(req, messages.userCreated(String(body.username)));
    res.redirect(303, `/settings/partners/${partner.id}#users`);
  });
}

/** The feature's router, mounted by app.ts (under /settings, permission `settings`). */
export function partnersRoutes() {
  const r = guardedRouter();
  partnerRoutes(r);
  return r;
}
