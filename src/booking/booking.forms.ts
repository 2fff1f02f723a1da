/**
 * What the booking pages accept: the choices in the query string, Start the reservation, the
 * patient dialog's search and Save. Ids come from select lists and radios, so a malformed one is a
 * tampered request (400); only the typed week gets a message.
 */
import { z } from 'zod';
import { isoDate, optionalId, single } from '../lib/validate';

export const formMessages = { weekInvalid: 'The week must be a date (YYYY-MM-DD).' };

// '' or missing means the current week.
const week = isoDate(formMessages.weekInvalid, { optional: true }).transform((s) => s || undefined);
export const choiceSchema = z.object({
  institution: optionalId,
  partner: optionalId,
  channel: optionalId,
  qualification: optionalId,
  doctor: optionalId,
  service: optionalId,
  week,
  /** The patient being booked for ("Book for this patient", or kept from an ended reservation). */
  patient: optionalId,
});
/** Start the reservation: the choices as they are now, and what the calendar was drawn for. */
export const reserveSchema = choiceSchema.extend({
  slot: optionalId,
  drawn_institution: optionalId,
  drawn_partner: optionalId,
  drawn_channel: optionalId,
  drawn_doctor: optionalId,
  drawn_service: optionalId,
  drawn_week: isoDate(formMessages.weekInvalid, { optional: true }).transform((s) => s || undefined),
});
export const bookSchema = z.object({ patient_id: optionalId });
export const dialogQuerySchema = z.object({
  q: single(z.string().max(200, 'At most 200 characters.')).optional(),
  selected: optionalId,
  patient: optionalId,
});
/** The patient step's search and choice, sent with whichever of its buttons was pressed. */
export const stepSchema = z.object({
  q: single(z.string().max(200, 'At most 200 characters.')).optional(),
  patient_id: optionalId,
});
