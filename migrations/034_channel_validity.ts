import type { Knex } from 'knex';

/**
 * Partner contracts (issue 17): a ticked Traffic channels cell may be valid only from / until an
 * appointment date (institution-local, YYYY-MM-DD; either end open). The row belongs to the cell:
 * unticking the cell deletes it (ON DELETE CASCADE), and a range that ends before it starts is
 * refused by the database.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('channel_service_validity', (t) => {
    t.integer('institution_id').notNullable();
    t.integer('channel_id').notNullable();
    t.integer('service_id').notNullable();
    t.string('valid_from', 10).nullable();
    t.string('valid_to', 10).nullable();
    t.string('updated_at', 30).notNullable();
    t.primary(['institution_id', 'channel_id', 'service_id']);
    t.foreign(['institution_id', 'channel_id', 'service_id'])
      .references(['institution_id', 'channel_id', 'service_id'])
      .inTable('channel_services')
      .onDelete('CASCADE');
    t.check(
      '?? IS NULL OR ?? IS NULL OR ?? <= ??',
      ['valid_from', 'valid_to', 'valid_from', 'valid_to'],
      'channel_validity_order',
    );
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('channel_service_validity');
}
