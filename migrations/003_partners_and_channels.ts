import type { Knex } from 'knex';

/**
 * Partners and traffic channels. Commission: 'percent' stores hundredths of a percent
 * (1250 = 12.50 %), 'fixed' stores minor currency units per booking.
 * Every partner has exactly one channel (partner_id unique); clinic channels have none.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('partners', (t) => {
    t.increments('id');
    t.string('name', 200).notNullable().unique();
    t.string('tax_number', 40).notNullable();
    t.string('registration_number', 40).notNullable().defaultTo('');
    t.string('contact_name', 200).notNullable().defaultTo('');
    t.string('contact_email', 254).notNullable().defaultTo('');
    t.string('contact_phone', 40).notNullable().defaultTo('');
    t.string('commission_type', 10).notNullable().checkIn(['percent', 'fixed']);
    t.integer('commission_value').notNullable().defaultTo(0);
    t.check('?? >= 0', ['commission_value'], 'partners_commission_non_negative');
    t.boolean('can_see_patient_records').notNullable().defaultTo(false);
    t.boolean('active').notNullable().defaultTo(true);
    t.string('created_at', 30).notNullable();
  });
  await db.schema.createTable('traffic_channels', (t) => {
    t.increments('id');
    t.string('code', 40).notNullable().unique();
    t.string('name', 200).notNullable();
    t.string('kind', 10).notNullable().checkIn(['clinic', 'partner']);
    t.integer('partner_id').nullable().unique().references('id').inTable('partners');
    t.boolean('active').notNullable().defaultTo(true);
    t.integer('sort_order').notNullable().defaultTo(0);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('traffic_channels');
  await db.schema.dropTable('partners');
}
