/** The partner form: parsed from the posted body, messages on the field they are about. */
import { z } from 'zod';
import { parseAmount } from '../lib/money';
import { checkbox, firstOrEmpty, text } from '../lib/validate';

export const messages = {
  nameRequired: 'Enter the partner\u2019s name.',
  nameTaken: 'A partner with this name already exists (perhaps inactive).',
  taxNumber: 'Enter the tax number as 12345678-2-42 (8 digits, 1 digit from 1 to 5, 2 digits).',
  email: 'Enter an e-mail address like name@example.com, or leave it empty.',
  phone: 'Use digits, spaces and + ( ) - / only.',
  commissionType: 'Choose percent or fixed amount.',
  percent: 'Enter a percentage from 0 to 100, like 12.5.',
  fixed: 'Enter an amount of 0 or more, like 1500 or 1500.50.',
  notFound: 'This partner does not exist.',
};

/** "12345678-2-42"; also accepted without dashes or with spaces and normalised. */
export function normaliseTaxNumber(input: string): string | null {
  const compact = input.replace(/[\s-]/g, '');
  if (!/^\d{8}[1-5]\d{2}$/.test(compact)) return null;
  return `${compact.slice(0, 8)}-${compact.slice(8, 9)}-${compact.slice(9)}`;
}

/** "12.5" -> 1250 (hundredths of a percent), 0..100 %. */
export function parsePercent(input: string): number | null {
  const cleaned = input.replace(/\s/g, '').replace(',', '.').replace(/%$/, '');
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(cleaned)) return null;
  const [whole, frac = ''] = cleaned.split('.');
  const value = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  return value <= 10000 ? value : null;
}

export const partnerSchema = z
  .object({
    name: text(200, { required: messages.nameRequired }),
    tax_number: z.preprocess(
      firstOrEmpty,
      z
        .string()
        .transform(
          (s, ctx) =>
            normaliseTaxNumber(s) ?? (ctx.addIssue({ code: 'custom', message: messages.taxNumber }), z.NEVER),
        ),
    ),
    registration_number: text(40),
    contact_name: text(200),
    contact_email: text(254).refine((s) => s === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s), messages.email),
    contact_phone: text(40).refine((s) => /^[0-9+()/\- ]*$/.test(s), messages.phone),
    commission_type: z.preprocess(
      firstOrEmpty,
      z.enum(['percent', 'fixed'], { message: messages.commissionType }),
    ),
    commission_value: z.preprocess(firstOrEmpty, z.string()),
    can_see_patient_records: checkbox,
  })
  .transform((v, ctx) => {
    const value =
      v.commission_type === 'percent' ? parsePercent(v.commission_value) : parseAmount(v.commission_value);
    if (value === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['commission_value'],
        message: v.commission_type === 'percent' ? messages.percent : messages.fixed,
      });
      return z.NEVER;
    }
    return { ...v, commission_value: value };
  });

export type PartnerInput = z.infer<typeof partnerSchema>;
