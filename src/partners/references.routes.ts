/**
 * The partner page's "Reference numbers and Partner users" block (settings): its own form and
 * route, so the partner's main form stays as it is. Registered by partners.routes.ts.
 */
import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import type { GuardedRouter } from '../lib/router';
import { Validation } from '../lib/errors';
import { routeId } from '../lib/forms';
import { flash } from '../lib/render';
import { fieldText, isTicked } from '../lib/validate';
import { partnerRulesOf, savePartnerRules } from './references.service';
import type { PartnerRulesValues } from './references.forms';
import { referenceRules } from './references';

export const messages = { saved: 'Reference number and Partner users settings saved.' };

export type PartnerRulesLocals = { rulesValues: PartnerRulesValues; rulesErrors: Record<string, string> };

/** The block's locals for a partner's page, from the stored settings. */
export async function partnerRulesLocals(db: Knex, partnerId: number): Promise<PartnerRulesLocals> {
  const rules = await partnerRulesOf(db, partnerId);
  return {
    rulesValues: {
      reference_required: rules?.required ?? false,
      reference_label: rules?.label ?? '',
      reference_pattern: rules?.pattern ?? '',
      partner_admin_enabled: rules?.partnerAdminEnabled ?? true,
    },
    rulesErrors: {},
  };
}

export function partnerRulesRoutes(
  r: GuardedRouter,
  renderPartnerPage: (
    req: Request,
    res: Response,
    partnerId: number,
    rules: PartnerRulesLocals,
  ) => Promise<void>,
): void {
  r.post('/settings/partners/:id/rules', 'settings', async (req, res) => {
    const id = routeId(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    try {
      await savePartnerRules(req.ctx.db, { actor: req.user!, clock: req.ctx.clock, ip: req.ip }, id, body);
    } catch (err) {
      if (!(err instanceof Validation)) throw err;
      res.status(422);
      return renderPartnerPage(req, res, id, {
        rulesValues: {
          reference_required: isTicked(body.reference_required),
          reference_label: fieldText(body.reference_label, referenceRules.maxLabelLength * 2),
          reference_pattern: fieldText(body.reference_pattern, 1000),
          partner_admin_enabled: isTicked(body.partner_admin_enabled),
        },
        rulesErrors: err.fieldErrors,
      });
    }
    flash(req, messages.saved);
    res.redirect(303, `/settings/partners/${id}#rules`);
  });
}
