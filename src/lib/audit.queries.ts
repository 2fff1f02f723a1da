/** The audit log's one statement: append a row (the table refuses UPDATE and DELETE). */
import type { Knex } from 'knex';

export type AuditRow = {
  at: string;
  actor_user_id: number | null;
  actor_username: string | null;
  actor_partner_id: number | null;
  action: string;
  entity_type: string | null;
  entity_id: number | null;
  details: string;
  ip: string | null;
};

export async function insertAuditRow(db: Knex, row: AuditRow): Promise<void> {
  await db('audit_log').insert(row);
}
