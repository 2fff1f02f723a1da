import type { Knex } from 'knex';

/**
 * Issue 16: a booking's moves. The booking row always holds where it is now; each move keeps
 * where it was (old and new start, end, doctor and slots), who moved it and when. The move's
 * idempotency key (the hold token of the Move form) is unique, so a repeated Move the booking
 * finds the move already made instead of moving twice.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('booking_moves', (t) => {
    t.increments('id');
    t.integer('booking_id').notNullable().references('id').inTable('bookings');
    t.string('old_starts_at', 30).notNullable();
    t.string('old_ends_at', 30).notNullable();
    t.string('new_starts_at', 30).notNullable();
    t.string('new_ends_at', 30).notNullable();
    t.integer('old_doctor_id').notNullable().references('id').inTable('doctors');
    t.integer('new_doctor_id').notNullable().references('id').inTable('doctors');
    /** The slot ids, comma-separated in time order ("12,13"). */
    t.string('old_slot_ids', 500).notNullable();
    t.string('new_slot_ids', 500).notNullable();
    t.integer('moved_by_user_id').notNullable().references('id').inTable('users');
    t.string('moved_at', 30).notNullable();
    t.string('idempotency_key', 64).notNullable().unique();
    t.index(['booking_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('booking_moves');
}
