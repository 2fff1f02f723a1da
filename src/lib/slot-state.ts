/**
 * The one rule for a slot's state, used by the booking calendar and the schedule's day list alike.
 * Order matters: a booking wins over a block (a blocked slot can still carry the booking that was
 * on it), a closure of the institution over a block, a block over a hold, and anything not taken,
 * closed, blocked or held that has started is Past.
 */
export type SingleSlotState = 'free' | 'taken' | 'closed' | 'held' | 'blocked' | 'past' | ContractSlotState;

/**
 * Partner contracts (src/contracts) take a free slot away from one channel: reserved for another
 * partner's block, or not offered (outside the cell's validity, allotment used up). Set by
 * contractCalendar on the slot rows; only a slot that would otherwise be free gets it.
 */
export type ContractSlotState = 'reserved' | 'unavailable';

export type SlotFacts = {
  starts_at: string;
  status: string;
  booking_id: number | null;
  hold_id: number | null;
  contract?: ContractSlotState | null;
  /** The reason of an institution closure (src/closures) the slot overlaps; set by applyClosures. */
  closure_reason?: string | null;
};

export function singleState(slot: SlotFacts, nowIso: string): SingleSlotState {
  if (slot.booking_id != null) return 'taken';
  if (slot.closure_reason != null) return 'closed';
  if (slot.status === 'blocked') return 'blocked';
  if (slot.hold_id != null) return 'held';
  if (Date.parse(slot.starts_at) <= Date.parse(nowIso)) return 'past';
  if (slot.contract) return slot.contract;
  return 'free';
}

/** What each state says in words (colour is never the only signal). */
export const slotStateText: Record<SingleSlotState, string> = {
  free: 'Free',
  taken: 'Taken',
  closed: 'Closed',
  held: 'Held',
  blocked: 'Blocked',
  past: 'Past',
  reserved: 'Reserved',
  unavailable: 'Not offered',
};

/** An institution closure as UTC instants: a slot overlapping [starts_at, ends_at) is closed. */
export type ClosureSpan = { starts_at: string; ends_at: string; reason: string };

/** The closure a slot overlaps, if any (UTC ISO strings of one format compare in time order). */
export function closureOf(slot: { starts_at: string; ends_at: string }, closures: readonly ClosureSpan[]) {
  return closures.find((c) => c.starts_at < slot.ends_at && c.ends_at > slot.starts_at) ?? null;
}

/** Marks each slot with the reason of the closure it overlaps (closure_reason), in place. */
export function applyClosures<
  T extends { starts_at: string; ends_at: string; closure_reason?: string | null },
>(slots: T[], closures: readonly ClosureSpan[]): T[] {
  if (closures.length === 0) return slots;
  for (const s of slots) s.closure_reason = closureOf(s, closures)?.reason ?? null;
  return slots;
}
