import type { Knex } from 'knex';

/**
 * The one rule for a live hold: it expires after `now` (UTC ISO strings of one format compare in
 * time order). Use as `.where(liveHold(now))`, or `.whereNot(liveHold(now))` for expired ones.
 */
export const liveHold = (now: string) => (q: Knex.QueryBuilder) => q.where('holds.expires_at', '>', now);

/** hold_slots rows (slot_id, hold_id) whose hold is live. */
export const liveHoldSlots = (db: Knex, now: string) =>
  db('hold_slots')
    .join('holds', 'holds.id', 'hold_slots.hold_id')
    .where(liveHold(now))
    .select('hold_slots.slot_id', 'hold_slots.hold_id', 'holds.expires_at as hold_expires_at');

/** The same rule for a hold row already loaded: live while its expiry is after `now`. */
export function isLiveHold(hold: { expires_at: string }, now: string): boolean {
  return Date.parse(hold.expires_at) > Date.parse(now);
}
