/** What the closures pages accept: one closure (date, optional hours, reason), a holiday year to load. */
import { z } from 'zod';
import { firstOrEmpty, isoDate, optionalId, text } from '../lib/validate';
import { isClockTime } from '../schedules/slot-times';
import { holidayYears } from './holidays';

export const closureMessages = {
  date: 'Enter the day as YYYY-MM-DD.',
  time: 'Enter a time as HH:MM, like 08:00.',
  bothTimes: 'Enter both times for closed hours, or neither for the whole day.',
  order: 'The end must be after the start.',
  reason: 'Enter a reason, like “Christmas Day” or “Staff training”.',
  country: 'Choose Hungary or Romania.',
  year: `Enter a year from ${holidayYears.min} to ${holidayYears.max}.`,
  institution: 'Choose the institution.',
};

const clock = (opts: { end?: boolean } = {}) =>
  z.preprocess(
    firstOrEmpty,
    z
      .string()
      .transform((s) => s.trim())
      .refine((s) => s === '' || isClockTime(s, { allowMidnightEnd: opts.end }), closureMessages.time),
  );

export const closureSchema = z
  .object({
    date: isoDate(closureMessages.date),
    from: clock(),
    to: clock({ end: true }),
    reason: text(200, { required: closureMessages.reason }),
  })
  .superRefine((v, ctx) => {
    if ((v.from === '') !== (v.to === ''))
      ctx.addIssue({
        code: 'custom',
        path: [v.from === '' ? 'from' : 'to'],
        message: closureMessages.bothTimes,
      });
    else if (v.from !== '' && v.from >= v.to)
      ctx.addIssue({ code: 'custom', path: ['to'], message: closureMessages.order });
  });
export type ClosureInput = z.infer<typeof closureSchema>;

export const holidaySchema = z.object({
  country: z.preprocess(firstOrEmpty, z.enum(['hu', 'ro'], { message: closureMessages.country })),
  year: z.preprocess(
    firstOrEmpty,
    z.coerce
      .number({ message: closureMessages.year })
      .int(closureMessages.year)
      .min(holidayYears.min, closureMessages.year)
      .max(holidayYears.max, closureMessages.year),
  ),
});

export const listQuery = z.object({
  institution: optionalId,
  year: z.preprocess(firstOrEmpty, z.string().regex(/^(\d{4})?$/, closureMessages.year)),
});
