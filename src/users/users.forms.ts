/**
 * The Admin users forms: what a new user, a user's access and the set-password form accept, with
 * messages on the field they are about, and the values a form shows back. The rules that need the
 * database or the actor (partner binding, lock-out protection) are in users.service.ts.
 */
import { z } from 'zod';
import { passwordRules } from '../lib/passwords';
import { allPermissions, isPermission, type Permission } from '../lib/permissions';
import { checkbox, fieldText, fieldTextList, idList, text } from '../lib/validate';

export const formMessages = {
  usernameRequired: 'Enter a user name.',
  usernameFormat: 'Use 3 to 64 letters, digits, dots, dashes, underscores or @.',
  displayNameRequired: 'Enter the name to show.',
  passwordShort: `The password must be at least ${passwordRules.min} characters.`,
  passwordLong: `The password must be at most ${passwordRules.max} characters.`,
  passwordMismatch: 'The two passwords do not match.',
  unknownPermission: 'Unknown permission.',
  unknownPartner: 'This partner does not exist or is not active.',
};
const messages = formMessages;

/** '' or missing means clinic staff (no partner). */
const partnerIdField = z.preprocess(
  (v) => {
    const x = Array.isArray(v) ? v[0] : v;
    return x === '' || x === undefined || x === null ? null : x;
  },
  z.coerce
    .number({ message: messages.unknownPartner })
    .int(messages.unknownPartner)
    .positive(messages.unknownPartner)
    .max(2_147_483_647, messages.unknownPartner)
    .nullable(),
);

const permissionList = z.preprocess(
  (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.string().refine(isPermission, messages.unknownPermission)).max(allPermissions.length * 2),
);

const passwordField = z.preprocess(
  (v) => (typeof v === 'string' ? v : ''),
  z.string().min(passwordRules.min, messages.passwordShort).max(passwordRules.max, messages.passwordLong),
);

/** Everything a user's edit page saves (the user name is fixed once created). */
export const userAccessSchema = z.object({
  displayName: text(200, { required: messages.displayNameRequired }),
  partnerId: partnerIdField,
  permissions: permissionList.transform((list) => [...new Set(list)] as Permission[]),
  allInstitutions: checkbox,
  institutionIds: idList.transform((ids) => [...new Set(ids)]),
  active: checkbox,
});

/** A new user: the access fields plus user name and initial password. Accepts form bodies and typed input. */
export const userCreateSchema = userAccessSchema.extend({
  username: text(64, { required: messages.usernameRequired }).refine(
    (s) => s === '' || /^[A-Za-z0-9._@-]{3,64}$/.test(s),
    messages.usernameFormat,
  ),
  password: passwordField,
  // Absent in code calls: a new user is active unless told otherwise.
  active: z.preprocess((v) => (v === undefined ? true : v), checkbox),
});

/** The set-password form: the password twice. */
export const passwordFormSchema = z
  .object({
    password: passwordField,
    passwordConfirm: z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string()),
  })
  .refine((v) => v.password === v.passwordConfirm, {
    message: messages.passwordMismatch,
    path: ['passwordConfirm'],
  });

/** What the form shows: the submitted values as typed (or the stored ones), never the password. */
export type UserFormValues = {
  username: string;
  displayName: string;
  partnerId: string;
  permissions: string[];
  allInstitutions: boolean;
  institutionIds: string[];
  active: boolean;
  /** '' (not chosen), en, hu or ro. */
  language: string;
};

/** The submitted values, as typed, to show back with the messages. */
export function valuesFromBody(body: Record<string, unknown>): UserFormValues {
  return {
    username: fieldText(body.username, 64),
    displayName: fieldText(body.displayName, 200),
    partnerId: fieldText(body.partnerId, 12),
    permissions: fieldTextList(body.permissions),
    allInstitutions: body.allInstitutions !== undefined,
    institutionIds: fieldTextList(body.institutionIds),
    active: body.active !== undefined,
    language: fieldText(body.language, 2),
  };
}

/** A form body as the service takes it: unticked checkboxes are absent from a body, and absent means false. */
export function accessInputFromBody(body: Record<string, unknown>): Record<string, unknown> {
  return { ...body, allInstitutions: body.allInstitutions ?? false, active: body.active ?? false };
}

/** The password fields of a form body (the service validates them). */
export function passwordInputFromBody(body: Record<string, unknown>): {
  password: string;
  passwordConfirm: string;
} {
  return { password: fieldText(body.password, 1000), passwordConfirm: fieldText(body.passwordConfirm, 1000) };
}

/** A new user's form: everything empty, all institutions, active. */
export const emptyValues: UserFormValues = {
  username: '',
  displayName: '',
  partnerId: '',
  permissions: [],
  allInstitutions: true,
  institutionIds: [],
  active: true,
  language: '',
};

/** The form values of a stored user. */
export function valuesOfStored(stored: {
  username: string;
  displayName: string;
  partnerId: number | null;
  permissions: readonly Permission[];
  allInstitutions: boolean;
  institutionIds: readonly number[];
  active: boolean;
}): UserFormValues {
  return {
    username: stored.username,
    displayName: stored.displayName,
    partnerId: stored.partnerId === null ? '' : String(stored.partnerId),
    permissions: [...stored.permissions],
    allInstitutions: stored.allInstitutions,
    institutionIds: stored.institutionIds.map(String),
    active: stored.active,
    language: '',
  };
}
