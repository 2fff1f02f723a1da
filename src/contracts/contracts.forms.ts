/**
 * The contract forms: a Traffic channels cell's validity dates, an allotment, a reserved block.
 * Each message sits on the field it is about (422 beside the field, nothing changed).
 */
import { z } from 'zod';
import { firstOrEmpty, isoDate, requiredId, single } from '../lib/validate';

export const formMessages = {
  date: 'Enter a date like 2027-01-31, or leave it empty.',
  dateRequired: 'Enter a date like 2027-01-31.',
  toBeforeFrom: 'The end date must not be before the start date.',
  target: 'Choose a service or a qualification.',
  period: 'Choose day, week or month.',
  cap: 'Enter a whole number from 0 to 100000.',
  weekdays: 'Tick at least one weekday.',
  time: 'Enter a time like 08:00.',
  toTime: 'The end time must be after the start time.',
  release: 'Enter a whole number from 0 to 8760.',
  releaseUnit: 'Choose days or hours.',
};
const m = formMessages;

const wholeNumber = (max: number, message: string) =>
  z.preprocess(
    firstOrEmpty,
    z
      .string({ message })
      .trim()
      .regex(/^\d{1,6}$/, message)
      .transform(Number)
      .refine((n) => n <= max, message),
  );

export const validitySchema = z
  .object({
    institution: requiredId,
    channel: requiredId,
    service: requiredId,
    valid_from: isoDate(m.date, { optional: true }),
    valid_to: isoDate(m.date, { optional: true }),
  })
  .superRefine((v, ctx) => {
    if (v.valid_from && v.valid_to && v.valid_to < v.valid_from)
      ctx.addIssue({ code: 'custom', path: ['valid_to'], message: m.toBeforeFrom });
  });

export const capSchema = z.object({ cap: wholeNumber(100_000, m.cap) });

export const allotmentSchema = z.object({
  partner: requiredId,
  institution: requiredId,
  target: single(z.string({ message: m.target }).regex(/^(service|qualification):[1-9]\d{0,9}$/, m.target)),
  period: single(z.enum(['day', 'week', 'month'], { message: m.period })),
  cap: wholeNumber(100_000, m.cap),
});

const time = single(
  z
    .string({ message: m.time })
    .trim()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, m.time),
);

export const blockSchema = z
  .object({
    partner: requiredId,
    institution: requiredId,
    doctor: requiredId,
    weekdays: z.preprocess(
      (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
      z
        .array(z.enum(['1', '2', '3', '4', '5', '6', '7'], { message: m.weekdays }))
        .min(1, m.weekdays)
        .max(7),
    ),
    from_time: time,
    to_time: time,
    date_from: isoDate(m.dateRequired),
    date_to: isoDate(m.dateRequired),
    release_value: wholeNumber(8760, m.release),
    release_unit: single(z.enum(['days', 'hours'], { message: m.releaseUnit })),
  })
  .superRefine((v, ctx) => {
    if (v.to_time <= v.from_time) ctx.addIssue({ code: 'custom', path: ['to_time'], message: m.toTime });
    if (v.date_to < v.date_from) ctx.addIssue({ code: 'custom', path: ['date_to'], message: m.toBeforeFrom });
  });

export type BlockInput = z.infer<typeof blockSchema>;
export type AllotmentInput = z.infer<typeof allotmentSchema>;
