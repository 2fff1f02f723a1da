/**
 * The shape every settings form follows: validate, and on failure re-render the same form with
 * the submitted values and per-field messages (422); on success save, flash, redirect (303).
 * A service may also refuse with `Validation` (a duplicate name found inside its transaction);
 * that re-renders the form the same way. Nothing is written unless everything is valid.
 */
import type { Request, Response } from 'express';
import { type z } from 'zod';
import { Validation, NotFound } from './errors';
import { fieldErrors, idParam } from './validate';
import { flash } from './render';
import { isUniqueViolation } from './db';

export const formMessages = {
  invalid: 'Please correct the marked fields. Nothing was saved.',
  notFound: 'This record does not exist.',
};

export type FormValues = Record<string, unknown>;
export type RenderForm = (
  status: number,
  values: FormValues,
  errors: Record<string, string>,
) => Promise<void> | void;

export async function handleForm<T extends z.ZodType>(
  req: Request,
  res: Response,
  opts: {
    schema: T;
    render: RenderForm;
    save: (data: z.infer<T>) => Promise<{ redirect: string; flash?: string }>;
  },
): Promise<void> {
  const values = (req.body ?? {}) as FormValues;
  const parsed = opts.schema.safeParse(values);
  if (!parsed.success) return opts.render(422, values, fieldErrors(parsed.error));
  try {
    const done = await opts.save(parsed.data);
    if (done.flash) flash(req, done.flash);
    res.redirect(303, done.redirect);
  } catch (err) {
    if (err instanceof Validation)
      return opts.render(
        422,
        values,
        Object.keys(err.fieldErrors).length ? err.fieldErrors : { _form: err.message },
      );
    throw err;
  }
}

/** The numeric :id of a route, or 404. */
export function routeId(req: Request, name = 'id'): number {
  const id = idParam(req.params[name]);
  if (id === null) throw new NotFound(formMessages.notFound);
  return id;
}

/** Form values hold strings or string arrays; this asks whether one of them is `value`. */
export function has(values: FormValues, field: string, value: unknown): boolean {
  const v = values[field];
  const list = Array.isArray(v) ? v : v === undefined || v === null || v === '' ? [] : [v];
  return list.map(String).includes(String(value));
}

/** Locals every settings form template gets. */
export function formLocals(values: FormValues, errors: Record<string, string>) {
  return { values, errors, has: (field: string, value: unknown) => has(values, field, value), formMessages };
}

/** Runs a write; a unique-index violation (a race past a name check) is the same 422 on the name field. */
export async function guarded<T>(work: () => Promise<T>, message: string): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isUniqueViolation(err)) throw new Validation(message, { name: message });
    throw err;
  }
}
