/**
 * Partners. Every partner has exactly one traffic channel (code `partner-<id>`, kind 'partner'):
 * created with the partner, renamed with it, deactivated and reactivated with it, always in the
 * same transaction, so the traffic channels matrix and the booking flow never see one without
 * the other.
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import { audit } from '../lib/audit';
import { writeTransaction } from '../lib/db';
import * as q from './partners.queries';
import type { PartnerRow } from './partners.queries';
import type { Clock } from '../lib/clock';
import { NotFound } from '../lib/errors';
import { describeCommission, formatPercent, parseAmount, plainAmount } from '../lib/money';
import type { CurrentUser } from '../lib/permissions';
import { checkbox, firstOrEmpty, text } from '../lib/validate';
import { assertNameFree } from '../lib/names.queries';
import { guarded } from '../lib/forms';

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

type Ctx = { actor: CurrentUser; ip?: string | null; clock: Clock };

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

export { listPartners, listPartnerUsers, type PartnerRow } from './partners.queries';

export async function getPartner(db: Knex, id: number): Promise<PartnerRow> {
  const row = await q.findPartner(db, id);
  if (!row) throw new NotFound(messages.notFound);
  return row;
}

export function partnerFormValues(p: PartnerRow) {
  return {
    name: p.name,
    tax_number: p.tax_number,
    registration_number: p.registration_number,
    contact_name: p.contact_name,
    contact_email: p.contact_email,
    contact_phone: p.contact_phone,
    commission_type: p.commission_type,
    commission_value:
      p.commission_type === 'percent' ? formatPercent(p.commission_value) : plainAmount(p.commission_value),
    can_see_patient_records: p.can_see_patient_records ? 'on' : '',
  };
}

/** The partner's commission in the app's one wording (lib/money.ts). */
export function partnerCommission(
  p: Pick<PartnerRow, 'commission_type' | 'commission_value'>,
  money: (minor: number) => string,
): string {
  return describeCommission({ type: p.commission_type, value: p.commission_value }, money);
}

function row(input: PartnerInput) {
  return {
    name: input.name,
    tax_number: input.tax_number,
    registration_number: input.registration_number,
    contact_name: input.contact_name,
    contact_email: input.contact_email,
    contact_phone: input.contact_phone,
    commission_type: input.commission_type,
    commission_value: input.commission_value,
    can_see_patient_records: input.can_see_patient_records,
  };
}

export function savePartner(db: Knex, ctx: Ctx, input: PartnerInput, id?: number): Promise<number> {
  return guarded(
    () =>
      writeTransaction(db, async (trx) => {
        await assertNameFree(trx, 'partners', input.name, id, messages.nameTaken);
        const values = row(input);
        if (id) {
          const before = await getPartner(trx, id);
          await q.updatePartner(trx, id, values);
          // The partner's column in the matrix carries its name.
          const channel = await q.renamePartnerChannel(trx, id, input.name);
          if (!channel) await q.insertPartnerChannel(trx, id, input.name, before.active);
          const { channel_id: _c, id: _i, active: _a, ...old } = before;
          await audit(trx, {
            actor: ctx.actor,
            action: 'settings.partner.updated',
            entityType: 'partner',
            entityId: id,
            details: { before: old, after: values },
            ip: ctx.ip,
          });
          return id;
        }
        const newId = await q.insertPartner(trx, { ...values, active: true, created_at: ctx.clock.nowIso() });
        const channelId = await q.insertPartnerChannel(trx, newId, input.name, true);
        await audit(trx, {
          actor: ctx.actor,
          action: 'settings.partner.created',
          entityType: 'partner',
          entityId: newId,
          details: { ...values, channelId },
          ip: ctx.ip,
        });
        return newId;
      }),
    messages.nameTaken,
  );
}

/**
 * Deactivating a partner deactivates its channel: it leaves the matrix and the booking flow, its
 * users can no longer act (loadCurrentUser refuses them), and its bookings and statistics stay.
 * The ticks are kept, so reactivating restores the partner as it was.
 */
export function setPartnerActive(db: Knex, ctx: Ctx, id: number, active: boolean): Promise<void> {
  return writeTransaction(db, async (trx) => {
    const partner = await q.partnerState(trx, id);
    if (!partner) throw new NotFound(messages.notFound);
    if (partner.active === active) return;
    await q.setPartnerAndChannelActive(trx, id, active);
    await audit(trx, {
      actor: ctx.actor,
      action: `settings.partner.${active ? 'reactivated' : 'deactivated'}`,
      entityType: 'partner',
      entityId: id,
      details: { name: partner.name },
      ip: ctx.ip,
    });
  });
}
