/**
 * The statistics vocabulary shared by the filter parser (statistics.filters.ts) and the queries
 * (statistics.queries.ts), so neither imports the other.
 */

export const groupings = [
  'day',
  'week',
  'month',
  'institution',
  'channel',
  'partner',
  'service',
  'doctor',
] as const;
export type Grouping = (typeof groupings)[number];

/** Names shown in the "Group by" list and as the first column's header. */
export const groupingLabels: Record<Grouping, string> = {
  day: 'Day',
  week: 'Week',
  month: 'Month',
  institution: 'Institution',
  channel: 'Channel',
  partner: 'Partner',
  service: 'Service',
  doctor: 'Doctor',
};

/** Which date the period filters on. Both are institution-local calendar dates. */
export const dateBases = { appointment: 'Appointment date', booking: 'Booking date' } as const;
export type DateBasis = keyof typeof dateBases;

export type Option = { id: number; name: string; active: boolean };

export type FilterOptions = {
  institutions: Option[];
  channels: Option[];
  partners: Option[];
  services: Option[];
  doctors: Option[];
};

export type StatisticsFilters = {
  from: string;
  to: string;
  basis: DateBasis;
  group: Grouping;
  institutionId: number | null;
  channelId: number | null;
  partnerId: number | null;
  serviceId: number | null;
  doctorId: number | null;
  partnerOnly: boolean;
};
