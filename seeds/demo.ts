/**
 * The demo clinic: two institutions, several qualifications, doctors and services, two partners
 * with different ticked services, schedules with free slots for the next four weeks from the
 * day it loads, some patients and bookings, and the five demo logins (password demo1234).
 */
import type { Knex } from 'knex';
import { systemClock, type Clock } from '../src/lib/clock';
import { hashPassword } from '../src/lib/passwords';
import { allPermissions, type Permission } from '../src/lib/permissions';
import { foldName } from '../src/lib/text';
import { generateSlots } from '../src/schedules/slots.service';
import { takeExclusiveLock } from '../src/lib/db';
import { makeTaj } from '../src/patients/identifiers';
import { placeHold, saveBooking } from '../src/booking/booking.service';
import { cancelBooking } from '../src/bookings/bookings.service';
import { loadCurrentUser } from '../src/users/users.queries';

export const demoLogins = { password: 'demo1234', users: ['admin', 'desk', 'viewer', 'alfa', 'beta'] };

const DEMO_MARKER = 'demo_seeded_at';

let demoHash: Promise<string> | null = null;
/** Hashing is deliberately slow; the demo users share one hash of the same password. */
function demoPasswordHash(): Promise<string> {
  demoHash ??= hashPassword(demoLogins.password);
  return demoHash;
}

export async function seedDemoIfEmpty(db: Knex, clock: Clock = systemClock): Promise<boolean> {
  const [marker, users] = await Promise.all([
    db('app_meta').where({ key: DEMO_MARKER }).first(),
    db('users').count({ n: '*' }).first(),
  ]);
  if (marker || Number(users?.n ?? 0) > 0) return false;
  return seedDemo(db, clock, { onlyIfEmpty: true });
}

/** Loads the demo clinic; "today" (the first day with slots) is the clock's date in Budapest. */
export async function seedDemo(
  db: Knex,
  clock: Clock = systemClock,
  options: { onlyIfEmpty?: boolean } = {},
): Promise<boolean> {
  const today = clock.now().setZone('Europe/Budapest');
  const now = clock.nowIso();
  const passwordHash = await demoPasswordHash();
  const from = today.toISODate()!;
  const to = today.plus({ days: 28 }).toISODate()!;

  return db.transaction(async (trx) => {
    if (options.onlyIfEmpty) {
      // Instances starting at once on an empty database: the first seeds, the others find it done.
      await takeExclusiveLock(trx, 'demo seed');
      const [seeded, anyUser] = await Promise.all([
        trx('app_meta').where({ key: DEMO_MARKER }).first(),
        trx('users').first('id'),
      ]);
      if (seeded || anyUser) return false;
    }
    const id = async (table: string, row: Record<string, unknown>) => {
      const [r] = await trx(table).insert(row).returning('id');
      return typeof r === 'object' ? (r as { id: number }).id : (r as number);
    };

    const buda = await id('institutions', {
      name: 'Buda Health Centre',
      address: '1027 Budapest, Frankel Leó út 12.',
      time_zone: 'Europe/Budapest',
      active: true,
      created_at: now,
    });
    const vienna = await id('institutions', {
      name: 'Vienna Day Clinic',
      address: 'Praterstraße 40, 1020 Wien',
      time_zone: 'Europe/Vienna',
      active: true,
      created_at: now,
    });

    const alfa = await id('partners', {
      name: 'Alfa Health Insurance',
      tax_number: '12345678-2-42',
      registration_number: '01-10-041234',
      contact_name: 'Erika Fekete',
      contact_email: 'booking@alfa.example',
      contact_phone: '+36 1 555 0101',
      commission_type: 'percent',
      commission_value: 1000,
      can_see_patient_records: true,
      active: true,
      created_at: now,
    });
    const beta = await id('partners', {
      name: 'Beta Corporate Care',
      tax_number: '23456789-2-13',
      registration_number: '13-09-112233',
      contact_name: 'Márton Bíró',
      contact_email: 'desk@beta.example',
      contact_phone: '+36 1 555 0202',
      commission_type: 'fixed',
      commission_value: 150000,
      can_see_patient_records: false,
      active: true,
      created_at: now,
    });

    const reception = (await trx('traffic_channels').where({ code: 'reception' }).first('id')).id as number;
    const phone = (await trx('traffic_channels').where({ code: 'phone' }).first('id')).id as number;
    const online = (await trx('traffic_channels').where({ code: 'online' }).first('id')).id as number;
    const alfaChannel = await id('traffic_channels', {
      code: `partner-${alfa}`,
      name: 'Alfa Health Insurance',
      kind: 'partner',
      partner_id: alfa,
      active: true,
      sort_order: 100,
    });
    const betaChannel = await id('traffic_channels', {
      code: `partner-${beta}`,
      name: 'Beta Corporate Care',
      kind: 'partner',
      partner_id: beta,
      active: true,
      sort_order: 100,
    });

    const cardiology = await id('qualifications', { name: 'Cardiology', active: true });
    const dermatology = await id('qualifications', { name: 'Dermatology', active: true });
    const internal = await id('qualifications', { name: 'Internal medicine', active: true });
    const ophthalmology = await id('qualifications', { name: 'Ophthalmology', active: true });

    const svc = (qualification_id: number, name: string, duration_minutes: number, price: number) =>
      id('services', { qualification_id, name, duration_minutes, price_minor: price * 100, active: true });
    const cardioConsult = await svc(cardiology, 'Cardiology consultation', 20, 25000);
    const cardiacUltrasound = await svc(cardiology, 'Cardiac ultrasound', 40, 38000);
    const ecg = await svc(cardiology, 'ECG', 20, 9000);
    const dermConsult = await svc(dermatology, 'Dermatology consultation', 20, 22000);
    const moleScreening = await svc(dermatology, 'Mole screening', 40, 30000);
    const internalConsult = await svc(internal, 'Internal medicine consultation', 20, 20000);
    const eyeExam = await svc(ophthalmology, 'Eye examination', 20, 18000);
    const servicesOf: Record<number, number[]> = {
      [cardiology]: [cardioConsult, cardiacUltrasound, ecg],
      [dermatology]: [dermConsult, moleScreening],
      [internal]: [internalConsult],
      [ophthalmology]: [eyeExam],
    };

    const doctor = async (name: string, qualification: number, institutions: number[]) => {
      const doctorId = await id('doctors', { name, active: true });
      await trx('doctor_qualifications').insert({ doctor_id: doctorId, qualification_id: qualification });
      for (const institution of institutions) {
        await trx('doctor_institutions').insert({ doctor_id: doctorId, institution_id: institution });
        for (const service of servicesOf[qualification])
          await trx('doctor_services').insert({
            doctor_id: doctorId,
            institution_id: institution,
            service_id: service,
          });
      }
      return doctorId;
    };
    const kovacs = await doctor('Dr. Anna Kovács', cardiology, [buda, vienna]);
    const nagy = await doctor('Dr. Péter Nagy', cardiology, [buda]);
    const szabo = await doctor('Dr. Eszter Szabó', dermatology, [buda]);
    const huber = await doctor('Dr. Lukas Huber', internal, [vienna]);
    const toth = await doctor('Dr. Gábor Tóth', ophthalmology, [buda]);

    const schedule = async (
      doctorId: number,
      institutionId: number,
      days: number[],
      start: string,
      end: string,
      breakAt?: [string, string],
    ) => {
      const scheduleId = await id('schedules', {
        doctor_id: doctorId,
        institution_id: institutionId,
        slot_minutes: 20,
        valid_from: from,
        valid_to: null,
        active: true,
        created_at: now,
      });
      for (const weekday of days) {
        await trx('schedule_hours').insert({
          schedule_id: scheduleId,
          weekday,
          start_time: start,
          end_time: end,
        });
        if (breakAt)
          await trx('schedule_breaks').insert({
            schedule_id: scheduleId,
            weekday,
            start_time: breakAt[0],
            end_time: breakAt[1],
          });
      }
    };
    await schedule(kovacs, buda, [1, 3, 5], '08:00', '16:00', ['12:00', '12:40']);
    await schedule(kovacs, vienna, [2, 4], '09:00', '15:00');
    await schedule(nagy, buda, [1, 2, 3, 4, 5], '08:00', '14:00');
    await schedule(szabo, buda, [2, 4], '10:00', '18:00', ['13:00', '13:40']);
    await schedule(huber, vienna, [1, 2, 3, 4, 5], '08:00', '16:00', ['12:00', '12:40']);
    await schedule(toth, buda, [1, 3], '13:00', '19:00');

    // The traffic channel settings matrix: clinic channels broadly, partners selectively.
    const tick = async (institution: number, channel: number, services: number[]) => {
      for (const service of services)
        await trx('channel_services').insert({
          institution_id: institution,
          channel_id: channel,
          service_id: service,
        });
    };
    const budaServices = [cardioConsult, cardiacUltrasound, ecg, dermConsult, moleScreening, eyeExam];
    const viennaServices = [cardioConsult, cardiacUltrasound, ecg, internalConsult];
    await tick(buda, reception, budaServices);
    await tick(buda, phone, budaServices);
    await tick(buda, online, [cardioConsult, dermConsult, eyeExam]);
    await tick(vienna, reception, viennaServices);
    await tick(vienna, phone, viennaServices);
    await tick(buda, alfaChannel, [cardioConsult, cardiacUltrasound, dermConsult, eyeExam]);
    await tick(vienna, alfaChannel, [cardioConsult, internalConsult]);
    await tick(buda, betaChannel, [ecg, moleScreening]);
    await tick(vienna, betaChannel, [internalConsult]);

    const user = async (
      username: string,
      display_name: string,
      permissions: readonly Permission[],
      partner_id: number | null,
    ) => {
      const userId = await id('users', {
        username,
        display_name,
        password_hash: passwordHash,
        partner_id,
        active: true,
        all_institutions: true,
        created_at: now,
        updated_at: now,
      });
      for (const permission of permissions)
        await trx('user_permissions').insert({ user_id: userId, permission });
      return userId;
    };
    await user('admin', 'Clinic Administrator', allPermissions, null);
    const desk = await user(
      'desk',
      'Reception Desk',
      ['partner_booking', 'booking', 'bookings_view', 'patients'],
      null,
    );
    await user('viewer', 'Bookings Viewer', ['bookings_view'], null);
    const alfaUser = await user('alfa', 'Alfa Booking Desk', ['partner_booking', 'bookings_view'], alfa);
    const betaUser = await user('beta', 'Beta Booking Desk', ['partner_booking', 'bookings_view'], beta);

    const patient = async (
      family: string,
      given: string,
      birth: string,
      idType: 'taj' | 'passport',
      idNumber: string,
      registeredBy: number | null,
      createdBy: number,
    ) =>
      id('patients', {
        family_name: family,
        given_name: given,
        search_name: foldName(`${family} ${given}`),
        search_name_reversed: foldName(`${given} ${family}`),
        birth_date: birth,
        id_type: idType,
        id_number: idNumber,
        phone: '+36 30 555 ' + idNumber.slice(-4),
        email: '',
        registered_by_partner_id: registeredBy,
        created_by_user_id: createdBy,
        created_at: now,
      });
    const janos = await patient('Kovács', 'János', '1968-03-14', 'taj', makeTaj('11122233'), null, desk);
    const maria = await patient('Szabó', 'Mária', '1975-11-02', 'taj', makeTaj('22233344'), null, desk);
    await patient('Nagy', 'István', '1959-07-21', 'taj', makeTaj('33344455'), null, desk);
    await patient('Horváth', 'Éva', '1988-01-30', 'taj', makeTaj('44455566'), null, desk);
    const anna = await patient('Müller', 'Anna', '1990-05-09', 'passport', 'PA1234567', alfa, alfaUser);
    const laszlo = await patient('Varga', 'László', '1982-09-17', 'taj', makeTaj('55566677'), beta, betaUser);
    await patient('Kovacs', 'Janos', '2001-12-24', 'taj', makeTaj('66677788'), null, desk);

    await generateSlots(trx, clock, { from, to });

    // A few bookings a week or more ahead, made the way a desk makes them: a hold on the first slot
    // of the day ("Start the reservation"), then Save, by the user named as the booking's creator,
    // so each booking has its actor and its audit entry like any other.
    const book = async (
      userId: number,
      doctorId: number,
      institutionId: number,
      serviceId: number,
      patientId: number,
      channelId: number,
      partnerId: number | null,
      daysAhead: number,
    ): Promise<number | null> => {
      const user = await loadCurrentUser(trx, userId);
      const day = today.plus({ days: daysAhead }).toISODate()!;
      const first = await trx('slots')
        .select('id')
        .where({ doctor_id: doctorId, institution_id: institutionId, local_date: day })
        .orderBy('starts_at')
        .first();
      if (!user || !first) return null;
      const sessionId = `demo-seed-${userId}`;
      // Built as variables (not literals) so the requests also carry the clock where the services take one.
      const holdRequest = {
        user,
        sessionId,
        channelId,
        partnerId,
        institutionId,
        serviceId,
        doctorId,
        slotId: first.id as number,
        holdMinutes: 10,
        clock,
      };
      const { token } = await placeHold(trx, holdRequest);
      const saveRequest = { user, sessionId, token, patientId, clock };
      return (await saveBooking(trx, saveRequest)).bookingId;
    };
    // Days ahead chosen so each doctor works that weekday whatever day the seed runs.
    const nextWeekday = (weekday: number, minDays: number) => {
      for (let d = minDays; d < minDays + 7; d++) if (today.plus({ days: d }).weekday === weekday) return d;
      return minDays;
    };
    await book(desk, nagy, buda, cardioConsult, janos, reception, null, nextWeekday(2, 7));
    await book(desk, kovacs, buda, cardiacUltrasound, maria, alfaChannel, alfa, nextWeekday(1, 7));
    await book(alfaUser, kovacs, vienna, cardioConsult, anna, alfaChannel, alfa, nextWeekday(2, 8));
    await book(betaUser, nagy, buda, ecg, laszlo, betaChannel, beta, nextWeekday(3, 7));
    const cancelled = await book(
      betaUser,
      szabo,
      buda,
      moleScreening,
      laszlo,
      betaChannel,
      beta,
      nextWeekday(4, 7),
    );
    const betaDesk = await loadCurrentUser(trx, betaUser);
    if (cancelled && betaDesk)
      await cancelBooking(trx, betaDesk, cancelled, 'Patient asked to cancel', clock);

    await trx('app_meta').insert({ key: DEMO_MARKER, value: now });
    return true;
  });
}
