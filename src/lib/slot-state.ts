/**
 * The one rule for a slot's state, used by the booking calendar and the schedule's day list alike.
 * Order matters: a booking wins over a block (a blocked slot can still carry the booking that was
 * on it), a block over a hold, and anything not taken, blocked or held that has started is Past.
 */
export type SingleSlotState = 'free' | 'taken' | 'held' | 'blocked' | 'past' | ContractSlotState;

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
};

export function singleState(slot: SlotFacts, nowIso: string): SingleSlotState {
  if (slot.booking_id != null) return 'taken';
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
  held: 'Held',
  blocked: 'Blocked',
  past: 'Past',
  reserved: 'Reserved',
  unavailable: 'Not offered',
};
