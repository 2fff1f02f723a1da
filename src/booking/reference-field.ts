/**
 * The reservation dialog's reference number field (partners/references holds the rules): what the
 * field shows and how its typed value travels with every button of the patient step.
 */
import { fieldText } from '../lib/validate';
import { asksForReference, referenceLabel, referenceRules, type ReferenceRule } from '../partners/references';

/** The reference as typed (bounded generously: the rule, not the form, refuses a long one). */
export function referenceFromBody(body: Record<string, unknown> | undefined): string {
  return fieldText(body?.reference, referenceRules.maxLength * 4);
}

/** "&reference=..." for a redirect back to the dialog, so the typed value survives it. */
export function referenceQuery(body: Record<string, unknown> | undefined): string {
  const value = referenceFromBody(body);
  return value ? `&reference=${encodeURIComponent(value)}` : '';
}

export function referenceFieldModel(rule: ReferenceRule | null, typed: string | undefined) {
  return {
    referenceField: asksForReference(rule)
      ? { label: referenceLabel(rule), required: rule!.required, pattern: rule!.pattern }
      : null,
    reference: typed ?? '',
  };
}
