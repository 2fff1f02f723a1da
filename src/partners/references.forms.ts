/** The partner's "Reference numbers and Partner users" form (settings), with messages on the field. */
import { checkbox, text } from '../lib/validate';
import { z } from 'zod';
import { patternProblem, referenceRules } from './references';

export const rulesMessages = {
  invalid: 'Please correct the marked fields. Nothing was saved.',
  notFound: 'This partner does not exist.',
};

export const partnerRulesSchema = z.object({
  reference_required: checkbox,
  reference_label: text(referenceRules.maxLabelLength),
  reference_pattern: z.preprocess(
    (v) => (Array.isArray(v) ? v[0] : (v ?? '')),
    z
      .string({ message: 'Must be text.' })
      .max(1000, `The pattern may be at most ${referenceRules.maxPatternLength} characters.`)
      .transform((s) => s.trim())
      .superRefine((s, ctx) => {
        const problem = patternProblem(s);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
  ),
  partner_admin_enabled: checkbox,
});

/** The form's values as typed (or stored), to show back. */
export type PartnerRulesValues = {
  reference_required: boolean;
  reference_label: string;
  reference_pattern: string;
  partner_admin_enabled: boolean;
};
