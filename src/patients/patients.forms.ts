/**
 * The Add new patient form: parsing and validation (422 with a message beside each field).
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { fieldText, firstOf, parseOr422, text } from '../lib/validate';
import {
  allIdentifierTypes,
  identifierProblem,
  identifierTypes,
  noIdentifierReasons,
  normalizeIdentifier,
  type IdentifierType,
} from './identifiers';
import { identifierSettingMessages } from './identifier-settings';
import { languages } from '../i18n';

export const formMessages = {
  familyNameRequired: 'Please enter the family name.',
  givenNameRequired: 'Please enter the given name.',
  nameLetters: 'Use letters, spaces, hyphens and apostrophes only.',
  birthDateRequired: 'Please enter the date of birth.',
  birthDateFormat: 'Use the format YYYY-MM-DD, for example 1980-04-23.',
  birthDateFuture: 'The date of birth must be in the past.',
  birthDateTooOld: 'The date of birth cannot be before 1900.',
  idTypeRequired: 'Please choose the identifier type.',
  idNumberRequired: 'Please enter the identifier.',
  phoneFormat: 'Use 6 to 20 digits, spaces, +, - or brackets.',
  emailFormat: 'This is not a valid e-mail address.',
  identifierOrReason: 'Enter the identifier, or choose why the patient has none.',
  noIdentifierReason: 'Choose newborn, foreign or unknown.',
  postalCodeFormat: 'Use 3 to 12 letters, digits, spaces or hyphens.',
  idTypeNotOffered: identifierSettingMessages.notOffered,
  messageLanguageInvalid: 'Choose English, Magyar or Rom\u00e2n\u0103, or the clinic\u2019s default.',
  invalidForm: 'Please correct the marked fields.',
};

const messages = formMessages;

const nameField = (required: string) =>
  text(100, { required }).refine(
    (s) => s === '' || /^[\p{L}\p{M}]+(?:[ '’-]+[\p{L}\p{M}]+)*[.]?$/u.test(s),
    messages.nameLetters,
  );

/**
 * The Add new patient form; `now` decides what "in the future" means for the date of birth,
 * `offered` which identifier types may be chosen (the clinic's setting, plus a patient's own).
 * An identifier, or else the reason there is none: typed in, the identifier wins (the reason is
 * cleared, as when a newborn's TAJ arrives).
 */
const patientSchema = (now: DateTime, offered: readonly IdentifierType[]) =>
  z
    .object({
      family_name: nameField(messages.familyNameRequired),
      given_name: nameField(messages.givenNameRequired),
      birth_date: text(10, { required: messages.birthDateRequired }).superRefine((s, ctx) => {
        if (s === '') return;
        const d = DateTime.fromISO(s, { zone: 'utc' });
        if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || !d.isValid)
          return void ctx.addIssue({ code: 'custom', message: messages.birthDateFormat });
        if (s < '1900-01-01') return void ctx.addIssue({ code: 'custom', message: messages.birthDateTooOld });
        // A date that has not begun anywhere on earth yet (UTC+14) is in the future wherever the clinic is.
        if (s > now.toUTC().plus({ hours: 14 }).toISODate()!)
          ctx.addIssue({ code: 'custom', message: messages.birthDateFuture });
      }),
      id_type: z.preprocess(
        (v) => (firstOf(v) === '' ? undefined : firstOf(v)),
        z
          .enum(Object.keys(identifierTypes) as [IdentifierType, ...IdentifierType[]], {
            message: messages.idTypeRequired,
          })
          .optional(),
      ),
      id_number: text(30),
      no_identifier_reason: z.preprocess(
        (v) => (firstOf(v) === '' || firstOf(v) === undefined ? null : firstOf(v)),
        z.enum(noIdentifierReasons, { message: messages.noIdentifierReason }).nullable(),
      ),
      postal_code: text(12).refine(
        (s) => s === '' || /^[\p{L}\d][\p{L}\d -]{1,10}[\p{L}\d]$/u.test(s),
        messages.postalCodeFormat,
      ),
      city: text(100),
      street_address: text(200),
      phone: text(20).refine(
        (s) => s === '' || (/^[0-9 +\-()]{6,20}$/.test(s) && /\d{6}/.test(s.replace(/\D/g, ''))),
        messages.phoneFormat,
      ),
      email: text(254).refine((s) => s === '' || z.email().safeParse(s).success, messages.emailFormat),
      // The language of the patient's e-mails; empty (null) means the clinic's default.
      language: z.preprocess(
        (v) => (firstOf(v) === '' || firstOf(v) === undefined ? null : firstOf(v)),
        z.enum(languages, { message: messages.messageLanguageInvalid }).nullable(),
      ),
    })
    .superRefine((v, ctx) => {
      if (!v.id_number) {
        if (!v.no_identifier_reason)
          ctx.addIssue({ code: 'custom', path: ['id_number'], message: messages.identifierOrReason });
        return;
      }
      if (!v.id_type)
        return void ctx.addIssue({ code: 'custom', path: ['id_type'], message: messages.idTypeRequired });
      if (!offered.includes(v.id_type))
        return void ctx.addIssue({ code: 'custom', path: ['id_type'], message: messages.idTypeNotOffered });
      const problem = identifierProblem(v.id_type, normalizeIdentifier(v.id_type, v.id_number));
      if (problem) ctx.addIssue({ code: 'custom', path: ['id_number'], message: problem });
    })
    .transform((v) => {
      const identifier =
        v.id_number && v.id_type
          ? { type: v.id_type, number: normalizeIdentifier(v.id_type, v.id_number) }
          : null;
      return { ...v, identifier, no_identifier_reason: identifier ? null : v.no_identifier_reason };
    });

export type PatientInput = z.infer<ReturnType<typeof patientSchema>>;

/** Validates the Add new patient form; throws Validation (422) with per-field messages. */
export function parsePatientInput(
  input: Record<string, unknown>,
  now: DateTime,
  offered: readonly IdentifierType[] = allIdentifierTypes,
): PatientInput {
  return parseOr422(patientSchema(now, offered), input, messages.invalidForm);
}

/** The fields of the New patient form, as typed (to show them again whatever button was pressed). */
export const newPatientFields = [
  'family_name',
  'given_name',
  'birth_date',
  'id_type',
  'id_number',
  'no_identifier_reason',
  'phone',
  'email',
  'postal_code',
  'city',
  'street_address',
  'language',
  'confirm_duplicate',
] as const;

export function newPatientValues(body: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of newPatientFields) {
    const v = fieldText(body[name], 300);
    if (v !== '') values[name] = v;
  }
  return values;
}

/** Has anything been typed into the New patient form? (The type select always has a value.) */
export function newPatientTyped(values: Record<string, string>): boolean {
  return newPatientFields.some(
    (name) =>
      name !== 'id_type' &&
      name !== 'confirm_duplicate' &&
      name !== 'no_identifier_reason' &&
      name !== 'language' &&
      (values[name] ?? '').trim() !== '',
  );
}
