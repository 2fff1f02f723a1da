/**
 * Closures under /settings/closures (permission `settings`): an institution's closed days and hours,
 * added one by one or as a year of Hungarian or Romanian public holidays, edited and deleted; the
 * standing bookings on them are listed for moving.
 */
import type { Request, Response } from 'express';
import { guardedRouter } from '../lib/router';
import { NotFound, Validation } from '../lib/errors';
import { flash } from '../lib/render';
import { todayIn } from '../lib/time';
import { formLocals, routeId, type FormValues } from '../lib/forms';
import { optionalId, parseOr400, fieldErrors } from '../lib/validate';
import { z } from 'zod';
import { closureSchema, holidaySchema, listQuery } from './closures.forms';
import * as closures from './closures.service';
import { bookingsOnClosures, closuresOfInstitution, institutionOptions } from './closures.queries';

export const messages = {
  title: 'Closures',
  editTitle: 'Edit closure',
  added: 'Closure added.',
  saved: 'Closure saved.',
  deleted: 'Closure deleted.',
  loaded: (added: number, skipped: number) => `Holidays loaded: ${added} added, ${skipped} already there.`,
};

const ctxOf = (req: Request) => ({ actor: req.user!, ip: req.ip, clock: req.ctx.clock });
const institutionBody = z.object({ institution: optionalId });

type PageState = {
  values?: FormValues;
  errors?: Record<string, string>;
  holidayValues?: FormValues;
  holidayErrors?: Record<string, string>;
};

async function chosenInstitution(req: Request, id: number | undefined) {
  const institutions = await institutionOptions(req.ctx.db);
  const institution = id === undefined ? institutions[0] : institutions.find((i) => i.id === id);
  if (id !== undefined && !institution) throw new NotFound(closures.messages.unknownInstitution);
  return { institutions, institution: institution ?? null };
}

async function renderList(
  req: Request,
  res: Response,
  status: number,
  institutionId: number | undefined,
  yearText: string | undefined,
  state: PageState = {},
) {
  const { institutions, institution } = await chosenInstitution(req, institutionId);
  const zone = institution?.time_zone ?? 'UTC';
  const today = todayIn(zone, req.ctx.clock.now());
  const year = yearText && /^\d{4}$/.test(yearText) ? yearText : today.slice(0, 4);
  const rows = institution
    ? await closuresOfInstitution(req.ctx.db, institution.id, `${year}-01-01`, `${year}-12-31`)
    : [];
  const affected = institution
    ? await bookingsOnClosures(req.ctx.db, institution.id, req.ctx.clock.nowIso())
    : [];
  res.status(status).render('closures/index', {
    title: messages.title,
    institutions,
    institution,
    year,
    rows: rows.map((r) => ({
      ...r,
      weekday: req.formats.weekday(r.date),
      day: req.formats.formatDay(r.date),
    })),
    affected: affected.map((b) => ({
      ...b,
      when: `${req.formats.formatDateTime(b.starts_at, zone)}\u2013${req.formats.formatTime(b.ends_at, zone)}`,
      patient: req.formats.personName(b.given_name, b.family_name),
    })),
    ...formLocals(state.values ?? { date: '', from: '', to: '', reason: '' }, state.errors ?? {}),
    holidayValues: state.holidayValues ?? { country: zone === 'Europe/Bucharest' ? 'ro' : 'hu', year },
    holidayErrors: state.holidayErrors ?? {},
  });
}

const listUrl = (institutionId: number, year?: string) =>
  `/settings/closures?institution=${institutionId}${year ? `&year=${year}` : ''}`;

export function closuresRoutes() {
  const r = guardedRouter();

  r.get('/settings/closures', 'settings', async (req, res) => {
    const { institution, year } = parseOr400(listQuery, req.query);
    await renderList(req, res, 200, institution, year);
  });

  r.post('/settings/closures', 'settings', async (req, res) => {
    const { institution } = parseOr400(institutionBody, { institution: req.body?.institution });
    if (!institution) throw new NotFound(closures.messages.unknownInstitution);
    const values = (req.body ?? {}) as FormValues;
    const parsed = closureSchema.safeParse(values);
    const year = typeof values.date === 'string' ? values.date.slice(0, 4) : undefined;
    if (!parsed.success)
      return renderList(req, res, 422, institution, year, { values, errors: fieldErrors(parsed.error) });
    try {
      await closures.createClosure(req.ctx.db, ctxOf(req), institution, parsed.data);
    } catch (err) {
      if (!(err instanceof Validation)) throw err;
      return renderList(req, res, 422, institution, year, { values, errors: err.fieldErrors });
    }
    flash(req, messages.added);
    res.redirect(303, listUrl(institution, parsed.data.date.slice(0, 4)));
  });

  r.post('/settings/closures/holidays', 'settings', async (req, res) => {
    const { institution } = parseOr400(institutionBody, { institution: req.body?.institution });
    if (!institution) throw new NotFound(closures.messages.unknownInstitution);
    const values = (req.body ?? {}) as FormValues;
    const parsed = holidaySchema.safeParse(values);
    if (!parsed.success)
      return renderList(req, res, 422, institution, undefined, {
        holidayValues: values,
        holidayErrors: fieldErrors(parsed.error),
      });
    const { added, skipped } = await closures.loadHolidays(
      req.ctx.db,
      ctxOf(req),
      institution,
      parsed.data.country,
      parsed.data.year,
    );
    flash(req, messages.loaded(added, skipped));
    res.redirect(303, listUrl(institution, String(parsed.data.year)));
  });

  const renderEdit = async (
    req: Request,
    res: Response,
    status: number,
    id: number,
    values?: FormValues,
    errors = {},
  ) => {
    const row = await closures.getClosure(req.ctx.db, id);
    res.status(status).render('closures/edit', {
      title: messages.editTitle,
      closure: row,
      ...formLocals(
        values ?? { date: row.date, from: row.from_time ?? '', to: row.to_time ?? '', reason: row.reason },
        errors,
      ),
    });
  };

  r.get('/settings/closures/:id/edit', 'settings', async (req, res) => {
    await renderEdit(req, res, 200, routeId(req));
  });

  r.post('/settings/closures/:id', 'settings', async (req, res) => {
    const id = routeId(req);
    const values = (req.body ?? {}) as FormValues;
    const parsed = closureSchema.safeParse(values);
    if (!parsed.success) return renderEdit(req, res, 422, id, values, fieldErrors(parsed.error));
    let before;
    try {
      before = await closures.editClosure(req.ctx.db, ctxOf(req), id, parsed.data);
    } catch (err) {
      if (!(err instanceof Validation)) throw err;
      return renderEdit(req, res, 422, id, values, err.fieldErrors);
    }
    flash(req, messages.saved);
    res.redirect(303, listUrl(before.institution_id, parsed.data.date.slice(0, 4)));
  });

  r.post('/settings/closures/:id/delete', 'settings', async (req, res) => {
    const row = await closures.removeClosure(req.ctx.db, ctxOf(req), routeId(req));
    flash(req, messages.deleted);
    res.redirect(303, listUrl(row.institution_id, row.date.slice(0, 4)));
  });

  return r;
}
