import type { Knex } from 'knex';

/**
 * Slots are concrete bookable cells (UTC instants, plus the institution-local date for fast
 * day/week queries). A doctor can be in one place at a time: unique (doctor_id, starts_at).
 * A hold reserves slots for one session; hold_slots.slot_id is the primary key, so the
 * database allows one hold per slot (expired holds are purged before a new one is placed).
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('slots', (t) => {
    t.increments('id');
    t.integer('doctor_id').notNullable().references('id').inTable('doctors');
    t.integer('institution_id').notNullable().references('id').inTable('institutions');
    t.integer('schedule_id').nullable().references('id').inTable('schedules').onDelete('SET NULL');
    t.string('starts_at', 30).notNullable();
    t.string('ends_at', 30).notNullable();
    t.string('local_date', 10).notNullable();
    t.string('status', 10).notNullable().defaultTo('open').checkIn(['open', 'blocked']);
    t.string('blocked_reason', 500).nullable();
    t.string('created_at', 30).notNullable();
    t.unique(['doctor_id', 'starts_at']);
    t.index(['institution_id', 'local_date']);
    t.index(['doctor_id', 'local_date']);
  });
  await db.schema.createTable('holds', (t) => {
    t.increments('id');
    t.string('token', 64).notNullable().unique();
    t.integer('user_id').notNullable().references('id').inTable('users');
    t.string('session_id', 255).notNullable();
    t.integer('partner_id').nullable().references('id').inTable('partners');
    t.integer('channel_id').notNullable().references('id').inTable('traffic_channels');
    t.integer('institution_id').notNullable().references('id').inTable('institutions');
    t.integer('doctor_id').notNullable().references('id').inTable('doctors');
    t.integer('service_id').notNullable().references('id').inTable('services');
    t.string('expires_at', 30).notNullable().index();
    t.string('created_at', 30).notNullable();
  });
  await db.schema.createTable('hold_slots', (t) => {
    t.integer('slot_id').primary().references('id').inTable('slots');
    t.integer('hold_id').notNullable().references('id').inTable('holds').onDelete('CASCADE');
    t.index(['hold_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('hold_slots');
  await db.schema.dropTable('holds');
  await db.schema.dropTable('slots');
}
