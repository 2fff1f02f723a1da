import type { Knex } from 'knex';
import type { CurrentUser } from './permissions';
import type { Clock } from './clock';
import { insertAuditRow } from './audit.queries';

export type AuditEntry = {
  actor: CurrentUser | null;
  /** For failed logins, where there is no actor: the user name that was tried. */
  username?: string;
  /** For failed logins: the partner of the user who tried (an actor's own partner otherwise). */
  partnerId?: number | null;
  action: string;
  entityType?: string;
  entityId?: number | null;
  details?: Record<string, unknown>;
  ip?: string | null;
};

/**
 * Appends to the audit log, stamped with the app clock's now; pass the transaction so the entry
 * commits with the change.
 */
export async function audit(db: Knex, clock: Clock, entry: AuditEntry): Promise<void> {
  await insertAuditRow(db, {
    at: clock.nowIso(),
    actor_user_id: entry.actor?.id ?? null,
    actor_username: entry.actor?.username ?? entry.username?.slice(0, 64) ?? null,
    actor_partner_id: entry.actor ? entry.actor.partnerId : (entry.partnerId ?? null),
    action: entry.action,
    entity_type: entry.entityType ?? null,
    entity_id: entry.entityId ?? null,
    details: JSON.stringify(entry.details ?? {}),
    ip: entry.ip ?? null,
  });
}
