import { z } from 'zod';
import { BadRequest, Validation } from './errors';
import { dateProblem, dateYears } from './time';

/**
 * Per-field messages from a zod error: { field: 'message' } (first message per field), keyed by the
 * form field ("permissions", not "permissions.2" for the third ticked box).
 */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : '_form';
    if (!(key in out)) out[key] = issue.message;
  }
  return out;
}

/** Parses a query string or other request part; a malformed one is a 400 with the messages. */
export function parseOr400<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) {
    const errors = fieldErrors(result.error);
    throw new BadRequest(
      Object.entries(errors)
        .map(([k, v]) => `${k}: ${v}`)
        .join('; '),
      errors,
    );
  }
  return result.data;
}

/** Parses a submitted form; an invalid one is a 422 (Validation) with per-field messages. */
export function parseOr422<T extends z.ZodType>(
  schema: T,
  input: unknown,
  message: string = validateMessages.invalid,
): z.infer<T> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) throw new Validation(message, fieldErrors(result.error));
  return result.data;
}

/** The first value of a form/query field: express hands over an array for a repeated key. */
export const firstOf = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);

/** The first value, or '' when the field is missing. */
export const firstOrEmpty = (v: unknown): unknown => (Array.isArray(v) ? v[0] : (v ?? ''));

/** A single query/form value checked by `schema` (a string by default), keeping the schema's type. */
export const single = <T extends z.ZodType = z.ZodString>(schema?: T) =>
  z.preprocess(firstOf, (schema ?? z.string()) as T);

/** A field as plain text (to re-show it or read it by hand): its first value if that is a string, else ''; at most `max` characters. */
export const fieldText = (v: unknown, max = Infinity): string => {
  const x = firstOf(v);
  return typeof x === 'string' ? x.slice(0, max) : '';
};

/** A repeated field (ticked boxes) as a list of its string values. */
export const fieldTextList = (v: unknown, maxItems = 1000): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v])
    .filter((x): x is string => typeof x === 'string')
    .slice(0, maxItems);

/**
 * A ticked checkbox: 'on', '1' or 'true' from a form, true from code; absent is false. For a repeated
 * field (a hidden "0" before the box) the last value counts.
 */
export function isTicked(v: unknown): boolean {
  const x = Array.isArray(v) ? v[v.length - 1] : v;
  return x === true || x === 1 || x === 'on' || x === '1' || x === 'true';
}

/** A checkbox field as a boolean (see isTicked). */
export const checkbox = z.preprocess(isTicked, z.boolean());

/** Optional positive integer id from a form/query field; '' means not chosen. */
export const optionalId = z.preprocess(
  (v) => (Array.isArray(v) ? v[0] : v === '' ? undefined : v),
  z.coerce
    .number({ message: 'Must be a number.' })
    .int('Must be a whole number.')
    .positive('Must be positive.')
    .max(2_147_483_647, 'Too large.')
    .optional(),
);

export const requiredId = z.preprocess(
  (v) => (Array.isArray(v) ? v[0] : v === '' ? undefined : v),
  z.coerce
    .number({ message: 'Please choose one.' })
    .int('Must be a whole number.')
    .positive('Please choose one.')
    .max(2_147_483_647, 'Too large.'),
);

/** Trimmed text field with a length limit and no control characters. */
export const text = (max: number, opts: { required?: string } = {}) => {
  const base = z.preprocess(
    firstOrEmpty,
    z
      .string({ message: 'Must be text.' })
      .transform((s) => s.trim())
      .refine(
        // eslint-disable-next-line no-control-regex -- refusing control characters is the point
        (s) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(s),
        'Contains characters that are not allowed.',
      )
      .refine((s) => s.length <= max, `At most ${max} characters.`),
  );
  return opts.required ? base.refine((s) => s.length > 0, opts.required) : base;
};

/** An id list from repeated form fields (checkboxes): "3" or ["3","4"] -> [3,4]. */
export const idList = z.preprocess(
  (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.coerce.number().int().positive().max(2_147_483_647)).max(10_000),
);

/** Parses a numeric route parameter; anything else is a 404 (no such thing). */
export function idParam(value: unknown): number | null {
  if (typeof value !== 'string' || !/^[1-9]\d{0,9}$/.test(value)) return null;
  const n = Number(value);
  return n <= 2_147_483_647 ? n : null;
}

export const validateMessages = {
  invalid: 'Please correct the marked fields.',
  yearRange: `Enter a year from ${dateYears.min} to ${dateYears.max}.`,
};

/** The message for a typed date (YYYY-MM-DD, a real day, year 1900..2100), or null when it is fine. */
export function dateError(value: string, message: string): string | null {
  const problem = dateProblem(value);
  return problem === 'format' ? message : problem === 'range' ? validateMessages.yearRange : null;
}

/**
 * One date field from a form or query: trimmed; `message` when it is not a real YYYY-MM-DD day,
 * a year message outside 1900..2100. With `optional`, an empty or missing field is ''.
 */
export const isoDate = (message: string, opts: { optional?: boolean } = {}) =>
  z.preprocess(
    firstOrEmpty,
    z
      .string({ message })
      .transform((s) => s.trim())
      .superRefine((s, ctx) => {
        if (opts.optional && s === '') return;
        const error = dateError(s, message);
        if (error) ctx.addIssue({ code: 'custom', message: error });
      }),
  );
