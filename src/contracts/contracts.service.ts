/**
 * Partner contracts at booking time (issue 17): a Traffic channels cell's validity dates, the
 * allotments a partner booking counts against, and reserved blocks. Start the reservation calls
 * `checkContracts`, Save calls `enforceContracts` inside its own transaction (so a stale form
 * cannot book past a cap, outside validity or into a block), cancel and move call
 * `releaseAllotments` / `takeAllotments`, and the calendar calls `contractCalendar`.
 *
 * Allotments are counters, not counts: each (allotment, period) has one allotment_usage row whose
 * CHECK (used <= cap) the database enforces; a Save takes one with a conditional UPDATE in its
 * transaction, so however many Saves run at once in however many processes, at most `cap` win.
 * A counter is created the first time a period is booked, from the active bookings it already
 * has (bookings made before the allotment existed count too).
 */
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import type { Clock } from '../lib/clock';
import { Conflict } from '../lib/errors';
import { localeOf, type Language, type Translate } from '../i18n';
import * as q from './contracts.queries';
import { heldAwayBy, periodKey, periodRange, releaseAt, withinValidity } from './rules';

export const messages = {
  outsideFrom: (channel: string, from: string) =>
    `This service is enabled for ${channel} here only from ${from}. Please choose a later date.`,
  outsideTo: (channel: string, to: string) =>
    `This service is enabled for ${channel} here only until ${to}. Please choose an earlier date.`,
  reserved: (partner: string, until: string) =>
    `This slot is reserved for ${partner} until ${until}. Please choose another one.`,
  reservedForOther: (until: string) =>
    `This slot is reserved for another partner until ${until}. Please choose another one.`,
  allotmentFull: (partner: string, cap: number, period: string) =>
    `The allotment of ${partner} is used up: ${cap} bookings in ${period}. Nothing was booked; please choose a slot in another period.`,
};

/** Whom and what a booking (or a hold about to become one) is for. */
export type ContractTarget = {
  partnerId: number | null;
  channelId: number;
  institutionId: number;
  serviceId: number;
  doctorId: number;
  /** The slots it occupies, first one first (local_date: the institution-local date, derived when absent). */
  slots: { starts_at: string; ends_at: string; local_date?: string }[];
  /** The institution's time zone. */
  zone: string;
  clock: Clock;
  /** A booking moving from this local date (Start the reservation on the Move calendar). */
  movingFrom?: { localDate: string };
  /** Whether a refusal may name the partner holding a reserved block (`mayNameReservingPartner`); default yes. */
  namePartner?: boolean;
};

/** What an allotment needs of a booking: whose, where, what, on which local appointment date. */
export type AllotmentTarget = {
  partnerId: number | null;
  institutionId: number;
  serviceId: number;
  localDate: string;
};

/** Validity and reserved blocks: throws a Conflict saying why when the target may not be booked now. */
async function assertOpen(trx: Knex, target: ContractTarget): Promise<void> {
  const t = withLocalDates(target);
  const cell = { institutionId: t.institutionId, channelId: t.channelId, serviceId: t.serviceId };
  const validity = await q.validityOf(trx, cell);
  const date = t.slots[0].local_date;
  if (validity && !withinValidity(validity, date)) {
    const names = await q.cellNames(trx, cell);
    const channel = names?.channel ?? '';
    throw new Conflict(
      validity.valid_from && date < validity.valid_from
        ? messages.outsideFrom(channel, validity.valid_from)
        : messages.outsideTo(channel, validity.valid_to ?? ''),
    );
  }
  const blocks = await q.blocksFor(trx, {
    institutionId: t.institutionId,
    doctorIds: [t.doctorId],
    from: date,
    to: t.slots[t.slots.length - 1].local_date,
  });
  for (const slot of t.slots) {
    const b = heldAwayBy(blocks, { ...slot, doctor_id: t.doctorId }, t.zone, t.partnerId, t.clock.nowMs());
    if (b) {
      const until = releaseAt(b, slot.starts_at, t.zone).toFormat('yyyy-MM-dd HH:mm');
      throw new Conflict(
        t.namePartner === false ? messages.reservedForOther(until) : messages.reserved(b.partner, until),
      );
    }
  }
}

function withLocalDates(t: ContractTarget) {
  const slots = t.slots.map((s) => ({
    ...s,
    local_date: s.local_date ?? DateTime.fromISO(s.starts_at, { zone: 'utc' }).setZone(t.zone).toISODate()!,
  }));
  return { ...t, slots };
}

/** Start the reservation: the same checks as Save, and whether the allotment still has room (nothing taken yet). */
export async function checkContracts(trx: Knex, target: ContractTarget): Promise<void> {
  const t = withLocalDates(target);
  await assertOpen(trx, t);
  const booking = {
    partnerId: t.partnerId,
    institutionId: t.institutionId,
    serviceId: t.serviceId,
    localDate: t.slots[0].local_date,
  };
  for (const a of await allotmentsOf(trx, booking)) {
    // A booking moving within one period already counts there: it needs no more room.
    const from = target.movingFrom?.localDate;
    if (from && periodKey(a.period, from) === periodKey(a.period, booking.localDate)) continue;
    const { used, cap } = await usageOf(trx, a, booking.localDate);
    if (used >= cap) throw await fullConflict(trx, a, periodKey(a.period, booking.localDate));
  }
}

/** Save, inside its transaction: validity, reserved blocks, then one taken from every allotment. */
export async function enforceContracts(trx: Knex, target: ContractTarget): Promise<void> {
  const t = withLocalDates(target);
  await assertOpen(trx, t);
  await takeAllotments(trx, {
    partnerId: t.partnerId,
    institutionId: t.institutionId,
    serviceId: t.serviceId,
    localDate: t.slots[0].local_date,
  });
}

async function allotmentsOf(trx: Knex, t: AllotmentTarget): Promise<q.AllotmentRow[]> {
  if (t.partnerId === null) return [];
  return q.matchingAllotments(trx, {
    partnerId: t.partnerId,
    institutionId: t.institutionId,
    serviceId: t.serviceId,
  });
}

/** The use of the period holding `date`: its counter, or (no counter yet) its active bookings. */
async function usageOf(db: Knex, a: q.AllotmentRow, date: string): Promise<{ used: number; cap: number }> {
  const [row] = await q.usageRows(db, [a.id], [periodKey(a.period, date)]);
  if (row) return { used: Number(row.used), cap: Math.min(Number(row.cap), a.cap) };
  const range = periodRange(a.period, date);
  return { used: await q.countCountedBookings(db, a, range.from, range.to), cap: a.cap };
}

async function fullConflict(db: Knex, a: q.AllotmentRow, key: string): Promise<Conflict> {
  return new Conflict(messages.allotmentFull((await q.partnerName(db, a.partner_id)) ?? '', a.cap, key));
}

/**
 * Takes one booking from every allotment this booking counts against, inside the caller's
 * transaction; throws a Conflict (409) when one is used up. For Move: call it for the new date
 * before the booking row carries that date (a period's first counter is built from the bookings
 * already there), after `releaseAllotments` for the old one.
 */
export async function takeAllotments(trx: Knex, t: AllotmentTarget): Promise<void> {
  for (const a of await allotmentsOf(trx, t)) {
    const key = await ensureUsage(trx, a, t.localDate);
    if ((await q.takeOne(trx, a.id, key)) !== 1) throw await fullConflict(trx, a, key);
  }
}

/** The counter of the period holding `date`, made from the bookings already there when missing; its key. */
async function ensureUsage(trx: Knex, a: q.AllotmentRow, date: string): Promise<string> {
  const key = periodKey(a.period, date);
  const [existing] = await q.usageRows(trx, [a.id], [key]);
  if (!existing) {
    const range = periodRange(a.period, date);
    const used = await q.countCountedBookings(trx, a, range.from, range.to);
    await q.insertUsageIfMissing(trx, {
      allotment_id: a.id,
      period_key: key,
      used,
      cap: Math.max(a.cap, used),
    });
  }
  return key;
}

/**
 * Move, inside its transaction and before the booking row carries the new date: the new slots
 * must be open to the partner (validity, reserved blocks); the old period's counters (made first
 * when missing, so they count this booking) get it back, then the new period's take it, refused
 * (409) when full. Moving within one period therefore never needs room it already has.
 */
export async function enforceContractsOnMove(
  trx: Knex,
  target: ContractTarget,
  from: { localDate: string },
): Promise<void> {
  const t = withLocalDates(target);
  await assertOpen(trx, t);
  const old = { partnerId: t.partnerId, institutionId: t.institutionId, serviceId: t.serviceId };
  for (const a of await allotmentsOf(trx, { ...old, localDate: from.localDate }))
    await q.giveOne(trx, a.id, await ensureUsage(trx, a, from.localDate));
  await takeAllotments(trx, { ...old, localDate: t.slots[0].local_date });
}

/** Gives one back to every allotment this booking counted against (cancel, or the old date of a move). */
export async function releaseAllotments(trx: Knex, t: AllotmentTarget): Promise<void> {
  for (const a of await allotmentsOf(trx, t)) await q.giveOne(trx, a.id, periodKey(a.period, t.localDate));
}

/** The same for a booking by id, read in the caller's transaction (cancel calls this). */
export async function releaseBookingAllotments(trx: Knex, bookingId: number): Promise<void> {
  const b = await q.bookingForAllotments(trx, bookingId);
  if (!b) return;
  await releaseAllotments(trx, {
    partnerId: b.partner_id,
    institutionId: b.institution_id,
    serviceId: b.service_id,
    localDate: b.local_date,
  });
}

// ---------------------------------------------------------------- the calendar

/** What a calendar slot row gets from the contracts: a state and its text, when they take it away. */
export type ContractMarks = {
  contract?: 'reserved' | 'unavailable' | null;
  contract_note?: string;
  /** A reserved slot's release (epoch ms): then it is the channel's again, by time alone. */
  contract_release_ms?: number;
};

type CalendarRow = ContractMarks & {
  doctor_id: number;
  starts_at: string;
  ends_at: string;
  local_date: string;
};

/** Whose calendar the contracts are applied to: one channel (and its partner, if any), service and institution. */
export type ContractScope = {
  clock: Clock;
  partnerId: number | null;
  channelId: number;
  institutionId: number;
  serviceId: number;
  zone: string;
  /** Whether the calendar may name the partner holding a reserved block (`mayNameReservingPartner`); default yes. */
  namePartners?: boolean;
};

/** The words a marked slot carries (the calendar shows them; First free slots drops the slot). */
export type ContractLabels = { unavailable: string; full: string; reserved: (partner: string) => string };

/** What an allotment has used in one period of the rows marked. */
export type PeriodUse = { allotment: q.AllotmentRow; key: string; first: string; used: number; cap: number };

/**
 * The contracts' rules for one scope, applied to slot rows in place (the calendar's week, or each
 * batch First free slots reads). The cell's validity and the allotments are read once, each
 * period's use once per period, the reserved blocks once per call for the rows' dates; the rules
 * themselves are rules.ts (withinValidity, heldAwayBy, periodKey), the same ones Start the
 * reservation and Save enforce (assertOpen, takeAllotments). The clock decides releases.
 */
export function contractMarker(db: Knex, s: ContractScope) {
  const cell = { institutionId: s.institutionId, channelId: s.channelId, serviceId: s.serviceId };
  let validity: Promise<q.Validity | undefined> | undefined;
  let allotments: Promise<q.AllotmentRow[]> | undefined;
  const usage = new Map<string, Promise<{ used: number; cap: number }>>();
  const validityOnce = () => (validity ??= q.validityOf(db, cell));
  const allotmentsOnce = () => (allotments ??= allotmentsOf(db, { ...s, localDate: '' }));
  const useOf = (a: q.AllotmentRow, date: string) => {
    const id = `${a.id}:${periodKey(a.period, date)}`;
    let u = usage.get(id);
    if (!u) usage.set(id, (u = usageOf(db, a, date)));
    return u;
  };
  return {
    validity: validityOnce,
    /**
     * Marks the rows the contracts take away from this channel (outside validity, reserved for
     * another partner, allotment used up; the first reason wins); `from`/`to` are the local dates
     * the rows span. Returns each allotment's use in each period the rows (inside validity) touch.
     */
    async mark(rows: CalendarRow[], from: string, to: string, labels: ContractLabels): Promise<PeriodUse[]> {
      const markRow = (row: CalendarRow, state: 'reserved' | 'unavailable', note: string) => {
        if (row.contract) return;
        row.contract = state;
        row.contract_note = note;
      };
      const v = await validityOnce();
      for (const row of rows)
        if (!withinValidity(v, row.local_date)) markRow(row, 'unavailable', labels.unavailable);

      const blocks = await q.blocksFor(db, {
        institutionId: s.institutionId,
        doctorIds: [...new Set(rows.map((r) => r.doctor_id))],
        from,
        to,
      });
      if (blocks.length) {
        const now = s.clock.nowMs();
        for (const row of rows) {
          const b = heldAwayBy(blocks, row, s.zone, s.partnerId, now);
          if (!b) continue;
          markRow(row, 'reserved', labels.reserved(b.partner));
          row.contract_release_ms = releaseAt(b, row.starts_at, s.zone).toMillis();
        }
      }

      const uses: PeriodUse[] = [];
      for (const al of await allotmentsOnce()) {
        const dates = [
          ...new Set(rows.filter((r) => withinValidity(v, r.local_date)).map((r) => r.local_date)),
        ];
        const keys = [...new Set(dates.map((d) => periodKey(al.period, d)))].sort();
        for (const key of keys) {
          const first = dates.filter((d) => periodKey(al.period, d) === key).sort()[0];
          const { used, cap } = await useOf(al, first);
          uses.push({ allotment: al, key, first, used, cap });
          if (used >= cap)
            for (const row of rows)
              if (periodKey(al.period, row.local_date) === key) markRow(row, 'unavailable', labels.full);
        }
      }
      return uses;
    },
    /**
     * The last local date of the used-up allotment periods holding `date` (the latest one), or
     * null when none is used up: every slot up to then is not offered (First free slots skips it).
     */
    async fullThrough(date: string): Promise<string | null> {
      let last: string | null = null;
      for (const al of await allotmentsOnce()) {
        const { used, cap } = await useOf(al, date);
        if (used < cap) continue;
        const end = periodRange(al.period, date).to;
        if (last === null || end > last) last = end;
      }
      return last;
    },
  };
}

/**
 * Marks the week's slots the contracts take away from this channel (outside validity, reserved
 * for another partner, allotment used up) and returns the lines the calendar shows above the
 * week: the validity dates and what is left of each allotment, in the reader's language.
 */
export async function contractCalendar(
  db: Knex,
  a: ContractScope & {
    t: Translate;
    lang: Language;
    from: string;
    to: string;
    rows: CalendarRow[];
  },
): Promise<string[]> {
  const notes: string[] = [];
  const cell = { institutionId: a.institutionId, channelId: a.channelId, serviceId: a.serviceId };
  const marker = contractMarker(db, a);
  const validity = await marker.validity();
  if (validity && (validity.valid_from || validity.valid_to)) {
    const channel = (await q.cellNames(db, cell))?.channel ?? '';
    notes.push(
      validity.valid_from && validity.valid_to
        ? a.t('contracts.enabledBetween', { channel, from: validity.valid_from, to: validity.valid_to })
        : validity.valid_from
          ? a.t('contracts.enabledFrom', { channel, from: validity.valid_from })
          : a.t('contracts.enabledUntil', { channel, to: validity.valid_to! }),
    );
  }
  const uses = await marker.mark(a.rows, a.from, a.to, {
    unavailable: a.t('contracts.stateUnavailable'),
    full: a.t('contracts.stateFull'),
    reserved: (partner) =>
      a.namePartners === false
        ? a.t('contracts.reservedForOther')
        : a.t('contracts.reservedFor', { partner }),
  });
  for (const u of uses)
    notes.push(
      leftNote(a.t, a.lang, u.allotment.period, Math.max(0, u.cap - u.used), u.allotment.cap, u.first),
    );
  return notes;
}

/** "3 of 40 left in December" / "in the week of 18 Jan" / "on Mon 18 Jan", in the reader's language. */
function leftNote(
  t: Translate,
  lang: Language,
  period: q.Period,
  left: number,
  cap: number,
  date: string,
): string {
  const day = DateTime.fromISO(date, { zone: 'utc' }).setLocale(localeOf[lang]);
  if (period === 'month') return t('contracts.leftMonth', { left, cap, month: day.toFormat('LLLL yyyy') });
  if (period === 'week')
    return t('contracts.leftWeek', { left, cap, day: day.startOf('week').toFormat('d LLL yyyy') });
  return t('contracts.leftDay', { left, cap, day: day.toFormat('ccc d LLL') });
}
