/**
 * The list / create / edit / deactivate screens every clinic record follows (institutions,
 * qualifications, services, doctors, partners): one resourceful shape, registered by `crudRoutes`.
 */
import type { Knex } from 'knex';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { GuardedRouter } from './router';
import type { CurrentUser } from './permissions';
import type { Clock } from './clock';
import { flash } from './render';
import type { MessageKey } from '../i18n';
import { handleForm, routeId, formLocals, type FormValues } from './forms';

export const messages = {
  created: (what: string) => `${what} created.`,
  saved: (what: string) => `${what} saved.`,
  deactivated: (what: string) =>
    `${what} deactivated. It is no longer offered for new choices; its history stays.`,
  reactivated: (what: string) => `${what} reactivated.`,
};

export type CrudConfig<S extends z.ZodType, Row> = {
  /** The record kind ("institution", "partner"...). */
  entity: string;
  /** "/settings/institutions" */
  path: string;
  /** "Institution" / "Institutions" */
  label: string;
  plural: string;
  /** views/settings/<view>-list.ejs and <view>-form.ejs */
  view: string;
  schema: S;
  list: (db: Knex) => Promise<unknown[]>;
  get: (db: Knex, id: number) => Promise<Row & { active: boolean; name: string }>;
  emptyValues: FormValues;
  toValues: (row: Row) => FormValues;
  /** Choices the form needs (qualifications, institutions...), given the record when editing. */
  formData?: (db: Knex, record: Row | null, values: FormValues) => Promise<Record<string, unknown>>;
  /** Extra locals for the edit page only (a partner's users). */
  editExtras?: (req: Request, record: Row) => Promise<Record<string, unknown>>;
  /** Extra locals for the list view (helpers it formats rows with). */
  listLocals?: Record<string, unknown>;
  /** The list's rows in the reader's order (doctors by family name), when the query's is not it. */
  sortList?: (req: Request, rows: unknown[]) => unknown[];
  save: (
    db: Knex,
    ctx: { actor: CurrentUser; ip?: string | null; clock: Clock },
    data: z.infer<S>,
    id?: number,
  ) => Promise<number>;
  setActive: (
    db: Knex,
    ctx: { actor: CurrentUser; ip?: string | null; clock: Clock },
    id: number,
    active: boolean,
  ) => Promise<void>;
};

export function crudRoutes<S extends z.ZodType, Row>(r: GuardedRouter, c: CrudConfig<S, Row>): void {
  const ctx = (req: Request) => ({ actor: req.user!, ip: req.ip, clock: req.ctx.clock });
  const renderForm = async (
    req: Request,
    res: Response,
    status: number,
    values: FormValues,
    errors: Record<string, string>,
    record: (Row & { active: boolean; name: string }) | null,
  ) => {
    const db = req.ctx.db;
    const extra = c.formData ? await c.formData(db, record, values) : {};
    const editExtras = record && c.editExtras ? await c.editExtras(req, record) : {};
    res.status(status).render(`settings/${c.view}-form`, {
      // By its key, not by matching the English text back: "Doctor: {name}" is too short a pattern
      // to take a name of several words ("Dr. Anna Kovács"), so it stayed English.
      title: record
        ? req.t(`settings.title${c.entity[0].toUpperCase()}${c.entity.slice(1)}` as MessageKey, {
            name: record.name,
          })
        : `New ${c.label.toLowerCase()}`,
      record,
      action: record ? `${c.path}/${(record as unknown as { id: number }).id}` : c.path,
      c: { path: c.path, label: c.label, plural: c.plural },
      ...formLocals(values, errors),
      ...extra,
      ...editExtras,
    });
  };

  r.get(c.path, 'settings', async (req, res) => {
    res.render(`settings/${c.view}-list`, {
      ...c.listLocals,
      title: c.plural,
      rows: c.sortList ? c.sortList(req, await c.list(req.ctx.db)) : await c.list(req.ctx.db),
      c: { path: c.path, label: c.label, plural: c.plural },
    });
  });
  r.get(`${c.path}/new`, 'settings', async (req, res) => {
    await renderForm(req, res, 200, c.emptyValues, {}, null);
  });
  r.post(c.path, 'settings', async (req, res) => {
    await handleForm(req, res, {
      schema: c.schema,
      render: (status, values, errors) => renderForm(req, res, status, values, errors, null),
      save: async (data) => {
        const id = await c.save(req.ctx.db, ctx(req), data);
        return { redirect: `${c.path}/${id}`, flash: messages.created(c.label) };
      },
    });
  });
  r.get(`${c.path}/:id`, 'settings', async (req, res) => {
    const record = await c.get(req.ctx.db, routeId(req));
    await renderForm(req, res, 200, c.toValues(record), {}, record);
  });
  r.post(`${c.path}/:id`, 'settings', async (req, res) => {
    const record = await c.get(req.ctx.db, routeId(req));
    const id = (record as unknown as { id: number }).id;
    await handleForm(req, res, {
      schema: c.schema,
      render: (status, values, errors) => renderForm(req, res, status, values, errors, record),
      save: async (data) => {
        await c.save(req.ctx.db, ctx(req), data, id);
        return { redirect: `${c.path}/${id}`, flash: messages.saved(c.label) };
      },
    });
  });
  for (const active of [false, true]) {
    r.post(`${c.path}/:id/${active ? 'reactivate' : 'deactivate'}`, 'settings', async (req, res) => {
      const id = routeId(req);
      await c.setActive(req.ctx.db, ctx(req), id, active);
      flash(req, active ? messages.reactivated(c.label) : messages.deactivated(c.label));
      res.redirect(303, `${c.path}/${id}`);
    });
  }
}
