/**
 * List / create / edit / deactivate screens for institutions, qualifications, services and
 * doctors. All four follow one resourceful shape, registered by `crudRoutes`.
 */
import type { Knex } from 'knex';
import type { GuardedRouter } from '../lib/router';
import { renderPageOrFragment } from '../lib/render';
import { timeZoneList } from '../lib/time';
import { formLocals, has, type FormValues } from '../lib/forms';
import * as catalogue from './catalogue.service';
import * as forms from './catalogue.forms';
import { crudRoutes } from '../lib/crud';
import { nameParts } from '../i18n/formats';

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
    schema: forms.institutionSchema,
    list: catalogue.listInstitutions,
    get: catalogue.getInstitution,
    emptyValues: { name: '', address: '', time_zone: 'Europe/Budapest' },
    toValues: forms.formValues.institution,
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
    schema: forms.qualificationSchema,
    list: catalogue.listQualifications,
    get: catalogue.getQualification,
    emptyValues: { name: '' },
    toValues: forms.formValues.qualification,
    save: catalogue.saveQualification,
    setActive: (db, ctx, id, active) => catalogue.setActive(db, ctx, 'qualification', id, active),
  });
  crudRoutes(r, {
    entity: 'service',
    path: '/settings/services',
    label: 'Service',
    plural: 'Services',
    view: 'service',
    schema: forms.serviceSchema,
    list: catalogue.listServices,
    get: catalogue.getService,
    emptyValues: { qualification_id: '', name: '', duration_minutes: '20', price: '' },
    toValues: forms.formValues.service,
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
    schema: forms.doctorSchema,
    list: catalogue.listDoctors,
    // Active first (as the query lists them), then by family name in the reader's collation.
    sortList: (req, rows) =>
      req.formats
        .sortByFamily(rows as { name: string; active: boolean }[], (d) => nameParts(d.name))
        .sort((a, b) => Number(b.active) - Number(a.active)),
    get: catalogue.getDoctor,
    emptyValues: { name: '', qualification_ids: [], institution_ids: [], offers: [] },
    toValues: forms.formValues.doctor,
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
