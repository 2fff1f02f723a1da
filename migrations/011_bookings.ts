import type { Knex } from 'knex';

/**
 * Bookings keep a snapshot of price and commission so later price or contract changes do not
 * rewrite history. slot_occupancies is the double-booking guard: its primary key is the slot,
 * it is written in the same transaction as the booking and deleted on cancellation, so the
 * database itself refuses a second active booking of a slot. booking_slots keeps history.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('bookings', (t) => {
    t.increments('id');
    t.integer('institution_id').notNullable().references('id').inTable('institutions');
    t.integer('doctor_id').notNullable().references('id').inTable('doctors');
    t.integer('service_id').notNullable().references('id').inTable('services');
    t.integer('patient_id').notNullable().references('id').inTable('patients');
    t.integer('channel_id').notNullable().references('id').inTable('traffic_channels');
    t.integer('partner_id').nullable().references('id').inTable('partners');
    t.integer('created_by_user_id').notNullable().references('id').inTable('users');
    t.string('starts_at', 30).notNullable();
    t.string('ends_at', 30).notNullable();
    t.string('local_date', 10).notNullable();
    t.string('created_local_date', 10).notNullable();
    t.integer('price_minor').notNullable();
    t.integer('commission_minor').notNullable().defaultTo(0);
    t.string('status', 10).notNullable().defaultTo('booked').checkIn(['booked', 'cancelled']);
    t.string('cancelled_at', 30).nullable();
    t.integer('cancelled_by_user_id').nullable().references('id').inTable('users');
    t.string('cancel_reason', 500).nullable();
    t.string('idempotency_key', 64).notNullable().unique();
    t.string('created_at', 30).notNullable();
    t.index(['local_date']);
    t.index(['partner_id', 'local_date']);
    t.index(['institution_id', 'local_date']);
    t.index(['channel_id', 'local_date']);
    t.index(['created_local_date']);
    t.index(['patient_id']);
  });
  await db.schema.createTable('booking_slots', (t) => {
    t.integer('booking_id').notNullable().references('id').inTable('bookings');
    t.integer('slot_id').notNullable().references('id').inTable('slots');
    t.primary(['booking_id', 'slot_id']);
    t.index(['slot_id']);
  });
  await db.schema.createTable('slot_occupancies', (t) => {
    t.integer('slot_id').primary().references('id').inTable('slots');
    t.integer('booking_id').notNullable().references('id').inTable('bookings');
    t.index(['booking_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('slot_occupancies');
  await db.schema.dropTable('booking_slots');
  await db.schema.dropTable('bookings');
}
