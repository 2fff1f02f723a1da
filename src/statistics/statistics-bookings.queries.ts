/**
 * The bookings behind a statistics report (issue 17: reference numbers in the statistics
 * export): the same period, date basis, filters and scope as the report, one row per booking,
 * with its reference number and the partner's name for it.
 */
import type { Knex } from 'knex';
import { applyBookingScope } from '../lib/scope.queries';
import type { StatisticsFilters } from './statistics.types';
import type { StatisticsScope } from './statistics.queries';

export type ReportBookingRow = {
  id: number;
  startsAt: string;
  timeZone: string;
  localDate: string;
  createdLocalDate: string;
  institution: string;
  doctor: string;
  service: string;
  patientGiven: string;
  patientFamily: string;
  channel: string;
  partner: string | null;
  /** The partner's own label for its reference field, '' when it set none. */
  referenceLabel: string;
  reference: string | null;
  status: 'booked' | 'cancelled';
  attendance: 'arrived' | 'completed' | 'no_show' | null;
  lateCancellation: boolean;
};

/** In appointment order; at most `limit` rows. */
export async function reportBookings(
  db: Knex,
  f: StatisticsFilters,
  scope: StatisticsScope,
  limit: number,
): Promise<ReportBookingRow[]> {
  const rows = await applyBookingScope(db('bookings as b'), scope, 'b')
    .join('institutions as i', 'i.id', 'b.institution_id')
    .join('doctors as d', 'd.id', 'b.doctor_id')
    .join('services as sv', 'sv.id', 'b.service_id')
    .join('patients as p', 'p.id', 'b.patient_id')
    .join('traffic_channels as c', 'c.id', 'b.channel_id')
    .leftJoin('partners as pa', 'pa.id', 'b.partner_id')
    .whereBetween(f.basis === 'booking' ? 'b.created_local_date' : 'b.local_date', [f.from, f.to])
    .modify((q) => {
      if (f.institutionId !== null) q.where('b.institution_id', f.institutionId);
      if (f.channelId !== null) q.where('b.channel_id', f.channelId);
      if (f.partnerId !== null) q.where('b.partner_id', f.partnerId);
      if (f.serviceId !== null) q.where('b.service_id', f.serviceId);
      if (f.doctorId !== null) q.where('b.doctor_id', f.doctorId);
      if (f.partnerOnly) q.whereNotNull('b.partner_id');
    })
    .select(
      'b.id',
      'b.starts_at',
      'b.local_date',
      'b.created_local_date',
      'b.status',
      'b.attendance',
      'b.late_cancellation',
      'b.reference',
      'i.name as institution_name',
      'i.time_zone',
      'd.name as doctor_name',
      'sv.name as service_name',
      'p.given_name',
      'p.family_name',
      'c.name as channel_name',
      'pa.name as partner_name',
      'pa.reference_label',
    )
    .orderBy([{ column: 'b.starts_at' }, { column: 'b.id' }])
    .limit(limit);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw Knex row
  return rows.map((r: Record<string, any>) => ({
    id: Number(r.id),
    startsAt: String(r.starts_at),
    timeZone: r.time_zone,
    localDate: r.local_date,
    createdLocalDate: r.created_local_date,
    institution: r.institution_name,
    doctor: r.doctor_name,
    service: r.service_name,
    patientGiven: r.given_name,
    patientFamily: r.family_name,
    channel: r.channel_name,
    partner: r.partner_name ?? null,
    referenceLabel: r.reference_label ?? '',
    reference: r.reference ?? null,
    status: r.status,
    attendance: r.attendance ?? null,
    lateCancellation: Boolean(r.late_cancellation),
  }));
}
