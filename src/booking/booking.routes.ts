/**
 * The booking flow: choose (institution, partner or channel, qualification, doctor, service),
 * the week calendar, "Start the reservation" (a hold), the patient dialog, Save, confirmation.
 * Handlers validate, call the service, render; the rules live in booking.service.ts.
 */
import type { Request, Response } from 'express';
import { guardedRouter } from '../lib/router';
import { AppError, Forbidden, NotFound, Validation } from '../lib/errors';
import { isPartnerUser, mayBook, maySeePatientSummary, type CurrentUser } from '../lib/permissions';
import { isHtmx, renderPageOrFragment } from '../lib/render';
import { fieldText, idParam, parseOr400 } from '../lib/validate';
import { bookSchema, choiceSchema, dialogQuerySchema, reserveSchema, stepSchema } from './booking.forms';
import { newPatientTyped, newPatientValues } from '../patients/patients.forms';
import {
  confirmsDuplicate,
  createPatient,
  duplicateMessages,
  findVisiblePatient,
  patientViewHelpers,
  searchPatients,
  type PatientSummary,
} from '../patients/patients.service';
import { rememberRevealedPatients, wasRevealed } from '../patients/revealed';
import { offeredIdentifierTypes } from '../patients/identifier-settings';
import { basePaths, choiceQuery, resolveChoices, type ChoiceInput, type Choices, type Mode } from './choices';
import { findBooking } from '../bookings/bookings.queries';
import { referenceLabelOf } from '../bookings/slip';
import {
  findInstitution,
  findOwnHold,
  holdCalendarFacts,
  holdSlots,
  summaryNames,
  type HoldRow,
} from './booking.queries';
import {
  bookingByKey,
  expiredHoldStillFree,
  isHoldToken,
  PatientOverlap,
  placeHold,
  releaseHold,
  renewHold,
  saveBooking,
} from './booking.service';
import { rememberReservation, rememberedBackUrl } from './ended';
import { isLiveHold } from './holds.queries';
import { drawWeek, weekFrame } from './week';
import { localizeMessage } from '../i18n';
import { referenceFieldModel, referenceFromBody, referenceQuery } from './reference-field';
import { referenceRefusal, referenceRuleFor } from '../partners/references.service';

const messages = {
  titlePartner: 'Book to partner',
  titleClinic: 'Calendar',
  choosePartner: 'Please choose the partner.',
  chooseInstitution: 'Please choose the institution.',
  chooseService: 'Please choose the service.',
  chooseSlot: 'Please choose a free slot from the calendar.',
  choiceChanged:
    'The choices were changed after this calendar was shown, so nothing was reserved. Here is the calendar for the new choices: choose a slot and press Start the reservation again.',
  noInstitutions:
    'No institution has a service enabled for this booking. Check the partner\u2019s column under the Traffic channels menu.',
  pickService: 'Choose a service to see its free slots.',
  noSlots: 'No schedule or slots in this period',
  notEnabledPartner:
    'This service is not enabled for this partner at this institution. Check the partner\u2019s column under the Traffic channels menu.',
  notEnabledClinic:
    'This service is not enabled for this channel at this institution. Check the channel\u2019s column under the Traffic channels menu.',
  // Partner users cannot open Traffic channels: they are told whom to ask instead.
  noInstitutionsForPartnerUser:
    'No institution has a service enabled for your organisation. Please contact the clinic.',
  notEnabledForPartnerUser:
    'This service is not enabled for your organisation at this institution. Please contact the clinic.',
  allTaken: 'Every slot this week is taken',
  searchHint: 'Type at least 2 letters of the name, or the identifier.',
  renewed: (until: string) => `The slot is reserved again, until ${until}.`,
  patientCreated: 'The patient was added and selected. Check the details and press Save.',
  cancelled: 'The reservation was cancelled and the slot released.',
  endedTitle: 'Reservation ended',
  ended: 'This reservation has ended: it was saved, cancelled, or it expired.',
};

type CalendarModel = {
  title: string;
  c: Choices;
  /** The week grid's HTML (booking/week-grid.ts). */
  gridHtml: string;
  days: readonly { date: string; label: string }[];
  reason: string | null;
  freeCount: number;
  weekLinks: { prev: string | null; current: string; next: string } | null;
  weekLabel: string | null;
  selectedSlot: number | null;
  message: string | null;
  errors: Record<string, string>;
  bookingFor: PatientSummary | null;
  patientLabel: typeof patientViewHelpers.patientLabel;
  /** Partner contracts: validity dates, allotments left (translated lines above the week). */
  contractNotes: string[];
};

function notEnabledMessage(user: CurrentUser, mode: Mode): string {
  if (isPartnerUser(user)) return messages.notEnabledForPartnerUser;
  return mode === 'partner' ? messages.notEnabledPartner : messages.notEnabledClinic;
}

function titleOf(mode: Mode): string {
  return mode === 'partner' ? messages.titlePartner : messages.titleClinic;
}

async function calendarModel(
  req: Request,
  mode: Mode,
  input: ChoiceInput,
  extra: { selectedSlot?: number | null; message?: string | null; errors?: Record<string, string> } = {},
): Promise<CalendarModel> {
  const db = req.ctx.db;
  const [c, bookingFor] = await Promise.all([
    resolveChoices(db, req.user!, mode, input, req.ctx.clock),
    visibleChosen(req, input.patient),
  ]);
  c.doctors = req.formats.peopleByFamily(c.doctors);
  const model: CalendarModel = {
    title: titleOf(mode),
    c,
    gridHtml: '',
    days: [],
    reason: null,
    freeCount: 0,
    weekLinks: null,
    weekLabel: null,
    selectedSlot: extra.selectedSlot ?? null,
    message: extra.message ?? null,
    errors: extra.errors ?? {},
    bookingFor,
    patientLabel: patientViewHelpers.patientLabel,
    contractNotes: [],
  };
  if (!c.institution || !c.channel || !c.monday) {
    if (c.institutions.length === 0 && (c.channel || mode === 'partner'))
      model.reason = isPartnerUser(req.user!)
        ? messages.noInstitutionsForPartnerUser
        : messages.noInstitutions;
    else if (mode === 'partner' && !c.channel && c.institution) model.reason = messages.choosePartner;
    return model;
  }
  const link = (w: string) =>
    c.basePath +
    choiceQuery({
      mode,
      institutionId: c.institution!.id,
      partnerId: c.partnerId,
      channelId: c.channel!.id,
      fixedPartner: !!c.fixedPartner,
      qualificationId: c.qualificationId,
      doctorId: c.doctorId,
      serviceId: c.serviceId,
      week: w,
      patientId: bookingFor?.id ?? null,
    });
  Object.assign(model, weekFrame(req, c.monday, c.currentMonday!, link));
  if (c.serviceNotEnabled) {
    model.reason = notEnabledMessage(req.user!, mode);
    return model;
  }
  if (c.serviceId === null || c.durationMinutes === null) {
    model.reason = messages.pickService;
    return model;
  }
  const { freeCount, contractNotes, empty, gridHtml } = await drawWeek(req, c, model.selectedSlot);
  Object.assign(model, {
    freeCount,
    contractNotes,
    gridHtml,
    reason: empty ? messages[empty] : model.reason,
  });
  return model;
}

/** Query parameters only Start the reservation needs; Show without JavaScript sends them along. */
const postOnlyParams = ['_csrf', 'slot', 'drawn_institution', 'drawn_partner', 'drawn_channel'];

async function showCalendar(req: Request, res: Response, mode: Mode) {
  const input = parseOr400(choiceSchema, req.query);
  // Show (no JS) submits the calendar's one form as a GET: send the browser to the plain address,
  // so the CSRF token never stays in the address bar or the history.
  if (Object.keys(req.query).some((k) => postOnlyParams.includes(k) || k.startsWith('drawn_'))) {
    const clean = new URLSearchParams();
    for (const [k, v] of Object.entries(req.query))
      if (!postOnlyParams.includes(k) && !k.startsWith('drawn_') && typeof v === 'string' && v !== '')
        clean.set(k, v);
    const qs = clean.toString();
    return res.redirect(303, basePaths[mode] + (qs ? `?${qs}` : ''));
  }
  const model = await calendarModel(req, mode, input);
  renderPageOrFragment(req, res, 'booking/calendar', 'booking/_choice', model);
}

/** The calendar with these choices, in this week ("Back to the calendar", "Book another"). */
function calendarUrl(
  user: CurrentUser,
  at: {
    partnerId: number | null;
    institutionId: number;
    channelId: number;
    qualificationId: number | null;
    doctorId?: number | null;
    serviceId: number;
    week: string | null;
  },
): string {
  const mode: Mode = at.partnerId ? 'partner' : 'clinic';
  return basePaths[mode] + choiceQuery({ mode, ...at, fixedPartner: isPartnerUser(user) });
}

/** Where "back to the calendar" goes for a hold: the same choices, the hold's week. */
function holdCalendarUrl(
  user: CurrentUser,
  hold: HoldRow,
  known: { qualificationId: number | null; week: string | null },
): string {
  return calendarUrl(user, {
    partnerId: hold.partner_id,
    institutionId: hold.institution_id,
    channelId: hold.channel_id,
    doctorId: hold.doctor_id,
    serviceId: hold.service_id,
    ...known,
  });
}

/** The same, for handlers that have not loaded the hold's service and slots (one query). */
async function loadHoldCalendarUrl(req: Request, hold: HoldRow): Promise<string> {
  return holdCalendarUrl(req.user!, hold, await holdCalendarFacts(req.ctx.db, hold));
}

function defaultCalendarUrl(user: CurrentUser): string {
  return mayBook(user, 'partner') ? basePaths.partner : basePaths.clinic;
}

/**
 * This session's hold for the token, or null once the reservation ended, in which case the answer
 * has been sent: the booking it became (303 to its confirmation) or a page saying it ended.
 */
async function loadOwnHold(req: Request, res: Response): Promise<HoldRow | null> {
  const token = req.params.token;
  if (!isHoldToken(token)) throw new NotFound();
  const hold = await findOwnHold(req.ctx.db, token, req.sessionID, req.user!.id);
  if (hold) return hold;
  const bookingId = await bookingByKey(req.ctx.db, token, req.user!.id);
  if (bookingId) {
    res.redirect(303, `/booking/confirmation/${bookingId}`);
    return null;
  }
  res.status(404).render('booking/ended', {
    title: messages.endedTitle,
    message: messages.ended,
    backUrl: rememberedBackUrl(req, token) ?? defaultCalendarUrl(req.user!),
  });
  return null;
}

type DialogExtra = {
  q?: string;
  results?: PatientSummary[];
  searchMessage?: string;
  selectedId?: number | null;
  message?: string | null;
  messageClass?: string;
  errors?: Record<string, string>;
  values?: Record<string, unknown>;
  duplicates?: PatientSummary[];
  identifierTaken?: boolean;
  /** The reference number as typed (partners/references). */
  reference?: string;
};

/**
 * The hold's time left, from the app clock: "Reserved until 21:08, 3 minutes left" on every page,
 * refreshed by htmx exactly when the text would change; a warning in the last minute; after
 * expiry whether the same slot can be reserved again.
 */
async function holdTimeModel(req: Request, hold: HoldRow, zone: string, backUrl: string) {
  const now = req.ctx.clock.nowIso();
  const msLeft = Date.parse(hold.expires_at) - req.ctx.clock.nowMs();
  const expired = !isLiveHold(hold, now);
  const minutesLeft = Math.max(1, Math.ceil(msLeft / 60_000));
  // The next moment the text changes: when the minutes left drop by one (or the hold ends).
  const untilChange = msLeft - (minutesLeft - 1) * 60_000;
  return {
    token: hold.token,
    reservedUntil: req.formats.formatTime(hold.expires_at, zone),
    expiresAt: hold.expires_at,
    expired,
    minutesLeft,
    left: req.t('booking.minutesLeft', { minutes: minutesLeft }),
    warning: !expired && minutesLeft <= 1,
    refreshSeconds: Math.min(60, Math.max(1, Math.ceil(untilChange / 1000))),
    renewable: expired ? await expiredHoldStillFree(req.ctx.db, hold, now) : false,
    backUrl,
  };
}

/** The institution's zone of a hold (to write its new end after renewing). */
async function holdZone(req: Request, hold: HoldRow): Promise<string | undefined> {
  return (await findInstitution(req.ctx.db, hold.institution_id))?.time_zone;
}

/** A remembered calendar link without the patient it carried (the current one is added instead). */
function stripPatient(url: string): string {
  return url.replace(/[?&]patient=\d+$/, '');
}

/** "Back to the calendar" of a hold keeps the chosen patient for the next reservation. */
function withPatient(url: string, patientId: number | null | undefined): string {
  if (!patientId) return url;
  return `${url}${url.includes('?') ? '&' : '?'}patient=${patientId}`;
}

/**
 * The search message, in the reader's language: the patients' results partial prints it as it is
 * (a translated text passes through tr() unchanged, should that partial translate it later).
 */
function localized(req: Request, message: string | undefined): string | undefined {
  return message === undefined ? message : localizeMessage(req.lang, message);
}

async function dialogModel(req: Request, hold: HoldRow, extra: DialogExtra) {
  const db = req.ctx.db;
  const [names, slots, referenceRule] = await Promise.all([
    summaryNames(db, {
      institutionId: hold.institution_id,
      doctorId: hold.doctor_id,
      serviceId: hold.service_id,
      channelId: hold.channel_id,
      partnerId: hold.partner_id,
    }),
    holdSlots(db, hold.id),
    referenceRuleFor(db, hold.partner_id),
  ]);
  const backUrl = withPatient(
    holdCalendarUrl(req.user!, hold, {
      qualificationId: names.qualificationId,
      week: slots[0]?.local_date ?? null,
    }),
    extra.selectedId,
  );
  const first = slots[0];
  const last = slots[slots.length - 1];
  return {
    title: 'Choose the patient',
    token: hold.token,
    names,
    date: first ? req.formats.formatDate(first.starts_at, names.zone) : '',
    time: first
      ? `${req.formats.formatTime(first.starts_at, names.zone)}\u2013${req.formats.formatTime(last.ends_at, names.zone)}`
      : '',
    holdTime: await holdTimeModel(req, hold, names.zone, backUrl),
    backUrl,
    q: extra.q ?? '',
    results: extra.results ?? [],
    // No search made (e.g. after a failed Add new patient): the hint, not "No patient found".
    searchMessage: localized(req, 'searchMessage' in extra ? extra.searchMessage : messages.searchHint),
    selectedId: extra.selectedId ?? null,
    message: extra.message ?? null,
    messageClass: extra.messageClass ?? 'error',
    errors: extra.errors ?? {},
    values: extra.values ?? {},
    duplicates: extra.duplicates ?? [],
    identifierTaken: extra.identifierTaken ?? false,
    idTypes: await offeredIdentifierTypes(db),
    overlaps: [] as { doctor: string; when: string }[],
    mayConfirmOverlap: false,
    ...referenceFieldModel(referenceRule, extra.reference),
    ...patientViewHelpers,
  };
}

/** The patient a dialog shows as chosen, if this user may see them (restricted: found by identifier). */
async function visibleChosen(req: Request, patientId: number | undefined): Promise<PatientSummary | null> {
  if (!patientId) return null;
  const patient = await findVisiblePatient(req.ctx.db, req.user!, patientId);
  return patient && maySeePatientSummary(patient, wasRevealed(req, patient.id)) ? patient : null;
}

/**
 * What the patient step had on screen when a button was pressed: the search, its results and the
 * chosen patient (kept at the top even when the new search does not find them), and every typed
 * New patient field. Each button's answer shows all of it again, so nothing typed is lost.
 */
async function patientStep(req: Request, body: Record<string, unknown>): Promise<DialogExtra> {
  const { q: rawQ, patient_id } = parseOr400(stepSchema, body);
  const q = String(rawQ ?? '').trim();
  const chosen = await visibleChosen(req, patient_id);
  let results: PatientSummary[] = [];
  let searchMessage: string | undefined = messages.searchHint;
  if (q) {
    const found = await searchPatients(req.ctx.db, req.user!, q);
    results = found.results;
    searchMessage = found.message;
    rememberRevealedPatients(req, results);
  }
  if (chosen && !results.some((p) => p.id === chosen.id)) {
    results = [chosen, ...results];
    searchMessage = undefined;
  }
  return {
    q,
    results,
    searchMessage,
    selectedId: chosen?.id ?? null,
    values: newPatientValues(body),
    reference: referenceFromBody(body),
  };
}

export function bookingRoutes() {
  const r = guardedRouter();

  r.get(basePaths.partner, 'partner_booking', (req, res) => showCalendar(req, res, 'partner'));
  r.get(basePaths.clinic, 'booking', (req, res) => showCalendar(req, res, 'clinic'));

  // Start the reservation.
  r.post('/reservations', ['partner_booking', 'booking'], async (req, res) => {
    const body = parseOr400(reserveSchema, req.body);
    // A clinic channel is only ever sent by the clinic calendar, which needs the booking permission.
    const mode: Mode = body.channel !== undefined ? 'clinic' : 'partner';
    if (!mayBook(req.user, mode)) throw new Forbidden();
    const {
      slot,
      drawn_institution,
      drawn_partner,
      drawn_channel,
      drawn_doctor,
      drawn_service,
      drawn_week,
      ...input
    } = body;
    if (!input.week && drawn_week) input.week = drawn_week;
    let keepSlot = true;
    const rerender = async (status: number, message: string, errors: Record<string, string> = {}) => {
      const model = await calendarModel(req, mode, input, {
        selectedSlot: status === 422 && keepSlot ? (slot ?? null) : null,
        message,
        errors,
      });
      res.status(status);
      res.render('booking/calendar', model);
    };
    // The form's choices changed after this calendar was drawn (no JS, Show not pressed): refuse,
    // and show the calendar for the choices as they are now.
    if (
      drawn_institution !== undefined &&
      (drawn_institution !== input.institution ||
        drawn_service !== input.service ||
        drawn_doctor !== input.doctor ||
        (mode === 'clinic' && drawn_channel !== input.channel) ||
        (mode === 'partner' && drawn_partner !== undefined && drawn_partner !== input.partner))
    ) {
      // The slot was chosen in a calendar for other choices: the user picks again in the new one.
      keepSlot = false;
      return rerender(422, messages.choiceChanged);
    }
    const c = await resolveChoices(req.ctx.db, req.user!, mode, input, req.ctx.clock);
    if (mode === 'partner' && !c.channel)
      return rerender(422, messages.choosePartner, { partner: messages.choosePartner });
    if (!c.institution || !c.channel)
      return rerender(422, messages.chooseInstitution, { institution: messages.chooseInstitution });
    if (c.serviceNotEnabled) return rerender(409, notEnabledMessage(req.user!, mode));
    if (c.serviceId === null)
      return rerender(422, messages.chooseService, { service: messages.chooseService });
    if (slot === undefined) return rerender(422, messages.chooseSlot, { slot: messages.chooseSlot });
    try {
      const { token } = await placeHold(req.ctx.db, {
        user: req.user!,
        sessionId: req.sessionID,
        channelId: c.channel.id,
        partnerId: c.partnerId,
        institutionId: c.institution.id,
        serviceId: c.serviceId,
        doctorId: c.doctorId,
        slotId: slot,
        holdMinutes: req.ctx.config.holdMinutes,
        clock: req.ctx.clock,
      });
      res.redirect(303, `/reservations/${token}${input.patient ? `?patient=${input.patient}` : ''}`);
    } catch (err) {
      // A lost race or a stale page: say so above a fresh calendar.
      if (err instanceof AppError && (err.status === 409 || err.status === 422))
        return rerender(err.status, err.message, err.fieldErrors);
      throw err;
    }
  });

  // The patient dialog; with HX-Request and q it answers with the results list only.
  r.get('/reservations/:token', ['partner_booking', 'booking'], async (req, res) => {
    const hold = await loadOwnHold(req, res);
    if (!hold) return;
    const query = parseOr400(dialogQuerySchema, req.query);
    const q = String(query.q ?? '').trim();
    let results: PatientSummary[] = [];
    let searchMessage: string | undefined = messages.searchHint;
    // selected: just added with Add new patient; patient: carried from the calendar ("Book for this patient").
    const chosenId = query.selected ?? query.patient;
    if (q) {
      const found = await searchPatients(req.ctx.db, req.user!, q);
      results = found.results;
      searchMessage = found.message;
      rememberRevealedPatients(req, results);
    } else if (chosenId) {
      const patient = await visibleChosen(req, chosenId);
      if (patient) {
        results = [patient];
        searchMessage = undefined;
      }
    }
    // The htmx search answer is the results list only: no dialog model (names, slots) to build.
    if (isHtmx(req)) {
      res.vary('HX-Request');
      return res.render('booking/_patient-search', {
        ...patientViewHelpers,
        results,
        selectedId: query.selected ?? null,
        message: localized(req, searchMessage),
      });
    }
    const model = await dialogModel(req, hold, {
      q,
      results,
      searchMessage,
      selectedId: results.length ? (chosenId ?? null) : null,
      message: query.selected && results.length ? messages.patientCreated : null,
      messageClass: 'flash',
      reference: referenceFromBody(req.query),
    });
    res.vary('HX-Request');
    rememberReservation(req, hold.token, model.backUrl);
    res.render('booking/reservation', model);
  });

  // The live countdown (htmx): the hold's time left as the dialog shows it.
  r.get('/reservations/:token/time-left', ['partner_booking', 'booking'], async (req, res) => {
    const hold = await loadOwnHold(req, res);
    if (!hold) return;
    const model = await dialogModel(req, hold, {});
    res.render('booking/_hold-time', model.holdTime);
  });

  // Search without JavaScript: the results, with everything else typed kept.
  r.post('/reservations/:token/search', ['partner_booking', 'booking'], async (req, res) => {
    const hold = await loadOwnHold(req, res);
    if (!hold) return;
    const step = await patientStep(req, req.body ?? {});
    res.render('booking/reservation', await dialogModel(req, hold, step));
  });

  // Reserve the same slot again after the time ran out; the typed values come back.
  r.post('/reservations/:token/renew', ['partner_booking', 'booking'], async (req, res) => {
    const hold = await loadOwnHold(req, res);
    if (!hold) return;
    const step = await patientStep(req, req.body ?? {});
    try {
      const renewed = await renewHold(req.ctx.db, {
        user: req.user!,
        sessionId: req.sessionID,
        token: hold.token,
        holdMinutes: req.ctx.config.holdMinutes,
        clock: req.ctx.clock,
      });
      const model = await dialogModel(req, renewed, {
        ...step,
        message: messages.renewed(
          req.formats.formatTime(renewed.expires_at, (await holdZone(req, renewed)) ?? 'UTC'),
        ),
        messageClass: 'flash',
      });
      res.render('booking/reservation', model);
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 409) throw err;
      const model = await dialogModel(req, hold, { ...step, message: err.message });
      res.status(409).render('booking/reservation', model);
    }
  });

  /** Registers the typed new patient (duplicate check first); null with the answer sent when it could not. */
  async function registerTyped(
    req: Request,
    res: Response,
    hold: HoldRow,
    step: DialogExtra,
    body: Record<string, unknown>,
  ): Promise<PatientSummary | null> {
    const values = step.values ?? {};
    try {
      const result = await createPatient(req.ctx.db, req.user!, values, {
        confirmDuplicate: confirmsDuplicate(body),
        ip: req.ip,
        clock: req.ctx.clock,
      });
      if (result.status === 'created') return result.patient;
      // The warning shows the matches, as an identifier search would; remember them likewise.
      rememberRevealedPatients(req, result.duplicates);
      const known = new Set(result.duplicates.map((p) => p.id));
      const model = await dialogModel(req, hold, {
        ...step,
        duplicates: result.duplicates,
        identifierTaken: result.identifierTaken,
        results: [...result.duplicates, ...(step.results ?? []).filter((p) => !known.has(p.id))],
        searchMessage: undefined,
        ...duplicateMessages(result),
        messageClass: 'warning',
      });
      res.status(422).render('booking/reservation', model);
      return null;
    } catch (err) {
      if (!(err instanceof Validation)) throw err;
      const model = await dialogModel(req, hold, { ...step, errors: err.fieldErrors, message: err.message });
      res.status(422).render('booking/reservation', model);
      return null;
    }
  }

  // Add new patient, then back to the dialog with the new patient selected.
  r.post('/reservations/:token/patients', ['partner_booking', 'booking'], async (req, res) => {
    const hold = await loadOwnHold(req, res);
    if (!hold) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const step = await patientStep(req, body);
    const patient = await registerTyped(req, res, hold, step, body);
    if (patient)
      res.redirect(303, `/reservations/${hold.token}?selected=${patient.id}${referenceQuery(body)}`);
  });

  // Save: the chosen patient; with none chosen but a New patient typed in, that patient is
  // registered (duplicate check first) and booked in one go.
  r.post('/reservations/:token/book', ['partner_booking', 'booking'], async (req, res) => {
    const token = req.params.token;
    if (!isHoldToken(token)) throw new NotFound();
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { patient_id } = parseOr400(bookSchema, body);
    let patientId = patient_id ?? null;
    let step: DialogExtra | null = null;
    const hold = await findOwnHold(req.ctx.db, token, req.sessionID, req.user!.id);
    // A wrong reference number is said before a typed new patient is registered (Save re-checks it).
    const badReference =
      hold && (await referenceRefusal(req.ctx.db, hold.partner_id, referenceFromBody(body)));
    if (hold && badReference) {
      const model = await dialogModel(req, hold, {
        ...(await patientStep(req, body)),
        errors: badReference.fieldErrors,
        message: badReference.message,
      });
      return res.status(422).render('booking/reservation', model);
    }
    if (patientId === null && hold && !(await bookingByKey(req.ctx.db, token, req.user!.id))) {
      step = await patientStep(req, body);
      if (newPatientTyped(step.values as Record<string, string>)) {
        const created = await registerTyped(req, res, hold, step, body);
        if (!created) return;
        patientId = created.id;
      }
    }
    try {
      const { bookingId } = await saveBooking(req.ctx.db, {
        user: req.user!,
        sessionId: req.sessionID,
        token,
        patientId,
        ip: req.ip,
        clock: req.ctx.clock,
        mayUseRestricted: (id) => wasRevealed(req, id),
        confirmOverlap: fieldText(body.confirm_overlap) === '1',
        reference: referenceFromBody(body),
      });
      res.redirect(303, `/booking/confirmation/${bookingId}`);
    } catch (err) {
      if (!(err instanceof AppError) || (err.status !== 409 && err.status !== 422)) throw err;
      const current = await findOwnHold(req.ctx.db, token, req.sessionID, req.user!.id);
      if (err instanceof PatientOverlap && current) {
        // Ask, with everything as it was and the patient (perhaps just registered) chosen.
        const chosen = step ?? (await patientStep(req, body));
        const patient = patientId ? await visibleChosen(req, patientId) : null;
        const results = chosen.results ?? [];
        const model = await dialogModel(req, current, {
          ...chosen,
          values: patient && !patient_id ? {} : chosen.values,
          results: patient && !results.some((p) => p.id === patient.id) ? [patient, ...results] : results,
          searchMessage: patient ? undefined : chosen.searchMessage,
          selectedId: patient?.id ?? null,
          message: err.message,
          messageClass: 'warning',
        });
        return res.status(409).render('booking/reservation', {
          ...model,
          overlaps: err.overlaps.map((o) => ({
            doctor: o.doctor,
            when: `${req.formats.formatDateTime(o.starts_at, o.time_zone)}\u2013${req.formats.formatTime(o.ends_at, o.time_zone)}`,
          })),
          mayConfirmOverlap: err.mayConfirm,
        });
      }
      if (err.status === 422 && current) {
        const model = await dialogModel(req, current, {
          ...(step ?? (await patientStep(req, body))),
          errors: err.fieldErrors,
          message: err.message,
        });
        return res.status(422).render('booking/reservation', model);
      }
      const backUrl = current
        ? await loadHoldCalendarUrl(req, current)
        : (rememberedBackUrl(req, token) ?? defaultCalendarUrl(req.user!));
      res.status(err.status).render('booking/conflict', {
        title: 'Not booked',
        message: err.message,
        backUrl: withPatient(stripPatient(backUrl), patientId),
      });
    }
  });

  // Cancel reservation: release the hold, back to the calendar with the same choices.
  r.post('/reservations/:token/cancel', ['partner_booking', 'booking'], async (req, res) => {
    const token = req.params.token;
    if (!isHoldToken(token)) throw new NotFound();
    const hold = await findOwnHold(req.ctx.db, token, req.sessionID, req.user!.id);
    if (!hold) return res.redirect(303, defaultCalendarUrl(req.user!));
    const backUrl = await loadHoldCalendarUrl(req, hold);
    await releaseHold(req.ctx.db, req.user!, req.sessionID, token);
    req.session.flash = messages.cancelled;
    res.redirect(303, backUrl);
  });

  r.get('/booking/confirmation/:id', ['booking', 'partner_booking'], async (req, res) => {
    const id = idParam(req.params.id);
    if (id === null) throw new NotFound();
    const booking = await findBooking(req.ctx.db, req.user!, id);
    if (!booking) throw new NotFound();
    const mode: Mode = booking.partnerId ? 'partner' : 'clinic';
    const againUrl = calendarUrl(req.user!, {
      partnerId: booking.partnerId,
      institutionId: booking.institutionId,
      channelId: booking.channelId,
      qualificationId: booking.qualificationId,
      serviceId: booking.serviceId,
      week: booking.localDate,
    });
    res.render('booking/confirmation', {
      title: 'Booking confirmed',
      booking,
      referenceLabel: await referenceLabelOf(req.ctx.db, booking, req.lang),
      againUrl: mayBook(req.user, mode) ? againUrl : null,
    });
  });

  return r;
}
