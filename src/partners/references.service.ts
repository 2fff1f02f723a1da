/**
 * Reference numbers at Save and in the partner's settings. Save calls checkBookingReference inside
 * its own transaction, so a stale form (no field, an old rule) cannot book without a valid
 * reference; the partial unique index decides a race between two Saves quoting the same one.
 */
import type { Knex } from 'knex';
import { audit } from '../lib/audit';
import type { Clock } from '../lib/clock';
import { isUniqueViolation, writeTransaction } from '../lib/db';
import { NotFound, Validation } from '../lib/errors';
import type { CurrentUser } from '../lib/permissions';
import { parseOr422 } from '../lib/validate';
import { checkReference, referenceLabel, messages, type ReferenceRule } from './references';
import { partnerRulesSchema, rulesMessages } from './references.forms';
import * as q from './references.queries';

export { partnerRulesOf, type PartnerRules } from './references.queries';

/** The reference rule of a hold's partner (null for a clinic booking or a partner without one). */
export async function referenceRuleFor(db: Knex, partnerId: number | null): Promise<ReferenceRule | null> {
  if (partnerId === null) return null;
  return (await q.partnerRulesOf(db, partnerId)) ?? null;
}

/** A unique violation of bookings_partner_reference_unique (SQLite names the columns, PostgreSQL the index). */
export function isReferenceViolation(err: unknown): boolean {
  return isUniqueViolation(err) && /reference/.test(String((err as { message?: string })?.message));
}

/**
 * Inside Save's transaction: the reference to store for a booking of this partner, read with the
 * partner's rule as it is now. Refuses (422, message on the `reference` field) a missing, malformed
 * or already quoted one. `onRace` turns the unique index's refusal of a concurrent duplicate into
 * the same message.
 */
export async function checkBookingReference(
  trx: Knex,
  partnerId: number | null,
  raw: string | undefined,
): Promise<{ value: string | null; onRace: (err: unknown) => never }> {
  const rule = await referenceRuleFor(trx, partnerId);
  const checked = checkReference(rule, raw ?? '');
  if (!checked.ok) throw new Validation(checked.message, { reference: checked.message });
  const taken = () => {
    const message = messages.taken(referenceLabel(rule), checked.value ?? '');
    return new Validation(message, { reference: message });
  };
  if (checked.value !== null && partnerId !== null && (await q.referenceInUse(trx, partnerId, checked.value)))
    throw taken();
  return {
    value: checked.value,
    onRace: (err: unknown) => {
      throw isReferenceViolation(err) ? taken() : err;
    },
  };
}

/** The refusal Save would give this reference now (for a message before anything is written), or null. */
export async function referenceRefusal(
  db: Knex,
  partnerId: number | null,
  raw: string,
): Promise<Validation | null> {
  try {
    await checkBookingReference(db, partnerId, raw);
    return null;
  } catch (err) {
    if (err instanceof Validation) return err;
    throw err;
  }
}

/** Saves a partner's reference rule and Partner users switch (settings), audited with before and after. */
export async function savePartnerRules(
  db: Knex,
  ctx: { actor: CurrentUser; clock: Clock; ip?: string | null },
  partnerId: number,
  input: unknown,
): Promise<void> {
  const parsed = parseOr422(partnerRulesSchema, input, rulesMessages.invalid);
  await writeTransaction(db, async (trx) => {
    const before = await q.partnerRulesOf(trx, partnerId);
    if (!before) throw new NotFound(rulesMessages.notFound);
    const after = {
      required: parsed.reference_required,
      label: parsed.reference_label,
      pattern: parsed.reference_pattern,
      partnerAdminEnabled: parsed.partner_admin_enabled,
    };
    await q.updatePartnerRules(trx, partnerId, after);
    await audit(trx, ctx.clock, {
      actor: ctx.actor,
      action: 'settings.partner.rules_changed',
      entityType: 'partner',
      entityId: partnerId,
      ip: ctx.ip,
      details: { before, after },
    });
  });
}
