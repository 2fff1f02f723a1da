/** The statements of reference numbers and the partner's own-administration switch. */
import type { Knex } from 'knex';
import type { ReferenceRule } from './references';

export type PartnerRules = ReferenceRule & { partnerAdminEnabled: boolean };

type RulesRow = {
  reference_required: unknown;
  reference_label: string;
  reference_pattern: string;
  partner_admin_enabled: unknown;
};

const toRules = (r: RulesRow): PartnerRules => ({
  required: Boolean(r.reference_required),
  label: r.reference_label ?? '',
  pattern: r.reference_pattern ?? '',
  partnerAdminEnabled: Boolean(r.partner_admin_enabled),
});

/** A partner's reference rule and switch; undefined when there is no such partner. */
export async function partnerRulesOf(db: Knex, partnerId: number): Promise<PartnerRules | undefined> {
  const row = (await db('partners')
    .select('reference_required', 'reference_label', 'reference_pattern', 'partner_admin_enabled')
    .where({ id: partnerId })
    .first()) as RulesRow | undefined;
  return row && toRules(row);
}

export async function updatePartnerRules(db: Knex, partnerId: number, rules: PartnerRules): Promise<void> {
  await db('partners').where({ id: partnerId }).update({
    reference_required: rules.required,
    reference_label: rules.label,
    reference_pattern: rules.pattern,
    partner_admin_enabled: rules.partnerAdminEnabled,
  });
}

/** Is this reference already quoted on a standing booking of the partner? */
export async function referenceInUse(db: Knex, partnerId: number, reference: string): Promise<boolean> {
  const row = await db('bookings')
    .select('id')
    .where({ partner_id: partnerId, reference, status: 'booked' })
    .first();
  return !!row;
}
