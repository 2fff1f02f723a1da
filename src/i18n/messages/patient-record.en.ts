/**
 * Patient records, second part (issues 12 and 14): the address, "no identifier" with its reason,
 * the CNP, and the clinic's "Identifier types offered". English, the reference for
 * patient-record.hu.ts and patient-record.ro.ts; messages src/patients raises in English are
 * translated by their text (localizeMessage).
 */
export const patientRecordEn = {
  'patients.idType.cnp': 'CNP (Romanian personal numeric code)',
  'patients.idShort.cnp': 'CNP',
  'patients.cnpFormat': 'A CNP has 13 digits, the first of them 1 to 9.',
  'patients.cnpDate': 'This CNP does not contain a valid date of birth.',
  'patients.cnpCounty': 'This CNP does not contain a valid county code.',
  'patients.cnpSerial': 'This CNP is not valid (its serial number is 000).',
  'patients.cnpCheck': 'This CNP is not valid (check digit does not match).',

  'patients.identifierOrReason': 'Enter the identifier, or choose why the patient has none.',
  'patients.noIdentifierReasonInvalid': 'Choose newborn, foreign or unknown.',
  'patients.idTypeNotOffered': 'This identifier type is not offered by the clinic.',
  'patients.noIdentifierLabel': 'No identifier, because',
  'patients.noIdentifierNone': '\u2014 (has an identifier)',
  'patients.noIdentifierHint': 'Only when the patient has no identifier yet. Typing one in clears this.',
  'patients.noIdOption.newborn': 'Newborn',
  'patients.noIdOption.foreign': 'Foreign',
  'patients.noIdOption.unknown': 'Unknown',
  'patients.noIdReason.newborn': 'newborn',
  'patients.noIdReason.foreign': 'foreign',
  'patients.noIdReason.unknown': 'unknown',
  'patients.noIdentifierBecause': 'No identifier: {reason}',

  'patients.postalCode': 'Postal code',
  'patients.city': 'City',
  'patients.streetAddress': 'Street address',
  'patients.address': 'Address',
  'patients.postalCodeFormat': 'Use 3 to 12 letters, digits, spaces or hyphens.',

  // Settings
  'patients.idTypesOffered': 'Identifier types offered',
  'patients.idTypesOfferedHint':
    'The patient forms offer only these. Patients who already have another type keep it.',
  'patients.idTypesSave': 'Save identifier types',
  'patients.idTypesAtLeastOne': 'Choose at least one identifier type.',
  'patients.idTypesUnknown': 'Unknown identifier type.',
  'patients.idTypesSaved': 'The identifier types offered were saved.',
} as const;

export type PatientRecordKey = keyof typeof patientRecordEn;
