import type { Knex } from 'knex';

/**
 * The Audit log viewer (issue 16) lists newest first by id (keyset paging: `id < ?`), filtered by
 * partner, actor, action and entity (a booking's history too) and a date range (`at`, indexed
 * since 012). Each equality filter gets an index ending in id, so a page is one index range read
 * in order with LIMIT, not a sort of every match, on PostgreSQL as on SQLite. They replace 012's
 * single-column indexes on the same columns, which they serve as well.
 */
const replaced: [string, string[], string, string[]][] = [
  [
    'audit_log_actor_partner_id_index',
    ['actor_partner_id'],
    'audit_log_partner_id_index',
    ['actor_partner_id', 'id'],
  ],
  ['audit_log_action_index', ['action'], 'audit_log_action_id_index', ['action', 'id']],
  [
    'audit_log_entity_type_entity_id_index',
    ['entity_type', 'entity_id'],
    'audit_log_entity_id_index',
    ['entity_type', 'entity_id', 'id'],
  ],
];

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('audit_log', (t) => {
    for (const [oldName, , name, columns] of replaced) {
      t.dropIndex([], oldName);
      t.index(columns, name);
    }
    t.index(['actor_username', 'id'], 'audit_log_actor_id_index');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('audit_log', (t) => {
    t.dropIndex([], 'audit_log_actor_id_index');
    for (const [oldName, oldColumns, name] of replaced) {
      t.dropIndex([], name);
      t.index(oldColumns, oldName);
    }
  });
}
