/**
 * The patient pages (views/patients/*, src/patients/*): English, the reference for patients.hu.ts
 * and patients.ro.ts. Texts are the ones the pages always showed (English pages stay unchanged);
 * messages src/patients raises in English are translated by their text (localizeMessage).
 */
export const patientsEn = {
  // Titles and flash messages (src/patients/patients.routes.ts)
  'patients.title': 'Patients',
  'patients.newTitle': 'Add new patient',
  'patients.editTitle': 'Edit patient',
  'patients.created': 'The patient was registered.',
  'patients.updated': 'The patient\u2019s record was corrected.',
  'patients.unchanged': 'Nothing was changed.',
  'patients.notFound': 'No such patient, or you may not see this patient.',
  'patients.tooShort': 'Type at least 2 letters',

  // Validation (src/patients/patients.forms.ts, identifiers.ts, service)
  'patients.familyNameRequired': 'Please enter the family name.',
  'patients.givenNameRequired': 'Please enter the given name.',
  'patients.nameLetters': 'Use letters, spaces, hyphens and apostrophes only.',
  'patients.birthDateRequired': 'Please enter the date of birth.',
  'patients.birthDateFormat': 'Use the format YYYY-MM-DD, for example 1980-04-23.',
  'patients.birthDateFuture': 'The date of birth must be in the past.',
  'patients.birthDateTooOld': 'The date of birth cannot be before 1900.',
  'patients.idTypeRequired': 'Please choose the identifier type.',
  'patients.idNumberRequired': 'Please enter the identifier.',
  'patients.phoneFormat': 'Use 6 to 20 digits, spaces, +, - or brackets.',
  'patients.emailFormat': 'This is not a valid e-mail address.',
  'patients.invalidForm': 'Please correct the marked fields.',
  'patients.tajDigits': 'A TAJ number has 9 digits.',
  'patients.tajCheck': 'This TAJ number is not valid (check digit does not match).',
  'patients.passportFormat': 'A passport number has 6 to 9 letters and digits.',
  'patients.identifierTaken': 'A patient with this identifier is already registered.',
  'patients.chooseSameIdentifier': 'A patient with this identifier already exists. Choose them below.',
  'patients.chooseSameName':
    'A patient with the same name and date of birth exists. Choose them below, or tick Create anyway.',

  // Identifier types
  'patients.idType.taj': 'TAJ (social security number)',
  'patients.idType.passport': 'Passport number',
  'patients.idShort.taj': 'TAJ',
  'patients.idShort.passport': 'Passport',

  // Search page and result lists
  'patients.addNew': 'Add new patient',
  'patients.searchLabel': 'Search patient',
  'patients.searchHint': 'Name (at least 2 letters) or exact identifier',
  'patients.searchButton': 'Search',
  'patients.noneFound': 'No patient found',
  'patients.colName': 'Name',
  'patients.colBirthDate': 'Date of birth',
  'patients.colIdentifier': 'Identifier',
  'patients.notShown': 'Not shown (record not shared with your partner)',
  'patients.legend': 'Patient',
  /** A found patient in the booking step's list: name, date of birth, identifier. */
  'patients.label': '{name}, born {date}',
  'patients.labelWithId': '{name}, born {date} ({identifier})',

  // Add new / edit form
  'patients.backToSearch': 'Back to patient search',
  'patients.backToPatient': 'Back to the patient',
  'patients.savePatient': 'Save patient',
  'patients.saveChanges': 'Save changes',
  'patients.dupIdentifierIntro':
    'A patient with this identifier is already registered. Please choose them instead of creating a new record:',
  'patients.dupNameIntro':
    'A patient with the same name and date of birth already exists. Is this the same person?',
  'patients.createAnyway': 'Create anyway',
  'patients.familyName': 'Family name',
  'patients.givenName': 'Given name',
  'patients.birthDate': 'Date of birth',
  'patients.datePlaceholder': 'YYYY-MM-DD',
  'patients.idTypeLabel': 'Identifier type',
  'patients.identifier': 'Identifier',
  'patients.phone': 'Phone',
  'patients.email': 'E-mail',

  // Patient record
  'patients.bookForPatient': 'Book for this patient',
  'patients.edit': 'Edit',
  'patients.restrictedNote':
    "Your partner may not see this clinic patient's record: only the name and year of birth are shown.",
  'patients.name': 'Name',
  'patients.birthYear': 'Year of birth',
  'patients.registeredBy': 'Registered by',
  'patients.clinic': 'Clinic',
  'patients.bookings': 'Bookings',
  'patients.noBookings': 'No bookings to show.',
} as const;

export type PatientsKey = keyof typeof patientsEn;
