import type { Knex } from 'knex';

/**
 * Reserved blocks (issue 17): one doctor's slots at one institution on some weekdays (ISO weekday
 * bits: Monday = 1, Tuesday = 2, Wednesday = 4, ... Sunday = 64), between two local times, over a
 * date range, held for one partner until `release_value` days or hours before each slot starts.
 * Nothing runs at release time: the rule is evaluated from the clock whenever a slot is looked at.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('reserved_blocks', (t) => {
    t.increments('id');
    t.integer('partner_id').notNullable().references('id').inTable('partners');
    t.integer('institution_id').notNullable().references('id').inTable('institutions');
    t.integer('doctor_id').notNullable().references('id').inTable('doctors');
    t.integer('weekdays').notNullable();
    t.string('from_time', 5).notNullable();
    t.string('to_time', 5).notNullable();
    t.string('date_from', 10).notNullable();
    t.string('date_to', 10).notNullable();
    t.integer('release_value').notNullable();
    t.string('release_unit', 5).notNullable().checkIn(['days', 'hours']);
    t.string('created_at', 30).notNullable();
    t.check('?? BETWEEN 1 AND 127', ['weekdays'], 'reserved_blocks_weekdays');
    t.check('?? < ??', ['from_time', 'to_time'], 'reserved_blocks_hours');
    t.check('?? <= ??', ['date_from', 'date_to'], 'reserved_blocks_dates');
    t.check('?? >= 0', ['release_value'], 'reserved_blocks_release');
    t.index(['institution_id', 'doctor_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('reserved_blocks');
}
