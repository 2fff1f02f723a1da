import type { Knex } from 'knex';

/**
 * Allotments (issue 17): at most `cap` active bookings per partner x institution x service (or
 * qualification) x period (day, week, month; institution-local appointment dates).
 * allotment_usage holds one counter per allotment and period key (2027-01-18, 2027-W03, 2027-01):
 * Save raises it with a conditional UPDATE in its own transaction, and the CHECK (used <= cap)
 * makes the database refuse any write that would pass the cap, whichever process makes it.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('allotments', (t) => {
    t.increments('id');
    t.integer('partner_id').notNullable().references('id').inTable('partners');
    t.integer('institution_id').notNullable().references('id').inTable('institutions');
    t.integer('service_id').nullable().references('id').inTable('services');
    t.integer('qualification_id').nullable().references('id').inTable('qualifications');
    t.string('period', 5).notNullable().checkIn(['day', 'week', 'month']);
    t.integer('cap').notNullable();
    t.string('created_at', 30).notNullable();
    t.check('?? >= 0', ['cap'], 'allotments_cap_non_negative');
    t.check(
      '(?? IS NULL AND ?? IS NOT NULL) OR (?? IS NOT NULL AND ?? IS NULL)',
      ['service_id', 'qualification_id', 'service_id', 'qualification_id'],
      'allotments_service_or_qualification',
    );
    t.index(['partner_id', 'institution_id']);
  });
  await db.schema.createTable('allotment_usage', (t) => {
    t.integer('allotment_id').notNullable().references('id').inTable('allotments').onDelete('CASCADE');
    t.string('period_key', 10).notNullable();
    t.integer('used').notNullable();
    t.integer('cap').notNullable();
    t.primary(['allotment_id', 'period_key']);
    t.check('?? >= 0 AND ?? <= ??', ['used', 'used', 'cap'], 'allotment_usage_within_cap');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('allotment_usage');
  await db.schema.dropTable('allotments');
}
