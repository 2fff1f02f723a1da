/** What the outbox page accepts: the list's status filter and page (select list and links: 400 when tampered with) and the on/off switch. */
import { z } from 'zod';
import { single } from '../lib/validate';
import { en } from '../i18n/messages/en';

export const outboxFormMessages = {
  badStatus: en['outbox.badStatus'],
};

export const outboxListQuery = z.object({
  status: single(
    z.enum(['all', 'pending', 'sent', 'failed'], { message: outboxFormMessages.badStatus }),
  ).optional(),
  page: z.preprocess(
    (v) => (Array.isArray(v) ? v[0] : v === '' ? undefined : v),
    z.coerce.number().int().min(1).max(100_000).optional(),
  ),
});

/** A checkbox: present ("1") is on, absent is off; anything else is a tampered form. */
export const mailSwitchForm = z.object({
  enabled: single(z.literal('1', { message: outboxFormMessages.badStatus })).optional(),
});
