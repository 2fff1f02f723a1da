import type { Knex } from 'knex';

/** Qualifications, services, doctors, and which doctor offers which service where. */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('qualifications', (t) => {
    t.increments('id');
    t.string('name', 200).notNullable().unique();
    t.boolean('active').notNullable().defaultTo(true);
  });
  await db.schema.createTable('services', (t) => {
    t.increments('id');
    t.integer('qualification_id').notNullable().references('id').inTable('qualifications');
    t.string('name', 200).notNullable().unique();
    t.integer('duration_minutes').notNullable().checkBetween([5, 480]);
    t.integer('price_minor').notNullable();
    t.check('?? >= 0', ['price_minor'], 'services_price_non_negative');
    t.boolean('active').notNullable().defaultTo(true);
  });
  await db.schema.createTable('doctors', (t) => {
    t.increments('id');
    t.string('name', 200).notNullable();
    t.boolean('active').notNullable().defaultTo(true);
  });
  await db.schema.createTable('doctor_qualifications', (t) => {
    t.integer('doctor_id').notNullable().references('id').inTable('doctors');
    t.integer('qualification_id').notNullable().references('id').inTable('qualifications');
    t.primary(['doctor_id', 'qualification_id']);
  });
  await db.schema.createTable('doctor_institutions', (t) => {
    t.integer('doctor_id').notNullable().references('id').inTable('doctors');
    t.integer('institution_id').notNullable().references('id').inTable('institutions');
    t.primary(['doctor_id', 'institution_id']);
  });
  await db.schema.createTable('doctor_services', (t) => {
    t.integer('doctor_id').notNullable().references('id').inTable('doctors');
    t.integer('institution_id').notNullable().references('id').inTable('institutions');
    t.integer('service_id').notNullable().references('id').inTable('services');
    t.primary(['doctor_id', 'institution_id', 'service_id']);
    t.index(['institution_id', 'service_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  for (const table of [
    'doctor_services',
    'doctor_institutions',
    'doctor_qualifications',
    'doctors',
    'services',
    'qualifications',
  ]) {
    await db.schema.dropTable(table);
  }
}
