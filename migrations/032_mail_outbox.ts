import type { Knex } from 'knex';

/**
 * Issue 16: the e-mail outbox. A confirmation is written here in the booking's own transaction
 * (so it exists exactly when the booking change does) and delivered later by the worker in
 * src/mail/outbox.worker.ts. A worker claims a row by setting lease_owner / lease_until with a
 * conditional UPDATE, so two workers never hold the same row at once; a crashed worker's lease
 * runs out and another picks the row up. `facts` is the booking as it was when the change was
 * made (JSON), so a later change never rewrites an e-mail already queued.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('mail_outbox', (t) => {
    t.increments('id');
    t.integer('booking_id').notNullable().references('id').inTable('bookings');
    t.string('kind', 10).notNullable().checkIn(['booked', 'moved', 'cancelled']);
    t.string('recipient', 254).notNullable();
    // null: the clinic default at sending time.
    t.string('language', 2).nullable().checkIn(['en', 'hu', 'ro']);
    t.text('facts').notNullable();
    t.string('status', 10).notNullable().defaultTo('pending').checkIn(['pending', 'sent', 'failed']);
    t.integer('attempts').notNullable().defaultTo(0);
    t.string('next_attempt_at', 30).notNullable();
    t.string('lease_owner', 64).nullable();
    t.string('lease_until', 30).nullable();
    t.text('last_error').nullable();
    t.string('created_at', 30).notNullable();
    t.string('sent_at', 30).nullable();
    t.index(['status', 'next_attempt_at']);
    t.index(['booking_id']);
    t.index(['created_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('mail_outbox');
}
