import type { Knex } from 'knex';

/**
 * Patients. search_name / search_name_reversed hold the accent- and case-folded
 * "family given" / "given family" so a prefix LIKE on an index finds "Kovács" from "kovacs".
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('patients', (t) => {
    t.increments('id');
    t.string('family_name', 100).notNullable();
    t.string('given_name', 100).notNullable();
    t.string('search_name', 210).notNullable().index();
    t.string('search_name_reversed', 210).notNullable().index();
    t.string('birth_date', 10).notNullable();
    t.string('id_type', 20).notNullable().checkIn(['taj', 'passport']);
    t.string('id_number', 20).notNullable();
    t.string('phone', 40).notNullable().defaultTo('');
    t.string('email', 254).notNullable().defaultTo('');
    t.integer('registered_by_partner_id').nullable().references('id').inTable('partners');
    t.integer('created_by_user_id').nullable().references('id').inTable('users');
    t.string('created_at', 30).notNullable();
    t.unique(['id_type', 'id_number']);
    t.index(['id_number']);
    t.index(['registered_by_partner_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('patients');
}
