/**
 * The Audit log viewer's filter. Typed fields (dates, actor, action, entity, entity id) get a
 * message beside the field (422); the partner select and the paging cursor come from our own
 * links, so a malformed one is a tampered URL (400).
 */
import { z } from 'zod';
import { fieldText, isoDate, optionalId, text } from '../lib/validate';

export const formMessages = {
  badDate: 'Use a date in the format YYYY-MM-DD.',
  badRange: 'The start date must not be after the end date.',
  badAction: 'Use an action code such as booking.created, or a prefix such as booking.',
  badEntity: 'Use an entity kind such as booking, user or partner.',
  badEntityId: 'Enter a whole number of 1 or more.',
};

const optionalDate = isoDate(formMessages.badDate, { optional: true });

export const auditFilterSchema = z
  .object({
    from: optionalDate,
    to: optionalDate,
    actor: text(64),
    action: text(60).refine((s) => /^[a-z0-9_.]*$/.test(s), formMessages.badAction),
    entity: text(40).refine((s) => /^[a-z_]*$/.test(s), formMessages.badEntity),
    entity_id: text(12).refine((s) => s === '' || /^[1-9]\d{0,9}$/.test(s), formMessages.badEntityId),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: formMessages.badRange, path: ['to'] });

/** Fields of our own making (select list, paging link): malformed means tampered (400). */
export const auditLinkSchema = z.object({ partner: optionalId, before: optionalId, after: optionalId });

export type AuditFilterValues = {
  from: string;
  to: string;
  actor: string;
  partner: string;
  action: string;
  entity: string;
  entity_id: string;
};

/** The filter as typed, to show back. */
export function auditValuesFromQuery(query: Record<string, unknown>): AuditFilterValues {
  return {
    from: fieldText(query.from, 10),
    to: fieldText(query.to, 10),
    actor: fieldText(query.actor, 64),
    partner: fieldText(query.partner, 12),
    action: fieldText(query.action, 60),
    entity: fieldText(query.entity, 40),
    entity_id: fieldText(query.entity_id, 12),
  };
}
