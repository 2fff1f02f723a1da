/**
 * List / create / edit / deactivate screens for institutions, qualifications, services and
 * doctors. All four follow one resourceful shape, registered by `crudRoutes`.
 */
import type { Knex } from 'knex';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { GuardedRouter } from '../lib/router';
import type { CurrentUser } from '../lib/permissions';
import { flash, renderPageOrFragment } from '../lib/render';
import { timeZoneList } from '../lib/time';
import { handleForm, routeId, formLocals, has, type FormValues } from './forms';
import * as catalogue from './catalogue.service';
import type { Clock } from '../lib/clock';

export const messages = {
  created: (what: string) => `${what} created.`,
  saved: (what: string) => `${what} saved.`,
  deactivated: (what: string) =>
    `${what} deactivated. It is no longer offered for new choices; its history stays.`,
  reactivated: (what: string) => `${what} reactivated.`,
};

export type CrudConfig<S extends z.ZodType, Row> = {
  entity: catalogue.Entity | 'partner';
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
      title: record ? `${c.label}: ${record.name}` : `New ${c.label.toLowerCase()}`,
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
      rows: await c.list(req.ctx.db),
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

/**
 * Choices for the doctor form. The offer grid shows the services of the ticked qualifications at
 * the ticked institutions (all of them while nothing is ticked yet, so a new doctor can be set
 * up in one go without JavaScript); with htmx it narrows as boxes are ticked.
 */
export async function doctorFormData(
  db: Knex,
  record: Awaited<ReturnType<typeof catalogue.getDoctor>> | null,
  values: FormValues,
) {
  const [qualifications, institutions, services] = await Promise.all([
    catalogue.listQualifications(db),
    catalogue.listInstitutions(db),
    catalogue.listServices(db),
  ]);
  // New choices are the active ones; what the doctor already has stays visible even if inactive.
  const keep = <T extends { id: number; active: boolean }>(rows: T[], ids: number[]) =>
    rows.filter((x) => x.active || ids.includes(x.id));
  const offeredServiceIds = (record?.offers ?? []).map((o: string) => Number(o.split(':')[1]));
  const shownQualifications = keep(qualifications, record?.qualificationIds ?? []);
  const shownInstitutions = keep(institutions, record?.institutionIds ?? []);
  const tickedQ = shownQualifications.filter((q) => has(values, 'qualification_ids', q.id)).map((q) => q.id);
  const tickedI = shownInstitutions.filter((i) => has(values, 'institution_ids', i.id)).map((i) => i.id);
  return {
    qualifications: shownQualifications,
    institutions: shownInstitutions,
    gridInstitutions: tickedI.length
      ? shownInstitutions.filter((i) => tickedI.includes(i.id))
      : shownInstitutions,
    services: keep(services, offeredServiceIds).filter(
      (s) => tickedQ.length === 0 || tickedQ.includes(s.qualification_id),
    ),
  };
}

export function catalogueRoutes(r: GuardedRouter): void {
  // Before /settings/doctors/:id so "offer-grid" is not taken for an id.
  doctorGridRoute(r);
  crudRoutes(r, {
    entity: 'institution',
    path: '/settings/institutions',
    label: 'Institution',
    plural: 'Institutions',
    view: 'institution',
    schema: catalogue.institutionSchema,
    list: catalogue.listInstitutions,
    get: catalogue.getInstitution,
    emptyValues: { name: '', address: '', time_zone: 'Europe/Budapest' },
    toValues: catalogue.formValues.institution,
    formData: () => Promise.resolve({ zones: timeZoneList }),
    save: catalogue.saveInstitution,
    setActive: (db, ctx, id, active) => catalogue.setActive(db, ctx, 'institution', id, active),
  });
  crudRoutes(r, {
    entity: 'qualification',
    path: '/settings/qualifications',
    label: 'Qualification',
    plural: 'Qualifications',
    view: 'qualification',
    schema: catalogue.qualificationSchema,
    list: catalogue.listQualifications,
    get: catalogue.getQualification,
    emptyValues: { name: '' },
    toValues: catalogue.formValues.qualification,
    save: catalogue.saveQualification,
    setActive: (db, ctx, id, active) => catalogue.setActive(db, ctx, 'qualification', id, active),
  });
  crudRoutes(r, {
    entity: 'service',
    path: '/settings/services',
    label: 'Service',
    plural: 'Services',
    view: 'service',
    schema: catalogue.serviceSchema,
    list: catalogue.listServices,
    get: catalogue.getService,
    emptyValues: { qualification_id: '', name: '', duration_minutes: '20', price: '' },
    toValues: catalogue.formValues.service,
    formData: async (db, record) => ({
      qualifications: (await catalogue.listQualifications(db)).filter(
        (q) => q.active || q.id === record?.qualification_id,
      ),
    }),
    save: catalogue.saveService,
    setActive: (db, ctx, id, active) => catalogue.setActive(db, ctx, 'service', id, active),
  });
  crudRoutes(r, {
    entity: 'doctor',
    path: '/settings/doctors',
    label: 'Doctor',
    plural: 'Doctors',
    view: 'doctor',
    schema: catalogue.doctorSchema,
    list: catalogue.listDoctors,
    get: catalogue.getDoctor,
    emptyValues: { name: '', qualification_ids: [], institution_ids: [], offers: [] },
    toValues: catalogue.formValues.doctor,
    formData: doctorFormData,
    save: catalogue.saveDoctor,
    setActive: (db, ctx, id, active) => catalogue.setActive(db, ctx, 'doctor', id, active),
  });
}

/** The doctor form's offer grid alone, for htmx to narrow it as qualifications and institutions are ticked. */
export function doctorGridRoute(r: GuardedRouter): void {
  r.get('/settings/doctors/offer-grid', 'settings', async (req, res) => {
    const values = req.query as FormValues;
    const locals = { ...formLocals(values, {}), ...(await doctorFormData(req.ctx.db, null, values)) };
    // Without htmx the same choices come back as the whole new-doctor form.
    renderPageOrFragment(req, res, 'settings/doctor-form', 'settings/_doctor-offers', {
      ...locals,
      title: 'New doctor',
      record: null,
      action: '/settings/doctors',
      c: { path: '/settings/doctors', label: 'Doctor', plural: 'Doctors' },
    });
  });
}
