/**
 * A small clinic for the front-desk tests (First free slots, Day list, Closures): the demo logins
 * (fixtures.staffOffice), at North Clinic (Europe/Budapest) a 20-minute consultation and a
 * 40-minute ultrasound offered by Dr. Ada Apple and Dr. Bela Birch; Reception has both ticked,
 * Alfa only the consultation, Beta both. Slots are placed one by one at local times.
 */
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { fixtures } from './fixtures';
import { insertBooking } from './booking-helpers';
import type { Clock } from '../src/lib/clock';

export const zone = 'Europe/Budapest';

export async function deskClinic(db: Knex) {
  const office = await fixtures.staffOffice(db);
  const north = office.institutions.north;
  const reception = await fixtures.clinicChannel(db);
  const cardiology = await fixtures.qualification(db, 'Cardiology');
  const consult = await fixtures.service(db, cardiology, 'Consultation', 20, 1_000_000);
  const ultrasound = await fixtures.service(db, cardiology, 'Ultrasound', 40, 3_000_000);
  const apple = await fixtures.doctor(db, 'Dr. Ada Apple', cardiology, [north], [consult, ultrasound]);
  const birch = await fixtures.doctor(db, 'Dr. Bela Birch', cardiology, [north], [consult, ultrasound]);
  const cedar = await fixtures.doctor(db, 'Dr. Cecil Cedar', cardiology, [north], [ultrasound]);
  for (const s of [consult, ultrasound]) await fixtures.tick(db, north, reception, s);
  await fixtures.tick(db, north, office.partners.alfa.channelId, consult);
  for (const s of [consult, ultrasound]) await fixtures.tick(db, north, office.partners.beta.channelId, s);
  return { ...office, north, reception, cardiology, consult, ultrasound, apple, birch, cedar };
}
export type DeskClinic = Awaited<ReturnType<typeof deskClinic>>;

/** A slot of a doctor at a local date-time ("2027-01-18T09:00") in Budapest. */
export async function slotAt(
  db: Knex,
  doctorId: number,
  institutionId: number,
  local: string,
  minutes = 20,
): Promise<number> {
  const start = DateTime.fromISO(local, { zone });
  return fixtures.slot(
    db,
    doctorId,
    institutionId,
    start.toUTC().toISO()!,
    start.plus({ minutes }).toUTC().toISO()!,
    start.toISODate()!,
  );
}

/** Books slots outside the flow (no hold), as `userId`, for `partnerId` (or the clinic). */
export async function bookSlots(
  db: Knex,
  clock: Clock,
  c: DeskClinic,
  slotIds: number[],
  opts: { patientId: number; serviceId?: number; partner?: 'alfa' | 'beta' | null; userId?: number },
): Promise<number> {
  const slots = await db('slots').whereIn('id', slotIds).orderBy('starts_at');
  const partner = opts.partner ? c.partners[opts.partner] : null;
  return insertBooking(
    db,
    {
      institutionId: slots[0].institution_id,
      doctorId: slots[0].doctor_id,
      serviceId: opts.serviceId ?? c.consult,
      patientId: opts.patientId,
      channelId: partner ? partner.channelId : c.reception,
      partnerId: partner ? partner.partnerId : null,
      createdByUserId: opts.userId ?? c.users.desk,
      slots,
      createdLocalDate: slots[0].local_date,
      priceMinor: 1_000_000,
      commissionMinor: 0,
      idempotencyKey: `desk-test-${slotIds.join('-')}`,
    },
    clock,
  );
}
