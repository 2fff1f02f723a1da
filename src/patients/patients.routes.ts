/**
 * Patient pages: search (htmx live results, plain GET without JS), Add new patient, details.
 * Rules live in patients.service.ts; handlers only take input, call it and render.
 */
import type { Request, Response } from 'express';
import { guardedRouter } from '../lib/router';
import { AppError, NotFound, Validation } from '../lib/errors';
import { renderPageOrFragment, flash, redirectAfterPost } from '../lib/render';
import { idParam, parseOr400, single } from '../lib/validate';
import { z } from 'zod';
import { can, mayBook, mayEditPatient, maySeePatientSummary, type CurrentUser } from '../lib/permissions';
import { groupedIdentifier } from './identifiers';
import { newPatientValues } from './patients.forms';
import { listBookings } from '../bookings/bookings.queries';
import {
  confirmsDuplicate,
  createPatient,
  duplicateMessages,
  findPatientRecord,
  findVisiblePatient,
  patientName,
  patientViewHelpers,
  searchPatients,
  updatePatient,
  type PatientRecord,
} from './patients.service';
import { rememberRevealedPatients, wasRevealed } from './revealed';
import { clinicLanguage } from '../i18n/middleware';
import {
  identifierSettingMessages,
  offeredIdentifierTypes,
  saveOfferedIdentifierTypes,
  typesForForm,
} from './identifier-settings';

export const messages = {
  searchTitle: 'Patients',
  newTitle: 'Add new patient',
  created: 'The patient was registered.',
  notFound: 'No such patient, or you may not see this patient.',
  editTitle: 'Edit patient',
  updated: 'The patient\u2019s record was corrected.',
  unchanged: 'Nothing was changed.',
};

/** "Book for this patient": the choice form with the patient already chosen (no search step). */
function bookForPatientUrl(user: CurrentUser, patientId: number): string | null {
  if (mayBook(user, 'partner')) return `/partner-booking?patient=${patientId}`;
  if (mayBook(user, 'clinic')) return `/booking?patient=${patientId}`;
  return null;
}

const searchQuery = z.object({ q: single(z.string().max(200, 'At most 200 characters.')).optional() });

export function patientsRoutes() {
  const r = guardedRouter();

  r.get('/patients', 'patients', async (req, res) => {
    const { q = '' } = parseOr400(searchQuery, req.query);
    const { results, message } = q.trim()
      ? await searchPatients(req.ctx.db, req.user!, q)
      : { results: [], message: undefined };
    rememberRevealedPatients(req, results);
    renderPageOrFragment(req, res, 'patients/index', 'patients/_patient-list', {
      title: messages.searchTitle,
      q,
      results,
      message,
      searched: q.trim() !== '',
      ...patientViewHelpers,
    });
  });

  r.get('/patients/new', 'patients', async (req, res) => {
    res.render('patients/new', {
      title: messages.newTitle,
      idTypes: await offeredIdentifierTypes(req.ctx.db),
      values: {},
      errors: {},
      duplicates: [],
      identifierTaken: false,
      ...patientViewHelpers,
    });
  });

  r.post('/patients/new', 'patients', async (req, res) => {
    const values = req.body ?? {};
    try {
      const result = await createPatient(req.ctx.db, req.user!, values, {
        confirmDuplicate: confirmsDuplicate(values),
        ip: req.ip,
        clock: req.ctx.clock,
      });
      if (result.status === 'duplicate') {
        // Like any form the user must correct: 422 with the form, here with the matches to choose from.
        res.status(422);
        return renderPageOrFragment(req, res, 'patients/new', 'patients/_new-form', {
          title: messages.newTitle,
          idTypes: await offeredIdentifierTypes(req.ctx.db),
          values,
          duplicates: result.duplicates,
          identifierTaken: Boolean(result.identifierTaken),
          errors: duplicateMessages(result).errors,
          ...patientViewHelpers,
        });
      }
      flash(req, messages.created);
      redirectAfterPost(req, res, `/patients/${result.patient.id}`);
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 422) throw err;
      res.status(422);
      renderPageOrFragment(req, res, 'patients/new', 'patients/_new-form', {
        title: messages.newTitle,
        idTypes: await offeredIdentifierTypes(req.ctx.db),
        values,
        errors: err.fieldErrors,
        duplicates: [],
        identifierTaken: false,
        ...patientViewHelpers,
      });
    }
  });

  /** The record as the edit form shows it, or 404 for a patient this user may not edit. */
  async function editable(req: Request) {
    const id = idParam(req.params.id);
    const record = id ? await findPatientRecord(req.ctx.db, req.user!, id) : null;
    if (!record || !mayEditPatient(req.user!, record)) throw new NotFound(messages.notFound);
    return record;
  }

  async function renderEdit(
    req: Request,
    res: Response,
    record: PatientRecord,
    extra: Record<string, unknown> = {},
  ) {
    res.render('patients/edit', {
      title: messages.editTitle,
      patient: record,
      // The clinic's types, and the patient's own even when no longer offered.
      idTypes: typesForForm(await offeredIdentifierTypes(req.ctx.db), record.idType),
      values: {
        family_name: record.familyName,
        given_name: record.givenName,
        birth_date: record.birthDate,
        id_type: record.idType ?? '',
        id_number: record.idType && record.idNumber ? groupedIdentifier(record.idType, record.idNumber) : '',
        no_identifier_reason: record.noIdentifierReason ?? '',
        phone: record.phone,
        email: record.email,
        postal_code: record.postalCode,
        city: record.city,
        street_address: record.streetAddress,
        language: record.language ?? '',
      },
      errors: {},
      duplicates: [],
      identifierTaken: false,
      ...patientViewHelpers,
      ...extra,
    });
  }

  r.get('/patients/:id/edit', 'patients', async (req, res) => {
    await renderEdit(req, res, await editable(req));
  });

  r.post('/patients/:id/edit', 'patients', async (req, res) => {
    const record = await editable(req);
    const values = newPatientValues(req.body ?? {});
    try {
      const result = await updatePatient(req.ctx.db, req.user!, record.id, values, {
        confirmDuplicate: confirmsDuplicate(values),
        ip: req.ip,
        clock: req.ctx.clock,
      });
      if (result.status === 'duplicate') {
        res.status(422);
        return renderEdit(req, res, record, {
          values,
          duplicates: result.duplicates,
          identifierTaken: Boolean(result.identifierTaken),
          errors: duplicateMessages(result).errors,
        });
      }
      flash(req, result.changed.length ? messages.updated : messages.unchanged);
      res.redirect(303, `/patients/${record.id}`);
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 422) throw err;
      res.status(422);
      await renderEdit(req, res, record, { values, errors: err.fieldErrors, message: err.message });
    }
  });

  // Settings: "Identifier types offered" (the form is on the Settings page, beside the language).
  r.post('/settings/identifier-types', 'settings', async (req, res) => {
    try {
      await saveOfferedIdentifierTypes(req.ctx.db, req.user!, req.body ?? {}, {
        clock: req.ctx.clock,
        ip: req.ip,
      });
    } catch (err) {
      if (!(err instanceof Validation)) throw err;
      // The Settings page again, the message beside the boxes, the stored choice unchanged.
      return res.status(422).render('settings/index', {
        title: req.t('settings.title'),
        clinicLanguage: await clinicLanguage(req.ctx.db, req.ctx.config),
        identifierTypesOffered: await offeredIdentifierTypes(req.ctx.db),
        identifierTypeErrors: { id_types: err.fieldErrors.id_types ?? identifierSettingMessages.atLeastOne },
      });
    }
    flash(req, identifierSettingMessages.saved);
    redirectAfterPost(req, res, '/settings');
  });

  r.get('/patients/:id', 'patients', async (req, res) => {
    const id = idParam(req.params.id);
    if (!id) throw new NotFound(messages.notFound);
    const record = await findPatientRecord(req.ctx.db, req.user!, id);
    if (record) {
      const bookings = await patientBookings(req, id);
      return res.render('patients/show', {
        title: patientName(record, res.locals),
        patient: record,
        bookings,
        editUrl: mayEditPatient(req.user!, record) ? `/patients/${id}/edit` : null,
        bookUrl: bookForPatientUrl(req.user!, id),
        ...patientViewHelpers,
      });
    }
    // A restricted patient is shown (name and year) only to a session that found them by identifier.
    const summary = await findVisiblePatient(req.ctx.db, req.user!, id);
    if (!summary || !maySeePatientSummary(summary, wasRevealed(req, id)))
      throw new NotFound(messages.notFound);
    res.render('patients/show', {
      title: patientName(summary, res.locals),
      patient: summary,
      bookings: [],
      editUrl: null,
      // A restricted patient may still be booked by a session that found them by identifier.
      bookUrl: bookForPatientUrl(req.user!, id),
      ...patientViewHelpers,
    });
  });

  return r;
}

/** The patient's bookings this user may see (partner users: their own partner's only). */
async function patientBookings(req: Request, patientId: number) {
  const user = req.user!;
  if (!can(user, 'bookings_view')) return [];
  const page = await listBookings(req.ctx.db, user, { patientId, status: 'all', page: 1, perPage: 20 });
  return page.rows;
}
