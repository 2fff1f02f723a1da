import type { Knex } from 'knex';

/**
 * The Audit log viewer (issue 16) lists newest first by id (keyset paging: `id < ?`), filtered by
 * partner, actor, action, entity and a date range. Each filter gets an index that also gives
 * the order, so a page is an index range scan with LIMIT, not a sort of every match.
 * (at) and (entity_type, entity_id) exist since 012; a booking's history uses the latter.
 */
const indexes: [string, string[]][] = [
  ['audit_log_partner_id_index', ['actor_partner_id', 'id']],
  ['audit_log_actor_id_index', ['actor_username', 'id']],
  ['audit_log_action_id_index', ['action', 'id']],
  ['audit_log_entity_id_index', ['entity_type', 'entity_id', 'id']],
];

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('audit_log', (t) => {
    for (const [name, columns] of indexes) t.index(columns, name);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('audit_log', (t) => {
    for (const [name] of indexes) t.dropIndex([], name);
  });
}
