/**
 * A booking's facts as the slip, the calendar file and the e-mail show them: the same words and
 * times everywhere, in the institution's zone and the reader's language.
 */
import type { Knex } from 'knex';
import { translate, type Language } from '../i18n';
import { formatsFor } from '../i18n/formats';
import type { Config } from '../config';
import { bookingIcs, bookingUid, type CalendarEvent } from './ics';
import { bookingFactsRow, bookingMoves } from './slip.queries';
import { referenceRuleFor } from '../partners/references.service';

/** The booking as it is at one moment (kept as JSON in the outbox, so a queued e-mail stays true). */
export type BookingFacts = {
  bookingId: number;
  cancelled: boolean;
  startsAt: string;
  endsAt: string;
  timeZone: string;
  institution: string;
  address: string;
  doctor: string;
  service: string;
  patientGiven: string;
  patientFamily: string;
  partner: string | null;
  /** The booking number (what the patient quotes to the clinic). */
  reference: string;
  /**
   * The partner's reference number (e.g. an authorisation number) and the partner's label for it
   * ('' = the default label); null without one. Absent in e-mails queued before it was kept.
   */
  partnerReference?: { label: string; value: string } | null;
  /** Moves so far: the calendar file's SEQUENCE. */
  sequence: number;
};

/** The booking's reference as the patient quotes it (its number). */
export function bookingReference(bookingId: number): string {
  return String(bookingId);
}

/** The partner's name for its reference field, else the default ("Reference number"), in `lang`. */
export function partnerReferenceLabel(label: string | null | undefined, lang: Language): string {
  return label?.trim() || translate(lang, 'partner.referenceDefaultLabel');
}

/** The label shown beside a booking's partner reference (the partner's own, as it is now); null without one. */
export async function referenceLabelOf(
  db: Knex,
  booking: { partnerId: number | null; reference: string | null },
  lang: Language,
): Promise<string | null> {
  if (!booking.reference) return null;
  return partnerReferenceLabel((await referenceRuleFor(db, booking.partnerId))?.label, lang);
}

export async function bookingFacts(
  db: Knex,
  bookingId: number,
): Promise<(BookingFacts & { email: string; language: Language | null }) | null> {
  const row = await bookingFactsRow(db, bookingId);
  if (!row) return null;
  return {
    bookingId: row.id,
    cancelled: row.status === 'cancelled',
    startsAt: String(row.starts_at),
    endsAt: String(row.ends_at),
    timeZone: row.time_zone,
    institution: row.institution,
    address: row.address,
    doctor: row.doctor,
    service: row.service,
    patientGiven: row.given_name,
    patientFamily: row.family_name,
    partner: row.partner ?? null,
    reference: bookingReference(row.id),
    partnerReference: row.partner_reference
      ? { label: row.reference_label ?? '', value: row.partner_reference }
      : null,
    sequence: await bookingMoves(db, bookingId),
    email: row.email ?? '',
    language: (row.language as Language | null) ?? null,
  };
}

/** The domain of calendar UIDs: the sender address's (stable as long as MAIL_FROM is). */
export function uidDomain(config: Pick<Config, 'mailFrom'>): string {
  return config.mailFrom.split('@')[1];
}

/** The .ics text of a booking, its texts in `lang`; DTSTAMP is `stampAt` (the app clock's now). */
export function calendarFile(
  facts: BookingFacts,
  lang: Language,
  config: Pick<Config, 'mailFrom' | 'currency' | 'locale'>,
  stampAt: string,
  attendee?: { name: string; email: string },
): string {
  const f = formatsFor(lang, { currency: config.currency, enLocale: config.locale });
  const patient = f.personName(facts.patientGiven, facts.patientFamily);
  const event: CalendarEvent = {
    uid: bookingUid(facts.bookingId, uidDomain(config)),
    sequence: facts.sequence,
    cancelled: facts.cancelled,
    startsAt: facts.startsAt,
    endsAt: facts.endsAt,
    timeZone: facts.timeZone,
    stampAt,
    summary: `${facts.service} – ${f.writtenName(facts.doctor)}`,
    location: facts.address ? `${facts.institution}, ${facts.address}` : facts.institution,
    description: translate(lang, 'ics.description', {
      service: facts.service,
      doctor: f.writtenName(facts.doctor),
      institution: facts.institution,
      patient,
      reference: facts.reference,
    }),
    organizer: { name: facts.institution, email: config.mailFrom },
    attendee: attendee ?? null,
  };
  return bookingIcs(event);
}
