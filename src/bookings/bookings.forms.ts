/**
 * What the bookings pages accept: the list's filter (typed dates: 422 beside the field; the select
 * lists: 400 when tampered with) and the cancellation reason.
 */
import { z } from 'zod';
import { isoDate, optionalId, single, text } from '../lib/validate';

export const formMessages = {
  badDate: 'Use a date in the format YYYY-MM-DD.',
  badRange: 'The start date must not be after the end date.',
  reasonRequired: 'Please give the reason for the cancellation.',
};

const optionalDate = isoDate(formMessages.badDate, { optional: true });

// The dates are typed by hand: a wrong one is a 422 with the message beside the field. The other
// fields come from select lists, so a malformed one is a tampered URL: 400.
export const dateQuery = z
  .object({ from: optionalDate, to: optionalDate })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: formMessages.badRange, path: ['to'] });

export const listQuery = z.object({
  institution: optionalId,
  doctor: optionalId,
  partner: single(
    z.union([z.literal(''), z.literal('none'), z.string().regex(/^[1-9]\d{0,9}$/, 'Unknown partner.')]),
  ).optional(),
  status: single(
    z.enum(['booked', 'cancelled', 'arrived', 'completed', 'no_show', 'all'], { message: 'Unknown status.' }),
  ).optional(),
  // Typed by hand; longer than any reference finds nothing, so it is cut, never refused.
  reference: z.preprocess(
    (v) =>
      String(Array.isArray(v) ? (v[0] ?? '') : (v ?? ''))
        .trim()
        .slice(0, 64),
    z.string(),
  ),
  page: z.preprocess(
    (v) => (Array.isArray(v) ? v[0] : v === '' ? undefined : v),
    z.coerce.number().int().min(1).max(100_000).optional(),
  ),
});

export const reasonForm = z.object({ reason: text(500, { required: formMessages.reasonRequired }) });
