/**
 * Wiring after the merges: the patient's language for messages (views/patients/*,
 * src/patients/patients.forms.ts) and the booking number beside the partner's reference on the
 * slip, the confirmation and the e-mail (src/bookings/slip.ts, src/mail/outbox.ts). English, the
 * reference for wiring.hu.ts and wiring.ro.ts.
 */
export const wiringEn = {
  'patients.messageLanguage': 'Language for messages',
  'patients.messageLanguageDefault': 'The clinic\u2019s default',
  'patients.messageLanguageHint': 'E-mail confirmations are written in this language.',
  'patients.messageLanguageInvalid':
    'Choose English, Magyar or Rom\u00e2n\u0103, or the clinic\u2019s default.',

  'slip.bookingNumber': 'Booking number',
  'mail.bookingNumber': 'Booking number: {number}',
  'mail.partnerReference': '{label}: {reference}',
} as const;

export type WiringKey = keyof typeof wiringEn;
