import type { Knex } from 'knex';

/**
 * Issue 17, reference numbers and the partner's own user administration, per partner:
 * - reference_required / reference_label / reference_pattern: whether its bookings must quote a
 *   reference number (an authorisation number), what the field is called, and an optional
 *   regular expression it must match (checked when saved in settings: compiles, bounded, safe);
 * - partner_admin_enabled: the clinic's switch for the partner's own Partner users administration;
 * - bookings.reference: the number quoted, unique per partner among standing bookings (a
 *   partial unique index, so a cancelled booking's number may be quoted again).
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('partners', (t) => {
    t.boolean('reference_required').notNullable().defaultTo(false);
    t.string('reference_label', 100).notNullable().defaultTo('');
    t.string('reference_pattern', 200).notNullable().defaultTo('');
    t.boolean('partner_admin_enabled').notNullable().defaultTo(true);
  });
  await db.schema.alterTable('bookings', (t) => {
    t.string('reference', 64).nullable();
  });
  // Same statement on SQLite and PostgreSQL: both have partial indexes.
  await db.raw(
    `create unique index bookings_partner_reference_unique on bookings (partner_id, reference)
     where status = 'booked' and reference is not null`,
  );
  // The bookings list's filter by reference (any status).
  await db.raw('create index bookings_reference_index on bookings (reference) where reference is not null');
}

export async function down(db: Knex): Promise<void> {
  await db.raw('drop index if exists bookings_reference_index');
  await db.raw('drop index if exists bookings_partner_reference_unique');
  await db.schema.alterTable('bookings', (t) => {
    t.dropColumn('reference');
  });
  await db.schema.alterTable('partners', (t) => {
    t.dropColumn('reference_required');
    t.dropColumn('reference_label');
    t.dropColumn('reference_pattern');
    t.dropColumn('partner_admin_enabled');
  });
}
