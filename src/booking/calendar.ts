/**
 * Pure calendar rules: which slot runs can start a service, and the week view model.
 * No database here, so the rules get fast unit tests and the hold service reuses them.
 */
import { DateTime } from 'luxon';
import { localeOf, type Language } from '../i18n';
import { addDays, formatLocalTime } from '../lib/time';
import { singleState, slotStateText, type ContractSlotState } from '../lib/slot-state';

export type SlotState =
  'free' | 'short' | 'taken' | 'closed' | 'held' | 'blocked' | 'past' | ContractSlotState;

/** One slot row as the calendar query returns it (occupancy and live hold already joined). */
export type SlotRow = {
  id: number;
  doctor_id: number;
  starts_at: string;
  ends_at: string;
  local_date: string;
  status: string;
  booking_id: number | null;
  hold_id: number | null;
  /** When the live hold ends (the slot is then free again without any write). */
  hold_expires_at?: string | null;
  /** Set by the partner contracts (src/contracts): a state and the words for it. */
  contract?: ContractSlotState | null;
  contract_note?: string;
  /** When a reserved block releases the slot (epoch ms): its contract state then changes by time alone. */
  contract_release_ms?: number;
  /** The reason of the institution closure the slot overlaps (lib/slot-state applyClosures). */
  closure_reason?: string | null;
};

/** `note`: a closed slot's reason ("Christmas Day"), or the contract's words ("Reserved for ..."). */
export type SlotCell = { id: number; time: string; state: SlotState; note?: string };
export type DoctorWeek = {
  doctorId: number;
  doctorName: string;
  days: { date: string; cells: SlotCell[] }[];
  freeCount: number;
};
export type WeekDay = { date: string; label: string };

export const stateLabels: Record<Exclude<SlotState, 'free'>, string> = {
  short: 'Too short', // booking.stateShort; the view translates the labels with tr()
  taken: slotStateText.taken,
  closed: slotStateText.closed,
  held: slotStateText.held,
  blocked: slotStateText.blocked,
  past: slotStateText.past,
  reserved: slotStateText.reserved,
  unavailable: slotStateText.unavailable,
};

/** The state of a single slot, ignoring the service length: the one rule in lib/slot-state. */
export { singleState };

/**
 * The slots (indexes into one doctor's slots sorted by start) a service of this length would
 * occupy when it starts at `start`: consecutive slots, each ending exactly when the next starts,
 * until the run covers the duration. null when the run breaks off or the day ends first.
 */
export function runFrom<T extends { starts_at: string; ends_at: string }>(
  slots: T[],
  start: number,
  durationMinutes: number,
): number[] | null {
  const begin = Date.parse(slots[start].starts_at);
  const run: number[] = [];
  for (let i = start; i < slots.length; i++) {
    if (i > start && Date.parse(slots[i - 1].ends_at) !== Date.parse(slots[i].starts_at)) return null;
    run.push(i);
    if (Date.parse(slots[i].ends_at) - begin >= durationMinutes * 60_000) return run;
  }
  return null;
}

/** Days of the week starting at `monday`, labelled in the reader's language ("Mon 30 Mar"). */
export function weekDays(monday: string, lang: Language = 'en'): readonly WeekDay[] {
  // Kept: every calendar request labels its week (luxon is ~0.5 ms of a cached calendar request).
  const key = `${lang} ${monday}`;
  const kept = labelledWeeks.get(key);
  if (kept) return kept;
  const { locale, format } = dayLabelFormat[lang];
  const days = Object.freeze(
    Array.from({ length: 7 }, (_, i) => {
      const date = addDays(monday, i);
      const day = DateTime.fromISO(date);
      return Object.freeze({ date, label: (locale ? day.setLocale(locale) : day).toFormat(format) });
    }),
  );
  if (labelledWeeks.size >= 1000) labelledWeeks.clear();
  labelledWeeks.set(key, days);
  return days;
}
const labelledWeeks = new Map<string, readonly WeekDay[]>();

/** "Mon 30 Mar", "márc. 30., H", "lun. 30 mar." (English as it always was: luxon's default locale). */
const dayLabelFormat: Record<Language, { locale: string | null; format: string }> = {
  en: { locale: null, format: 'ccc d LLL' },
  hu: { locale: localeOf.hu, format: 'LLL d., ccc' },
  ro: { locale: localeOf.ro, format: 'ccc d LLL' },
};

/**
 * Builds the week view per doctor. A free slot is offered (state 'free') only if a run of free
 * slots long enough for the service starts there; otherwise it is 'short'.
 */
export function buildWeek(
  rows: SlotRow[],
  opts: {
    monday: string;
    zone: string;
    durationMinutes: number;
    nowIso: string;
    doctors: { id: number; name: string }[];
  },
): DoctorWeek[] {
  const days = weekDays(opts.monday).map((d) => d.date);
  const byDoctor = new Map<number, SlotRow[]>();
  for (const row of rows) {
    const list = byDoctor.get(row.doctor_id) ?? [];
    list.push(row);
    byDoctor.set(row.doctor_id, list);
  }
  const out: DoctorWeek[] = [];
  for (const doctor of opts.doctors) {
    const slots = (byDoctor.get(doctor.id) ?? [])
      .slice()
      .sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at));
    if (slots.length === 0) continue;
    const states = slots.map((s) => singleState(s, opts.nowIso));
    const week: DoctorWeek = {
      doctorId: doctor.id,
      doctorName: doctor.name,
      days: days.map((date) => ({ date, cells: [] })),
      freeCount: 0,
    };
    slots.forEach((slot, i) => {
      let state: SlotState = states[i];
      if (state === 'free') {
        const run = runFrom(slots, i, opts.durationMinutes);
        if (!run || run.some((j) => states[j] !== 'free')) state = 'short';
      }
      if (state === 'free') week.freeCount++;
      const day = week.days.find((d) => d.date === slot.local_date);
      const cell: SlotCell = { id: slot.id, time: formatLocalTime(slot.starts_at, opts.zone), state };
      if (state === 'closed' && slot.closure_reason) cell.note = slot.closure_reason;
      if ((state === 'reserved' || state === 'unavailable') && slot.contract_note)
        cell.note = slot.contract_note;
      day?.cells.push(cell);
    });
    out.push(week);
  }
  return out;
}
