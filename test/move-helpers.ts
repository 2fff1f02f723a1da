/** Steps for the move / attendance / cancellation-window tests: bookings made outside the flow, and the Move flow. */
import type { Knex } from 'knex';
import type { Clock } from '../src/lib/clock';
import { fixtures } from './fixtures';
import type { LoggedIn } from './helpers';
import { freeSlot, idOf, insertBooking, type DemoIds } from './booking-helpers';

let patients = 0;

/**
 * A standing Cardiology consultation at Buda on a free slot at least `daysAhead` days ahead (0: the
 * next free one from now), for a new patient, through the partner's channel (or Reception).
 */
export async function bookingFor(
  db: Knex,
  ids: DemoIds,
  clock: Clock,
  opts: { partner?: 'alfa' | 'beta' | null; username?: string; daysAhead?: number; slotId?: number } = {},
): Promise<{ bookingId: number; slotId: number; startsAt: string }> {
  const slot = opts.slotId
    ? await db('slots').where({ id: opts.slotId }).first()
    : await freeSlot(db, ids.buda, ids.cardioConsult, opts.daysAhead ?? 1, clock);
  const full = await db('slots').where({ id: slot.id }).first();
  const partner = opts.partner === undefined ? 'alfa' : opts.partner;
  const partnerId = partner === 'alfa' ? ids.alfa : partner === 'beta' ? ids.beta : null;
  const channelId =
    partner === 'alfa' ? ids.alfaChannel : partner === 'beta' ? ids.betaChannel : ids.reception;
  const userId = await idOf(db, 'users', { username: opts.username ?? partner ?? 'desk' });
  const patientId = await fixtures.patient(db, 'Mozgó', `Páciens${++patients}`, {
    registeredByPartnerId: partnerId,
  });
  const bookingId = await insertBooking(
    db,
    {
      institutionId: ids.buda,
      doctorId: full.doctor_id,
      serviceId: ids.cardioConsult,
      patientId,
      channelId,
      partnerId,
      createdByUserId: userId,
      slots: [full],
      createdLocalDate: full.local_date,
      priceMinor: 2000000,
      commissionMinor: partnerId ? 200000 : 0,
      idempotencyKey: `move-test-${slot.id}-${patients}`,
    },
    clock,
  );
  return { bookingId, slotId: slot.id, startsAt: full.starts_at };
}

/** Start the reservation on the move calendar; returns the response (303 to the reservation, or a refusal). */
export function startMove(
  u: LoggedIn,
  bookingId: number,
  slotId: number | undefined,
  extra: Record<string, string> = {},
) {
  return u.agent
    .post(`/bookings/${bookingId}/move`)
    .type('form')
    .send({ ...(slotId === undefined ? {} : { slot: slotId }), ...extra, _csrf: u.csrf });
}

export function moveTokenOf(bookingId: number, location: string | undefined): string {
  const m = new RegExp(`^/bookings/${bookingId}/move/([A-Za-z0-9_-]{43})$`).exec(location ?? '');
  if (!m) throw new Error(`not a move reservation redirect: ${location}`);
  return m[1];
}

/** Move the booking with a reservation made before. */
export function confirmMove(u: LoggedIn, bookingId: number, token: string) {
  return u.agent.post(`/bookings/${bookingId}/move/${token}`).type('form').send({ _csrf: u.csrf });
}

/** The whole move: reserve the slot, then Move the booking. */
export async function moveTo(u: LoggedIn, bookingId: number, slotId: number) {
  const reserved = await startMove(u, bookingId, slotId);
  if (reserved.status !== 303) return reserved;
  return confirmMove(u, bookingId, moveTokenOf(bookingId, reserved.headers.location));
}

/** A free slot of the service other than the ones given (and not held). */
export async function otherFreeSlot(
  db: Knex,
  ids: DemoIds,
  clock: Clock,
  daysAhead = 1,
): Promise<{ id: number; starts_at: string; doctor_id: number; local_date: string }> {
  return freeSlot(db, ids.buda, ids.cardioConsult, daysAhead, clock);
}
