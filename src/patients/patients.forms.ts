/**
 * The Add new patient form: parsing and validation (422 with a message beside each field).
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { fieldText, parseOr422, text } from '../lib/validate';
import { identifierProblem, identifierTypes, normalizeIdentifier, type IdentifierType } from './identifiers';

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
  invalidForm: 'Please correct the marked fields.',
};

const messages = formMessages;

const nameField = (required: string) =>
  text(100, { required }).refine(
    (s) => s === '' || /^[\p{L}\p{M}]+(?:[ '’-]+[\p{L}\p{M}]+)*[.]?$/u.test(s),
    messages.nameLetters,
  );

/** The Add new patient form; `now` decides what "in the future" means for the date of birth. */
const patientSchema = (now: DateTime) =>
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
        (v) => (Array.isArray(v) ? v[0] : v),
        z.enum(Object.keys(identifierTypes) as [IdentifierType, ...IdentifierType[]], {
          message: messages.idTypeRequired,
        }),
      ),
      id_number: text(30, { required: messages.idNumberRequired }),
      phone: text(20).refine(
        (s) => s === '' || (/^[0-9 +\-()]{6,20}$/.test(s) && /\d{6}/.test(s.replace(/\D/g, ''))),
        messages.phoneFormat,
      ),
      email: text(254).refine((s) => s === '' || z.email().safeParse(s).success, messages.emailFormat),
    })
    .superRefine((v, ctx) => {
      if (!v.id_type || !v.id_number) return;
      const problem = identifierProblem(v.id_type, normalizeIdentifier(v.id_type, v.id_number));
      if (problem) ctx.addIssue({ code: 'custom', path: ['id_number'], message: problem });
    });

export type PatientInput = z.infer<ReturnType<typeof patientSchema>>;

/** Validates the Add new patient form; throws Validation (422) with per-field messages. */
export function parsePatientInput(input: Record<string, unknown>, now: DateTime): PatientInput {
  return parseOr422(patientSchema(now), input, messages.invalidForm);
}

/** The fields of the New patient form, as typed (to show them again whatever button was pressed). */
export const newPatientFields = [
  'family_name',
  'given_name',
  'birth_date',
  'id_type',
  'id_number',
  'phone',
  'email',
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
    (name) => name !== 'id_type' && name !== 'confirm_duplicate' && (values[name] ?? '').trim() !== '',
  );
}
