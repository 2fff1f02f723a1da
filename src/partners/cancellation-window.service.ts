/**
 * The partner's cancellation window (issue 17): "partner users may cancel and move until H hours
 * before the appointment". Validated (422 beside the field, nothing saved), audited with before
 * and after. The rule itself is applied by bookings/ (insideCancellationWindow in permissions.ts).
 */
import type { Knex } from 'knex';
import { audit } from '../lib/audit';
import type { Clock } from '../lib/clock';
import { writeTransaction } from '../lib/db';
import { NotFound } from '../lib/errors';
import type { CurrentUser } from '../lib/permissions';
import { parseOr422 } from '../lib/validate';
import { messages, windowSchema } from './cancellation-window.forms';
import { setWindow, windowOf } from './cancellation-window.queries';

export { messages } from './cancellation-window.forms';

export async function cancellationWindow(db: Knex, partnerId: number) {
  const w = await windowOf(db, partnerId);
  if (!w) throw new NotFound('This partner does not exist.');
  return w;
}

export async function saveCancellationWindow(
  db: Knex,
  ctx: { actor: CurrentUser; clock: Clock; ip?: string | null },
  partnerId: number,
  body: unknown,
): Promise<number | null> {
  const { cancel_window_hours: hours } = parseOr422(windowSchema, body, messages.fix);
  return writeTransaction(db, async (trx) => {
    const before = await cancellationWindow(trx, partnerId);
    if (before.hours === hours) return hours;
    await setWindow(trx, partnerId, hours);
    await audit(trx, ctx.clock, {
      actor: ctx.actor,
      action: 'settings.partner.cancellation_window',
      entityType: 'partner',
      entityId: partnerId,
      details: { before: before.hours, after: hours },
      ip: ctx.ip ?? null,
    });
    return hours;
  });
}
