/**
 * Migrations are listed here, in order, instead of being discovered on disk, so the same
 * list works under ts-jest, tsx and the compiled build.
 */
import type { Knex } from 'knex';
import * as m001 from './001_app_meta';
import * as m002 from './002_institutions';
import * as m003 from './003_partners_and_channels';
import * as m004 from './004_catalogue';
import * as m005 from './005_channel_services';
import * as m006 from './006_users';
import * as m007 from './007_sessions';
import * as m008 from './008_schedules';
import * as m009 from './009_slots_and_holds';
import * as m010 from './010_patients';
import * as m011 from './011_bookings';
import * as m012 from './012_audit_log';
import * as m013 from './013_statistics_indexes';
import * as m014 from './014_clinic_channels';
import * as m015 from './015_auth_login_throttle';
import * as m016 from './016_auth_audit_append_only';
import * as m017PerfIndexes from './017_perf_indexes';
import * as m018CalendarSlotsIndex from './018_calendar_slots_index';
import * as m020UserLanguage from './020_user_language';
import * as m021PatientAddress from './021_patient_address';
import * as m022PatientNoIdentifier from './022_patient_no_identifier';
import * as m023PatientCnp from './023_patient_cnp';
import * as m024PgSlotExclusion from './024_pg_slot_exclusion_and_search';
import * as m037PartnerReferences from './037_partner_references';
import * as m038AuditLogViewerIndexes from './038_audit_log_viewer_indexes';
import * as m040BookingDayStats from './040_booking_day_stats';
import * as m041CalendarVersions from './041_calendar_versions';
import * as m031PatientLanguage from './031_patient_language';
import * as m032MailOutbox from './032_mail_outbox';
import * as m025BookingMoves from './025_booking_moves';
import * as m026BookingAttendance from './026_booking_attendance';
import * as m027PartnerCancellationWindow from './027_partner_cancellation_window';
import * as m034ChannelValidity from './034_channel_validity';
import * as m035Allotments from './035_allotments';
import * as m036ReservedBlocks from './036_reserved_blocks';
import * as m028Closures from './028_closures';
import * as m029FirstFreeSlotsIndex from './029_first_free_slots_index';

type Migration = {
  up: (db: Knex) => Promise<void>;
  down: (db: Knex) => Promise<void>;
  /** transaction: false for a migration that must switch SQLite's foreign keys off (sqlite-rebuild.ts). */
  config?: { transaction: boolean };
};

const migrations: Record<string, Migration> = {
  '001_app_meta': m001,
  '002_institutions': m002,
  '003_partners_and_channels': m003,
  '004_catalogue': m004,
  '005_channel_services': m005,
  '006_users': m006,
  '007_sessions': m007,
  '008_schedules': m008,
  '009_slots_and_holds': m009,
  '010_patients': m010,
  '011_bookings': m011,
  '012_audit_log': m012,
  '013_statistics_indexes': m013,
  '014_clinic_channels': m014,
  '015_auth_login_throttle': m015,
  '016_auth_audit_append_only': m016,
  '017_perf_indexes': m017PerfIndexes,
  '018_calendar_slots_index': m018CalendarSlotsIndex,
  '020_user_language': m020UserLanguage,
  '021_patient_address': m021PatientAddress,
  '022_patient_no_identifier': m022PatientNoIdentifier,
  '023_patient_cnp': m023PatientCnp,
  '024_pg_slot_exclusion_and_search': m024PgSlotExclusion,
  '037_partner_references': m037PartnerReferences,
  '038_audit_log_viewer_indexes': m038AuditLogViewerIndexes,
  '040_booking_day_stats': m040BookingDayStats,
  '041_calendar_versions': m041CalendarVersions,
  '031_patient_language': m031PatientLanguage,
  '032_mail_outbox': m032MailOutbox,
  '025_booking_moves': m025BookingMoves,
  '026_booking_attendance': m026BookingAttendance,
  '027_partner_cancellation_window': m027PartnerCancellationWindow,
  '034_channel_validity': m034ChannelValidity,
  '035_allotments': m035Allotments,
  '036_reserved_blocks': m036ReservedBlocks,
  '028_closures': m028Closures,
  '029_first_free_slots_index': m029FirstFreeSlotsIndex,
};

export const migrationSource: Knex.MigrationSource<string> = {
  // Sorted by name (their number), whichever order the entries were added in.
  getMigrations: () => Promise.resolve(Object.keys(migrations).sort()),
  getMigrationName: (name) => name,
  getMigration: (name) => Promise.resolve(migrations[name]),
};
