import type { Knex } from 'knex';

/**
 * Login throttle counters, in the database so every process shares them and a restart keeps
 * them. One row per (scope, user name, address); '' where a scope has no user name or address.
 * Times are epoch milliseconds from the app clock.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('login_throttle', (t) => {
    t.string('scope', 16).notNullable();
    t.string('username', 64).notNullable();
    t.string('address', 64).notNullable();
    /** Failures plus attempts still being verified, in the current window. */
    t.integer('points').notNullable();
    /** Attempts that took a point and are still being verified. */
    t.integer('inflight').notNullable();
    t.bigInteger('window_ends').notNullable();
    /** Blocked (or, per account, the next attempt delayed) until then; 0 when not. */
    t.bigInteger('blocked_until').notNullable();
    /** A random token of the attempt that last took a point (tells a taker from a refused one). */
    t.string('taken_by', 32).nullable();
    t.primary(['scope', 'username', 'address']);
    t.index(['window_ends']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('login_throttle');
}
