/** The partner's cancellation window form (issue 17): whole hours 0..8760, or empty for none. */
import { z } from 'zod';
import { firstOrEmpty } from '../lib/validate';

export const messages = {
  invalid: 'Enter a whole number of hours from 0 to 8760, or leave it empty.',
  fix: 'Please correct the cancellation window. Nothing was saved.',
  saved: 'The cancellation window was saved.',
};

export const windowSchema = z.object({
  cancel_window_hours: z.preprocess(
    firstOrEmpty,
    z
      .string()
      .trim()
      .transform((s, ctx) => {
        if (s === '') return null;
        if (!/^\d{1,4}$/.test(s) || Number(s) > 8760) {
          ctx.addIssue({ code: 'custom', message: messages.invalid });
          return z.NEVER;
        }
        return Number(s);
      }),
  ),
});
