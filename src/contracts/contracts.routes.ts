/**
 * Partner contract screens: validity dates of a Traffic channels cell (edited on the matrix page,
 * `?edit=channel:service`), Settings -> Allotments, Settings -> Reserved blocks, and the reserved
 * blocks' use under Statistics. Plain forms (no JavaScript needed); every change audited.
 */
import type { Knex } from 'knex';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { guardedRouter } from '../lib/router';
import { flash } from '../lib/render';
import { Validation } from '../lib/errors';
import { formMessages as sharedFormMessages, routeId } from '../lib/forms';
import { bookingScopeOf } from '../lib/permissions';
import { fieldErrors, optionalId, parseOr400 } from '../lib/validate';
import { allotmentSchema, blockSchema, capSchema, validitySchema } from './contracts.forms';
import * as settings from './contracts.settings';
import * as q from './contracts.queries';
import { weekdayNumbers, weekdaysOf } from './rules';
import { renderTrafficPage } from '../settings/traffic-channels.routes';

export const routeMessages = {
  saved: 'Saved.',
  nothingChanged: 'Nothing changed.',
  deleted: 'Deleted.',
};

type Errors = Record<string, string>;
type Values = Record<string, unknown>;

// ---------------------------------------------------------------- pages

async function allotmentChoices(db: Knex) {
  const [partners, institutions, services, qualifications, rows] = await Promise.all([
    q.activePartners(db),
    q.activeInstitutionChoices(db),
    q.activeServiceChoices(db),
    q.activeQualificationChoices(db),
    q.listAllotments(db),
  ]);
  return { partners, institutions, services, qualifications, rows };
}

async function renderAllotments(
  req: Request,
  res: Response,
  status = 200,
  form: { values: Values; errors: Errors } = { values: { period: 'month' }, errors: {} },
  rowForm: { id: number; values: Values; errors: Errors } | null = null,
) {
  res.status(status).render('contracts/allotments', {
    title: req.t('contracts.allotments'),
    ...(await allotmentChoices(req.ctx.db)),
    values: form.values,
    errors: form.errors,
    rowForm,
    formMessages: sharedFormMessages,
  });
}

async function renderBlocks(
  req: Request,
  res: Response,
  status: number,
  form: { id: number | null; values: Values; errors: Errors },
) {
  const db = req.ctx.db;
  const [partners, institutions, doctors, rows] = await Promise.all([
    q.activePartners(db),
    q.activeInstitutionChoices(db),
    q.activeDoctorChoices(db),
    settings.blockUsage(db, null),
  ]);
  res.status(status).render('contracts/reserved-blocks', {
    title: req.t('contracts.reservedBlocks'),
    partners,
    institutions,
    doctors,
    rows,
    weekdayNumbers,
    weekdaysOf,
    form,
    values: form.values,
    errors: form.errors,
    formMessages: sharedFormMessages,
  });
}

function blockValues(b: q.BlockRow): Values {
  return {
    partner: String(b.partner_id),
    institution: String(b.institution_id),
    doctor: String(b.doctor_id),
    weekdays: weekdaysOf(b.weekdays).map(String),
    from_time: b.from_time,
    to_time: b.to_time,
    date_from: b.date_from,
    date_to: b.date_to,
    release_value: String(b.release_value),
    release_unit: b.release_unit,
  };
}

const emptyBlock: Values = {
  weekdays: [],
  from_time: '08:00',
  to_time: '12:00',
  release_value: '3',
  release_unit: 'days',
};

const ctxOf = (req: Request): settings.Ctx => ({ actor: req.user!, ip: req.ip, clock: req.ctx.clock });

/** Runs a write whose refusal (422) re-renders the form; true when it was done. */
async function refusedAs422(work: () => Promise<unknown>, render: (errors: Errors) => Promise<void>) {
  try {
    await work();
    return true;
  } catch (err) {
    if (!(err instanceof Validation)) throw err;
    await render(Object.keys(err.fieldErrors).length ? err.fieldErrors : { _form: err.message });
    return false;
  }
}

export function contractsRoutes() {
  const r = guardedRouter();

  // A cell's validity dates: saved from the form on the matrix page.
  r.post('/settings/traffic-channels/validity', 'settings', async (req, res) => {
    const values = (req.body ?? {}) as Values;
    const ids = parseOr400(z.object({ institution: optionalId }).passthrough(), values);
    const parsed = validitySchema.safeParse(values);
    const refuse = async (errors: Errors) => {
      // The matrix page with this cell's form and the messages beside its fields.
      res.status(422);
      await renderTrafficPage(req, res, ids.institution, { values, errors });
    };
    if (!parsed.success) return refuse(fieldErrors(parsed.error));
    const v = parsed.data;
    let changed = false;
    const done = await refusedAs422(async () => {
      changed = await settings.setValidity(
        req.ctx.db,
        ctxOf(req),
        { institutionId: v.institution, channelId: v.channel, serviceId: v.service },
        { valid_from: v.valid_from, valid_to: v.valid_to },
      );
    }, refuse);
    if (!done) return;
    flash(req, changed ? routeMessages.saved : routeMessages.nothingChanged);
    res.redirect(303, `/settings/traffic-channels?institution=${v.institution}`);
  });

  r.get('/settings/allotments', 'settings', (req, res) => renderAllotments(req, res));

  r.post('/settings/allotments', 'settings', async (req, res) => {
    const values = (req.body ?? {}) as Values;
    const parsed = allotmentSchema.safeParse(values);
    if (!parsed.success)
      return renderAllotments(req, res, 422, { values, errors: fieldErrors(parsed.error) });
    const done = await refusedAs422(
      () => settings.createAllotment(req.ctx.db, ctxOf(req), parsed.data),
      (errors) => renderAllotments(req, res, 422, { values, errors }),
    );
    if (!done) return;
    flash(req, routeMessages.saved);
    res.redirect(303, '/settings/allotments');
  });

  r.post('/settings/allotments/:id', 'settings', async (req, res) => {
    const id = routeId(req);
    const values = (req.body ?? {}) as Values;
    const parsed = capSchema.safeParse(values);
    if (!parsed.success)
      return renderAllotments(req, res, 422, undefined, { id, values, errors: fieldErrors(parsed.error) });
    const changed = await settings.setAllotmentCap(req.ctx.db, ctxOf(req), id, parsed.data.cap);
    flash(req, changed ? routeMessages.saved : routeMessages.nothingChanged);
    res.redirect(303, '/settings/allotments');
  });

  r.post('/settings/allotments/:id/delete', 'settings', async (req, res) => {
    await settings.deleteAllotment(req.ctx.db, ctxOf(req), routeId(req));
    flash(req, routeMessages.deleted);
    res.redirect(303, '/settings/allotments');
  });

  r.get('/settings/reserved-blocks', 'settings', async (req, res) => {
    const { edit } = parseOr400(z.object({ edit: optionalId }).passthrough(), req.query);
    const block = edit ? await q.getBlock(req.ctx.db, edit) : undefined;
    await renderBlocks(req, res, 200, {
      id: block?.id ?? null,
      values: block ? blockValues(block) : emptyBlock,
      errors: {},
    });
  });

  const saveBlock = (id: number | null) => async (req: Request, res: Response) => {
    const values = (req.body ?? {}) as Values;
    const parsed = blockSchema.safeParse(values);
    if (!parsed.success)
      return renderBlocks(req, res, 422, { id, values, errors: fieldErrors(parsed.error) });
    const done = await refusedAs422(
      () => settings.saveBlock(req.ctx.db, ctxOf(req), id, parsed.data),
      (errors) => renderBlocks(req, res, 422, { id, values, errors }),
    );
    if (!done) return;
    flash(req, routeMessages.saved);
    res.redirect(303, '/settings/reserved-blocks');
  };
  r.post('/settings/reserved-blocks', 'settings', saveBlock(null));
  r.post('/settings/reserved-blocks/:id', 'settings', (req, res) => saveBlock(routeId(req))(req, res));

  r.post('/settings/reserved-blocks/:id/delete', 'settings', async (req, res) => {
    await settings.deleteBlock(req.ctx.db, ctxOf(req), routeId(req));
    flash(req, routeMessages.deleted);
    res.redirect(303, '/settings/reserved-blocks');
  });

  // How much of each block its partner used (a partner user: only their own partner's blocks).
  r.get('/statistics/reserved-blocks', 'statistics', async (req, res) => {
    const rows = await settings.blockUsage(req.ctx.db, bookingScopeOf(req.user!).partnerId);
    res.render('contracts/block-usage', { title: req.t('contracts.blockUsage'), rows, weekdaysOf });
  });

  return r;
}
