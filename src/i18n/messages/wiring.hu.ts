/** Magyar: the patient's language for messages, the booking number. Every key of ./wiring.en.ts. */
import type { WiringKey } from './wiring.en';

export const wiringHu: Record<WiringKey, string> = {
  'patients.messageLanguage': 'Üzenetek nyelve',
  'patients.messageLanguageDefault': 'A klinika alapértelmezése',
  'patients.messageLanguageHint': 'Az e-mailes visszaigazolások ezen a nyelven készülnek.',
  'patients.messageLanguageInvalid':
    'Válasszon: English, Magyar vagy Română, vagy a klinika alapértelmezése.',

  'slip.bookingNumber': 'Foglalási szám',
  'mail.bookingNumber': 'Foglalási szám: {number}',
  'mail.partnerReference': '{label}: {reference}',
};
