/**
 * Small named fixtures for tests that do not want the whole demo clinic.
 * Each returns the new row's id.
 */
import type { Knex } from 'knex';
import { systemClock } from '../src/lib/clock';
import { hashPassword } from '../src/lib/passwords';
import type { Permission } from '../src/lib/permissions';
import { foldName } from '../src/lib/text';

const nowIso = () => systemClock.nowIso();

let hash: Promise<string> | null = null;
export const testPassword = 'demo1234';
const passwordHash = () => (hash ??= hashPassword(testPassword));

async function insertId(db: Knex, table: string, row: Record<string, unknown>): Promise<number> {
  const [r] = await db(table).insert(row).returning('id');
  return typeof r === 'object' ? (r as { id: number }).id : (r as number);
}

export const fixtures = {
  institution: (db: Knex, name = 'Test Clinic', time_zone = 'Europe/Budapest') =>
    insertId(db, 'institutions', {
      name,
      address: 'Test street 1',
      time_zone,
      active: true,
      created_at: nowIso(),
    }),

  /** A partner and its traffic channel. */
  async partner(
    db: Knex,
    name = 'Test Partner',
    opts: {
      commission_type?: 'percent' | 'fixed';
      commission_value?: number;
      can_see_patient_records?: boolean;
    } = {},
  ) {
    const partnerId = await insertId(db, 'partners', {
      name,
      tax_number: '11111111-1-11',
      commission_type: opts.commission_type ?? 'percent',
      commission_value: opts.commission_value ?? 1000,
      can_see_patient_records: opts.can_see_patient_records ?? false,
      active: true,
      created_at: nowIso(),
    });
    const channelId = await insertId(db, 'traffic_channels', {
      code: `partner-${partnerId}`,
      name,
      kind: 'partner',
      partner_id: partnerId,
      active: true,
      sort_order: 100,
    });
    return { partnerId, channelId };
  },

  /** A clinic channel; the migrations already create reception, phone and online, so an existing code returns its id. */
  async clinicChannel(db: Knex, code = 'reception', name = 'Reception') {
    const existing = await db('traffic_channels').where({ code }).first('id');
    return existing
      ? (existing.id as number)
      : insertId(db, 'traffic_channels', {
          code,
          name,
          kind: 'clinic',
          partner_id: null,
          active: true,
          sort_order: 1,
        });
  },

  qualification: (db: Knex, name = 'Cardiology') => insertId(db, 'qualifications', { name, active: true }),

  service: (
    db: Knex,
    qualificationId: number,
    name = 'Consultation',
    duration_minutes = 20,
    price_minor = 1000000,
  ) =>
    insertId(db, 'services', {
      qualification_id: qualificationId,
      name,
      duration_minutes,
      price_minor,
      active: true,
    }),

  /** A doctor with one qualification, working at the institutions, offering the services there. */
  async doctor(
    db: Knex,
    name: string,
    qualificationId: number,
    institutionIds: number[],
    serviceIds: number[],
  ) {
    const doctorId = await insertId(db, 'doctors', { name, active: true });
    await db('doctor_qualifications').insert({ doctor_id: doctorId, qualification_id: qualificationId });
    for (const institution_id of institutionIds) {
      await db('doctor_institutions').insert({ doctor_id: doctorId, institution_id });
      for (const service_id of serviceIds)
        await db('doctor_services').insert({ doctor_id: doctorId, institution_id, service_id });
    }
    return doctorId;
  },

  tick: (db: Knex, institution_id: number, channel_id: number, service_id: number) =>
    db('channel_services').insert({ institution_id, channel_id, service_id }),

  async user(
    db: Knex,
    username: string,
    permissions: Permission[],
    partnerId: number | null = null,
    opts: { institutionIds?: number[]; active?: boolean; displayName?: string } = {},
  ) {
    const userId = await insertId(db, 'users', {
      username,
      display_name: opts.displayName ?? username,
      password_hash: await passwordHash(),
      partner_id: partnerId,
      active: opts.active ?? true,
      all_institutions: !opts.institutionIds,
      created_at: nowIso(),
      updated_at: nowIso(),
    });
    for (const permission of permissions)
      await db('user_permissions').insert({ user_id: userId, permission });
    for (const institution_id of opts.institutionIds ?? [])
      await db('user_institutions').insert({ user_id: userId, institution_id });
    return userId;
  },

  /**
   * A clinic's staff and two partners' desks, without the rest of the demo clinic (no doctors,
   * slots, patients or bookings): for tests of user administration and logins. The user names and
   * permissions are the demo logins' (password testPassword), two institutions, partners
   * "Alfa Health Insurance" (users alfa) and "Beta Corporate Care" (beta), each with its channel.
   */
  async staffOffice(db: Knex) {
    const north = await fixtures.institution(db, 'North Clinic');
    const south = await fixtures.institution(db, 'South Clinic', 'Europe/Vienna');
    const alfa = await fixtures.partner(db, 'Alfa Health Insurance', { can_see_patient_records: true });
    const beta = await fixtures.partner(db, 'Beta Corporate Care');
    const users = {
      admin: await fixtures.user(
        db,
        'admin',
        ['partner_booking', 'booking', 'bookings_view', 'patients', 'users_admin', 'settings', 'statistics'],
        null,
        { displayName: 'Clinic Administrator' },
      ),
      desk: await fixtures.user(
        db,
        'desk',
        ['partner_booking', 'booking', 'bookings_view', 'patients'],
        null,
        {
          displayName: 'Reception Desk',
        },
      ),
      viewer: await fixtures.user(db, 'viewer', ['bookings_view'], null, { displayName: 'Bookings Viewer' }),
      alfa: await fixtures.user(db, 'alfa', ['partner_booking', 'bookings_view'], alfa.partnerId, {
        displayName: 'Alfa Booking Desk',
      }),
      beta: await fixtures.user(db, 'beta', ['partner_booking', 'bookings_view'], beta.partnerId, {
        displayName: 'Beta Booking Desk',
      }),
    };
    return { institutions: { north, south }, partners: { alfa, beta }, users };
  },

  /**
   * One institution with one doctor on a weekly schedule (weekdays 08:00-16:00, 20-minute slots,
   * no slots generated yet) offering one service: for tests of schedule settings that need no
   * partners, patients or bookings. `tag` makes the names unique for a second one.
   */
  async scheduledDoctor(db: Knex, tag = '') {
    const institutionId = await fixtures.institution(db, `Test Clinic${tag}`);
    const qualificationId = await fixtures.qualification(db, `Cardiology${tag}`);
    const serviceId = await fixtures.service(db, qualificationId, `Consultation${tag}`);
    const doctorId = await fixtures.doctor(
      db,
      `Dr. Test${tag}`,
      qualificationId,
      [institutionId],
      [serviceId],
    );
    const scheduleId = await fixtures.schedule(db, doctorId, institutionId, { weekdays: [1, 2, 3, 4, 5] });
    return { institutionId, qualificationId, serviceId, doctorId, scheduleId };
  },

  /** A weekly schedule: the same hours on the given ISO weekdays. */
  async schedule(
    db: Knex,
    doctorId: number,
    institutionId: number,
    opts: {
      weekdays?: number[];
      start?: string;
      end?: string;
      slotMinutes?: number;
      validFrom?: string;
      validTo?: string | null;
    } = {},
  ) {
    const scheduleId = await insertId(db, 'schedules', {
      doctor_id: doctorId,
      institution_id: institutionId,
      slot_minutes: opts.slotMinutes ?? 20,
      valid_from: opts.validFrom ?? '2000-01-01',
      valid_to: opts.validTo ?? null,
      active: true,
      created_at: nowIso(),
    });
    for (const weekday of opts.weekdays ?? [1, 2, 3, 4, 5, 6, 7])
      await db('schedule_hours').insert({
        schedule_id: scheduleId,
        weekday,
        start_time: opts.start ?? '08:00',
        end_time: opts.end ?? '16:00',
      });
    return scheduleId;
  },

  /** One slot, given as UTC instants. */
  slot: (
    db: Knex,
    doctorId: number,
    institutionId: number,
    startsAt: string,
    endsAt: string,
    localDate: string,
  ) =>
    insertId(db, 'slots', {
      doctor_id: doctorId,
      institution_id: institutionId,
      starts_at: startsAt,
      ends_at: endsAt,
      local_date: localDate,
      status: 'open',
      created_at: nowIso(),
    }),

  patient: (
    db: Knex,
    family: string,
    given: string,
    opts: {
      birth_date?: string;
      id_type?: 'taj' | 'passport';
      id_number?: string;
      registeredByPartnerId?: number | null;
    } = {},
  ) =>
    insertId(db, 'patients', {
      family_name: family,
      given_name: given,
      search_name: foldName(`${family} ${given}`),
      search_name_reversed: foldName(`${given} ${family}`),
      birth_date: opts.birth_date ?? '1980-01-01',
      id_type: opts.id_type ?? 'passport',
      id_number: opts.id_number ?? `P${Math.floor(Math.random() * 1e8)}`,
      phone: '',
      email: '',
      registered_by_partner_id: opts.registeredByPartnerId ?? null,
      created_at: nowIso(),
    }),
};
