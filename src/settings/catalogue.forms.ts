/**
 * The catalogue forms (institutions, qualifications, services, doctors): what each accepts from a
 * posted body, with messages on the field they are about, and the form values of a stored record.
 * The rules that need the database (unique names, active choices) are in catalogue.service.ts.
 */
import { z } from 'zod';
import type { DoctorRecord, InstitutionRow, QualificationRow, ServiceRow } from './catalogue.queries';
import { parseAmount, plainAmount } from '../lib/money';
import { isValidZone, timeZoneSet } from '../lib/time';
import { firstOrEmpty, idList, requiredId, single, text } from '../lib/validate';

export const formMessages = {
  nameRequired: 'Enter a name.',
  zone: 'Choose a time zone from the list.',
  qualification: 'Choose a qualification.',
  duration: 'Enter a duration between 5 and 480 minutes.',
  price: 'Enter a price of 0 or more, like 12000 or 12000.50.',
  doctorQualifications: 'Tick at least one qualification.',
  doctorInstitutions: 'Tick at least one institution.',
  unknownChoice: 'One of the ticked choices does not exist or is not active.',
};
const messages = formMessages;

const name = text(200, { required: messages.nameRequired });

/** "12000" / "12000.50" / "12 000,50" -> minor units; anything else (negative, text) fails. */
export const amountField = (message: string) =>
  z.preprocess(
    firstOrEmpty,
    z.string({ message }).transform((s, ctx) => {
      const minor = parseAmount(s);
      if (minor === null) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return minor;
    }),
  );

export const institutionSchema = z.object({
  name,
  address: text(500),
  time_zone: z.preprocess(
    firstOrEmpty,
    z.string().refine((zone) => timeZoneSet.has(zone) && isValidZone(zone), messages.zone),
  ),
});
export const qualificationSchema = z.object({ name });
export const serviceSchema = z.object({
  qualification_id: requiredId,
  name,
  duration_minutes: single(
    z.coerce
      .number({ message: messages.duration })
      .int(messages.duration)
      .min(5, messages.duration)
      .max(480, messages.duration),
  ),
  price: amountField(messages.price),
});
export const doctorSchema = z.object({
  name,
  qualification_ids: idList.refine((l) => l.length > 0, messages.doctorQualifications),
  institution_ids: idList.refine((l) => l.length > 0, messages.doctorInstitutions),
  // "institutionId:serviceId" per ticked cell of the offer grid.
  offers: z.preprocess(
    (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
    z
      .array(
        z
          .string()
          .regex(/^[1-9]\d{0,9}:[1-9]\d{0,9}$/, messages.unknownChoice)
          .transform((s) => s.split(':').map(Number) as [number, number]),
      )
      .max(5000),
  ),
});

export type InstitutionInput = z.infer<typeof institutionSchema>;
export type QualificationInput = z.infer<typeof qualificationSchema>;
export type ServiceInput = z.infer<typeof serviceSchema>;
export type DoctorInput = z.infer<typeof doctorSchema>;

/** Form values (strings) from stored rows, for the edit screens. */
export const formValues = {
  institution: (r: InstitutionRow) => ({ name: r.name, address: r.address, time_zone: r.time_zone }),
  qualification: (r: QualificationRow) => ({ name: r.name }),
  service: (r: ServiceRow) => ({
    qualification_id: String(r.qualification_id),
    name: r.name,
    duration_minutes: String(r.duration_minutes),
    price: plainAmount(r.price_minor),
  }),
  doctor: (d: DoctorRecord) => ({
    name: d.name,
    qualification_ids: d.qualificationIds.map(String),
    institution_ids: d.institutionIds.map(String),
    offers: d.offers,
  }),
};
