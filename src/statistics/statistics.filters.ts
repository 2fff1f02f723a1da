/**
 * The statistics filter: parsed from a plain GET query (bookmarkable), defaulted, and checked
 * against what the user may see. Anything malformed or unknown is a 400 with per-field messages.
 */
import { z } from 'zod';
import { DateTime } from 'luxon';
import { BadRequest } from '../lib/errors';
import { isPartnerUser, type CurrentUser } from '../lib/permissions';
import { calendarDay, todayIn } from '../lib/time';
import { fieldErrors, fieldText, firstOf, isTicked, isoDate, optionalId } from '../lib/validate';
import { groupings, type FilterOptions, type StatisticsFilters } from './statistics.types';

export { groupings, groupingLabels, dateBases } from './statistics.types';
export type { Grouping, DateBasis, StatisticsFilters } from './statistics.types';

export const messages = {
  invalid: 'Please check the statistics filters.',
  date: 'Enter a date as YYYY-MM-DD.',
  toBeforeFrom: 'The end of the period is before its start.',
  tooLong: 'The period can be at most 5 years long.',
  group: 'Choose a grouping from the list.',
  basis: 'Choose appointment date or booking date.',
  institution: 'Choose an institution from the list.',
  channel: 'Choose a channel from the list.',
  partner: 'Choose a partner from the list.',
  service: 'Choose a service from the list.',
  doctor: 'Choose a doctor from the list.',
};

export const maxPeriodYears = 5;

/** Field names as the form labels them, for messages listed away from their field. */
export const fieldLabels: Record<string, string> = {
  from: 'From',
  to: 'To',
  basis: 'Period applies to',
  group: 'Group by',
  institution: 'Institution',
  channel: 'Channel',
  partner: 'Partner',
  service: 'Service',
  doctor: 'Doctor',
  partner_only: 'Partner bookings only',
};

/** What the form shows back: the submitted text, even when it did not parse. */
export type FilterForm = Record<
  'from' | 'to' | 'basis' | 'group' | 'institution' | 'channel' | 'partner' | 'service' | 'doctor',
  string
> & { partner_only: boolean };

const dateField = isoDate(messages.date, { optional: true });

const querySchema = z.object({
  from: dateField,
  to: dateField,
  basis: z.preprocess(
    (v) => firstOf(v) || undefined,
    z.enum(['appointment', 'booking'], { message: messages.basis }).default('appointment'),
  ),
  group: z.preprocess(
    (v) => firstOf(v) || undefined,
    z.enum(groupings, { message: messages.group }).default('day'),
  ),
  institution: optionalId,
  channel: optionalId,
  partner: optionalId,
  service: optionalId,
  doctor: optionalId,
  partner_only: z.unknown().optional(),
});

const str = (v: unknown): string => fieldText(v, 100);

export function formFromQuery(query: Record<string, unknown>): FilterForm {
  return {
    from: str(query.from),
    to: str(query.to),
    basis: str(query.basis) || 'appointment',
    group: str(query.group) || 'day',
    institution: str(query.institution),
    channel: str(query.channel),
    partner: str(query.partner),
    service: str(query.service),
    doctor: str(query.doctor),
    partner_only: isTicked(query.partner_only),
  };
}

export function formFromFilters(f: StatisticsFilters): FilterForm {
  const id = (v: number | null) => (v === null ? '' : String(v));
  return {
    from: f.from,
    to: f.to,
    basis: f.basis,
    group: f.group,
    institution: id(f.institutionId),
    channel: id(f.channelId),
    partner: id(f.partnerId),
    service: id(f.serviceId),
    doctor: id(f.doctorId),
    partner_only: f.partnerOnly,
  };
}

/** The query string of a filter, for the CSV link and bookmarks. */
export function filterQueryString(f: StatisticsFilters): string {
  const params = new URLSearchParams({ from: f.from, to: f.to, basis: f.basis, group: f.group });
  for (const [key, value] of [
    ['institution', f.institutionId],
    ['channel', f.channelId],
    ['partner', f.partnerId],
    ['service', f.serviceId],
    ['doctor', f.doctorId],
  ] as const) {
    if (value !== null) params.set(key, String(value));
  }
  if (f.partnerOnly) params.set('partner_only', '1');
  return params.toString();
}

/**
 * Parses and checks the filter. Partner users get their own partner forced in (and any partner
 * in the URL ignored); ids must come from the lists the user was offered, so an id of
 * something out of scope reads exactly like an unknown one.
 */
export function resolveFilters(
  query: Record<string, unknown>,
  user: CurrentUser,
  options: FilterOptions,
  zone: string,
  now: DateTime,
): StatisticsFilters {
  const parsed = querySchema.safeParse(query ?? {});
  if (!parsed.success) throw new BadRequest(messages.invalid, fieldErrors(parsed.error));
  const q = parsed.data;

  let from = q.from;
  let to = q.to;
  if (!from && !to) {
    const today = DateTime.fromISO(todayIn(zone, now));
    from = today.startOf('month').toISODate()!;
    to = today.endOf('month').toISODate()!;
  } else if (!from) {
    from = DateTime.fromISO(to).startOf('month').toISODate()!;
  } else if (!to) {
    to = DateTime.fromISO(from).endOf('month').toISODate()!;
  }

  const errors: Record<string, string> = {};
  // Compared as DateTimes, not text (luxon writes years past 9999 as "+010000-...").
  if (calendarDay(to) < calendarDay(from)) errors.to = messages.toBeforeFrom;
  else if (calendarDay(to) >= calendarDay(from).plus({ years: maxPeriodYears })) errors.to = messages.tooLong;

  const known = (list: readonly { id: number }[], id: number | undefined, field: keyof typeof messages) => {
    if (id === undefined) return null;
    if (!list.some((o) => o.id === id)) errors[field] = messages[field];
    return id;
  };
  const partnerUser = isPartnerUser(user);
  const filters: StatisticsFilters = {
    from,
    to,
    basis: q.basis,
    group: q.group,
    institutionId: known(options.institutions, q.institution, 'institution'),
    channelId: known(options.channels, q.channel, 'channel'),
    // A partner user's figures are always their own partner's, whatever the URL says.
    partnerId: partnerUser ? user.partnerId : known(options.partners, q.partner, 'partner'),
    serviceId: known(options.services, q.service, 'service'),
    doctorId: known(options.doctors, q.doctor, 'doctor'),
    partnerOnly: partnerUser || isTicked(q.partner_only),
  };
  if (Object.keys(errors).length) throw new BadRequest(messages.invalid, errors);
  return filters;
}
