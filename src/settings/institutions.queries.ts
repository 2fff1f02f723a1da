/**
 * Institution look-ups other features share. The clinic's zone rule lives here, once:
 * an institution's today is todayIn(its zone, clock.now()); where no institution is chosen,
 * the clinic's zone is the zone of the first active institution by id, or UTC when there is none.
 */
import type { Knex } from 'knex';

/** The clinic's time zone: the first active institution's (lowest id), 'UTC' when none is active. */
export async function clinicTimeZone(db: Knex): Promise<string> {
  const first = (await db('institutions')
    .select('time_zone')
    .where({ active: true })
    .orderBy('id')
    .first()) as { time_zone: string } | undefined;
  return first?.time_zone ?? 'UTC';
}
