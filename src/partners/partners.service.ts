/**
 * Partners. Every partner has exactly one traffic channel (code `partner-<id>`, kind 'partner'):
 * created with the partner, renamed with it, deactivated and reactivated with it, always in the
 * same transaction, so the traffic channels matrix and the booking flow never see one without
 * the other.
 */
import type { Knex } from 'knex';
import { audit } from '../lib/audit';
import { writeTransaction } from '../lib/db';
import * as q from './partners.queries';
import { messages, type PartnerInput } from './partners.forms';
import type { PartnerRow } from './partners.queries';
import type { Clock } from '../lib/clock';
import { NotFound } from '../lib/errors';
import { describeCommission, formatPercent, plainAmount } from '../lib/money';
import type { CurrentUser } from '../lib/permissions';
import { assertNameFree } from '../lib/names.queries';
import { guarded } from '../lib/forms';

type Ctx = { actor: CurrentUser; ip?: string | null; clock: Clock };

export {
  messages,
  normaliseTaxNumber,
  parsePercent,
  partnerSchema,
  type PartnerInput,
} from './partners.forms';

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
          await audit(trx, ctx.clock, {
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
        await audit(trx, ctx.clock, {
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
    await audit(trx, ctx.clock, {
      actor: ctx.actor,
      action: `settings.partner.${active ? 'reactivated' : 'deactivated'}`,
      entityType: 'partner',
      entityId: id,
      details: { name: partner.name },
      ip: ctx.ip,
    });
  });
}
