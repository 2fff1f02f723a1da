import type { Knex } from 'knex';

/** Issue 14: a patient's address (optional; '' when not given, like phone and e-mail). */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('patients', (t) => {
    t.string('postal_code', 12).notNullable().defaultTo('');
    t.string('city', 100).notNullable().defaultTo('');
    t.string('street_address', 200).notNullable().defaultTo('');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('patients', (t) => {
    t.dropColumn('street_address');
    t.dropColumn('city');
    t.dropColumn('postal_code');
  });
}
