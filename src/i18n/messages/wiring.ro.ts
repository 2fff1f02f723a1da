/** Română: the patient's language for messages, the booking number. Every key of ./wiring.en.ts. */
import type { WiringKey } from './wiring.en';

export const wiringRo: Record<WiringKey, string> = {
  'patients.messageLanguage': 'Limba mesajelor',
  'patients.messageLanguageDefault': 'Limba implicită a clinicii',
  'patients.messageLanguageHint': 'Confirmările prin e-mail sunt scrise în această limbă.',
  'patients.messageLanguageInvalid': 'Alegeți English, Magyar sau Română, sau limba implicită a clinicii.',

  'slip.bookingNumber': 'Număr programare',
  'mail.bookingNumber': 'Număr programare: {number}',
  'mail.partnerReference': '{label}: {reference}',
};
