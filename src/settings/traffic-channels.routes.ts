/**
 * Traffic channels (the help article's "traffic channels menu"): per institution, which service
 * may be booked through which channel. The whole form saves without JavaScript; with htmx each
 * checkbox posts itself to /cell and the cell is swapped in place.
 */
import { z } from 'zod';
import type { Request, Response } from 'express';
import type { GuardedRouter } from '../lib/router';
import { flash, isHtmx } from '../lib/render';
import { NotFound } from '../lib/errors';
import { optionalId, parseOr400, requiredId, single } from '../lib/validate';
import { activeInstitutions, cellKey, loadMatrix, saveMatrix, setCell } from './traffic-channels.service';
import { validityLocals } from '../contracts/validity.view';

export const messages = {
  title: 'Traffic channels',
  saved: (n: number) => (n === 0 ? 'Nothing changed.' : `Saved: ${n} ${n === 1 ? 'cell' : 'cells'} changed.`),
  chooseInstitution: 'Choose an institution to see its traffic channel settings.',
};

const pageQuery = z.object({ institution: optionalId });
const cellList = z.preprocess(
  (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.string().regex(/^[1-9]\d{0,9}:[1-9]\d{0,9}$/)).max(20_000),
);
const saveBody = z.object({ institution: requiredId, cell: cellList });
const cellBody = z.object({
  institution: requiredId,
  channel: requiredId,
  service: requiredId,
  // Explicit from a plain form or test; from htmx the ticked boxes of the form arrive as `cell`.
  checked: single(z.enum(['0', '1', 'true', 'false', 'on', 'off']).optional()),
  cell: cellList,
});

export async function renderTrafficPage(
  req: Request,
  res: Response,
  institutionId: number | undefined,
  refusedValidity?: { values: Record<string, unknown>; errors: Record<string, string> },
) {
  const db = req.ctx.db;
  const institutions = await activeInstitutions(db);
  const matrix = institutionId ? await loadMatrix(db, institutionId) : null;
  const locals = {
    title: messages.title,
    institutions,
    matrix,
    cellKey,
    messages,
    ...(await validityLocals(db, matrix ? institutionId : undefined, req.query, refusedValidity)),
  };
  if (isHtmx(req) && matrix) {
    res.vary('HX-Request');
    return res.render('settings/_traffic-matrix', locals);
  }
  res.vary('HX-Request');
  res.render('settings/traffic-channels', locals);
}

export function trafficChannelRoutes(r: GuardedRouter): void {
  r.get('/settings/traffic-channels', 'settings', async (req, res) => {
    const { institution } = parseOr400(pageQuery, req.query);
    await renderTrafficPage(req, res, institution);
  });

  r.post('/settings/traffic-channels', 'settings', async (req, res) => {
    const body = parseOr400(saveBody, req.body);
    const changes = await saveMatrix(
      req.ctx.db,
      { actor: req.user!, ip: req.ip, clock: req.ctx.clock },
      body.institution,
      new Set(body.cell),
    );
    flash(req, messages.saved(changes.length));
    res.redirect(303, `/settings/traffic-channels?institution=${body.institution}`);
  });

  r.post('/settings/traffic-channels/cell', 'settings', async (req, res) => {
    const body = parseOr400(cellBody, req.body);
    const checked =
      body.checked !== undefined
        ? ['1', 'true', 'on'].includes(body.checked)
        : body.cell.includes(cellKey(body.channel, body.service));
    const result = await setCell(
      req.ctx.db,
      { actor: req.user!, ip: req.ip, clock: req.ctx.clock },
      body.institution,
      body.channel,
      body.service,
      checked,
    );
    if (!isHtmx(req)) {
      flash(req, messages.saved(result.changed ? 1 : 0));
      return res.redirect(303, `/settings/traffic-channels?institution=${body.institution}`);
    }
    res.vary('HX-Request');
    res.render('settings/_traffic-cell', {
      institutionId: body.institution,
      channel: result.channel,
      service: result.service,
      checked: result.checked,
      changed: result.changed,
    });
  });

  // Keeps /settings/traffic-channels/<anything> from looking like a page.
  r.get('/settings/traffic-channels/cell', 'settings', () => {
    throw new NotFound();
  });
}
