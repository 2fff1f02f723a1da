import type { Knex } from 'knex';

/**
 * A doctor's working plan at an institution. Dates are local calendar dates (YYYY-MM-DD) and
 * times local wall-clock times (HH:MM) in the institution's zone; weekday is ISO (1 = Monday).
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('schedules', (t) => {
    t.increments('id');
    t.integer('doctor_id').notNullable().references('id').inTable('doctors');
    t.integer('institution_id').notNullable().references('id').inTable('institutions');
    t.integer('slot_minutes').notNullable().checkBetween([5, 240]);
    t.string('valid_from', 10).notNullable();
    t.string('valid_to', 10).nullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.string('created_at', 30).notNullable();
    t.index(['doctor_id', 'institution_id']);
  });
  await db.schema.createTable('schedule_hours', (t) => {
    t.increments('id');
    t.integer('schedule_id').notNullable().references('id').inTable('schedules').onDelete('CASCADE');
    t.integer('weekday').notNullable().checkBetween([1, 7]);
    t.string('start_time', 5).notNullable();
    t.string('end_time', 5).notNullable();
    t.index(['schedule_id']);
  });
  await db.schema.createTable('schedule_breaks', (t) => {
    t.increments('id');
    t.integer('schedule_id').notNullable().references('id').inTable('schedules').onDelete('CASCADE');
    t.integer('weekday').notNullable().checkBetween([1, 7]);
    t.string('start_time', 5).notNullable();
    t.string('end_time', 5).notNullable();
    t.index(['schedule_id']);
  });
  await db.schema.createTable('schedule_exceptions', (t) => {
    t.increments('id');
    t.integer('schedule_id').notNullable().references('id').inTable('schedules').onDelete('CASCADE');
    t.string('date', 10).notNullable();
    t.string('kind', 10).notNullable().checkIn(['off', 'hours']);
    t.string('start_time', 5).nullable();
    t.string('end_time', 5).nullable();
    t.string('note', 500).notNullable().defaultTo('');
    t.unique(['schedule_id', 'date']);
  });
}

export async function down(db: Knex): Promise<void> {
  for (const table of ['schedule_exceptions', 'schedule_breaks', 'schedule_hours', 'schedules']) {
    await db.schema.dropTable(table);
  }
}
