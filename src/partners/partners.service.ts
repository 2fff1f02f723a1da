/**
 * Partners. Every partner has exactly one traffic channel (code `partner-<id>`, kind 'partner'):
 * created with the partner, renamed with it, deactivated and reactivated with it, always in the
 * same transaction, so the traffic channels matrix and the booking flow never see one without
 * the other.
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import { audit } from '../lib/audit';
import { insertId, writeTransaction } from '../lib/db';
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

export type PartnerRow = {
  id: number;
  name: string;
  tax_number: string;
  registration_number: string;
  contact_name: string;
  contact_email: string;
  contact_phone: string;
  commission_type: 'percent' | 'fixed';
  commission_value: number;
  can_see_patient_records: boolean;
  active: boolean;
  channel_id: number | null;
};

const columns = [
  'partners.id',
  'partners.name',
  'partners.tax_number',
  'partners.registration_number',
  'partners.contact_name',
  'partners.contact_email',
  'partners.contact_phone',
  'partners.commission_type',
  'partners.commission_value',
  'partners.can_see_patient_records',
  'partners.active',
  'traffic_channels.id as channel_id',
];
const toRow = (r: PartnerRow): PartnerRow => ({
  ...r,
  active: Boolean(r.active),
  can_see_patient_records: Boolean(r.can_see_patient_records),
});

export async function listPartners(db: Knex): Promise<PartnerRow[]> {
  const rows = await db('partners')
    .leftJoin('traffic_channels', 'traffic_channels.partner_id', 'partners.id')
    .select(columns)
    .orderBy([{ column: 'partners.active', order: 'desc' }, 'partners.name']);
  return rows.map(toRow);
}

export async function getPartner(db: Knex, id: number): Promise<PartnerRow> {
  const row = await db('partners')
    .leftJoin('traffic_channels', 'traffic_channels.partner_id', 'partners.id')
    .select(columns)
    .where('partners.id', id)
    .first();
  if (!row) throw new NotFound(messages.notFound);
  return toRow(row);
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

/** The partner users listed on a partner's page (clinic-side view, no password data). */
export async function listPartnerUsers(db: Knex, partnerId: number) {
  const users = await db('users')
    .select('id', 'username', 'display_name', 'active')
    .where({ partner_id: partnerId })
    .orderBy('username');
  const perms = users.length
    ? await db('user_permissions')
        .select('user_id', 'permission')
        .whereIn(
          'user_id',
          users.map((u) => u.id),
        )
    : [];
  return users.map((u) => ({
    ...u,
    active: Boolean(u.active),
    permissions: perms.filter((p) => p.user_id === u.id).map((p) => p.permission as string),
  }));
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
          await trx('partners').where({ id }).update(values);
          // The partner's column in the matrix carries its name.
          const channel = await trx('traffic_channels')
            .where({ partner_id: id })
            .update({ name: input.name });
          if (!channel) await insertChannel(trx, id, input.name, before.active);
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
        const newId = await insertId(trx, 'partners', {
          ...values,
          active: true,
          created_at: ctx.clock.nowIso(),
        });
        const channelId = await insertChannel(trx, newId, input.name, true);
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

async function insertChannel(trx: Knex, partnerId: number, name: string, active: boolean): Promise<number> {
  return insertId(trx, 'traffic_channels', {
    code: `partner-${partnerId}`,
    name,
    kind: 'partner',
    partner_id: partnerId,
    active,
    sort_order: 100,
  });
}

/**
 * Deactivating a partner deactivates its channel: it leaves the matrix and the booking flow, its
 * users can no longer act (loadCurrentUser refuses them), and its bookings and statistics stay.
 * The ticks are kept, so reactivating restores the partner as it was.
 */
export function setPartnerActive(db: Knex, ctx: Ctx, id: number, active: boolean): Promise<void> {
  return writeTransaction(db, async (trx) => {
    const partner = await trx('partners').select('id', 'name', 'active').where({ id }).first();
    if (!partner) throw new NotFound(messages.notFound);
    if (Boolean(partner.active) === active) return;
    await trx('partners').where({ id }).update({ active });
    await trx('traffic_channels').where({ partner_id: id }).update({ active });
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
