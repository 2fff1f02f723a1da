/**
 * E-mail confirmations through the outbox. queueBookingMail is called inside the transaction that
 * books, moves or cancels, so the e-mail exists exactly when the change does (a rollback takes it
 * away, a crash after the commit keeps it) and sending never delays or fails the booking: the
 * worker (./outbox.worker.ts) delivers it later, with retries.
 *
 * The row keeps the booking's facts as they were at that moment, so an e-mail still waiting when
 * the booking changes again says what was true when it was written. The language is the
 * patient's, else the clinic default saved in Settings, else (at sending) DEFAULT_LANGUAGE.
 */
import type { Knex } from 'knex';
import type { Clock } from '../lib/clock';
import type { Config } from '../config';
import { isLanguage, translate, type Language } from '../i18n';
import { formatsFor } from '../i18n/formats';
import { storedClinicLanguage } from '../i18n/language.queries';
import { bookingFacts, calendarFile, partnerReferenceLabel, type BookingFacts } from '../bookings/slip';
import { insertOutboxRow, mailConfirmationsEnabled, type OutboxKind } from './outbox.queries';

export type { OutboxKind };

/**
 * Queues the patient's e-mail about this booking change, in the caller's transaction: when the
 * clinic has e-mail confirmations on and the patient has an address; otherwise nothing. Call it
 * after the change (and, for a move, after its booking.moved audit row: SEQUENCE counts them).
 * Returns whether an e-mail was queued.
 */
export async function queueBookingMail(
  trx: Knex,
  clock: Clock,
  bookingId: number,
  kind: OutboxKind,
): Promise<boolean> {
  if (!(await mailConfirmationsEnabled(trx))) return false;
  const found = await bookingFacts(trx, bookingId);
  if (!found || !found.email.trim()) return false;
  const { email, language, ...facts } = found;
  await insertOutboxRow(trx, {
    booking_id: bookingId,
    kind,
    recipient: email.trim(),
    language: language ?? (await storedClinicLanguage(trx)),
    facts: JSON.stringify({ ...facts, cancelled: kind === 'cancelled' || facts.cancelled }),
    created_at: clock.nowIso(),
  });
  return true;
}

export type BookingMail = { subject: string; text: string; ics: string; method: 'REQUEST' | 'CANCEL' };

/** The e-mail's subject, plain text and calendar file, in `lang`. */
export function renderBookingMail(
  facts: BookingFacts,
  kind: OutboxKind,
  lang: Language,
  config: Pick<Config, 'mailFrom' | 'currency' | 'locale'>,
  stampAt: string,
  recipient: string,
): BookingMail {
  const f = formatsFor(lang, { currency: config.currency, enLocale: config.locale });
  const date = f.formatDate(facts.startsAt, facts.timeZone);
  const time = `${f.formatTime(facts.startsAt, facts.timeZone)}–${f.formatTime(facts.endsAt, facts.timeZone)}`;
  const name = f.personName(facts.patientGiven, facts.patientFamily);
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string>) =>
    translate(lang, key, params);
  const lines = [
    t('mail.greeting', { name }),
    '',
    t(`mail.intro.${kind}`),
    '',
    t('mail.when', { date, time, zone: facts.timeZone }),
    t('mail.where', { institution: facts.institution, address: facts.address }),
    t('mail.doctor', { doctor: f.writtenName(facts.doctor) }),
    t('mail.service', { service: facts.service }),
    t('mail.bookingNumber', { number: facts.reference }),
    ...(facts.partnerReference
      ? [
          t('mail.partnerReference', {
            label: partnerReferenceLabel(facts.partnerReference.label, lang),
            reference: facts.partnerReference.value,
          }),
        ]
      : []),
    '',
    t('mail.attached'),
    '',
    facts.institution,
    '',
    t('mail.automatic'),
  ];
  return {
    subject: t(`mail.subject.${kind}`, { service: facts.service, date, time }),
    text: lines.join('\n') + '\n',
    ics: calendarFile(facts, lang, config, stampAt, { name, email: recipient }),
    method: facts.cancelled ? 'CANCEL' : 'REQUEST',
  };
}

/** A queued row's language, or the configured default. */
export function mailLanguage(stored: string | null, fallback: Language): Language {
  return isLanguage(stored) ? stored : fallback;
}
