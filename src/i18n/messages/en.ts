/**
 * The English catalogue: the reference every other language must match key for key (the compiler
 * checks hu.ts and ro.ts against this type). Texts are ICU-style messages: `{name}` placeholders,
 * `{n, plural, one {...} other {...}}`. English texts are the ones the pages always showed, so
 * English pages stay byte-identical; server messages raised in English are translated by looking
 * their text up here (localizeMessage in src/i18n/index.ts).
 */
export const en = {
  // Layout and navigation
  'layout.brand': 'Clinic booking',
  'layout.title': '{title} · Clinic booking',
  'layout.skip': 'Skip to content',
  'layout.account': 'Account',
  'layout.logout': 'Log out',
  'layout.language': 'Language',
  'layout.backHome': 'Back to the home page',
  'layout.placeholder': 'This function is being built.',

  // Login
  'login.title': 'Log in',
  'login.username': 'User name',
  'login.password': 'Password',
  'login.submit': 'Log in',
  'login.languages': 'Language',
  'auth.invalid': 'Wrong user name or password.',
  'auth.usernameRequired': 'Enter your user name.',
  'auth.passwordRequired': 'Enter your password.',
  'auth.throttledSeconds': 'Too many failed logins. Please wait {seconds} seconds and try again.',
  'auth.throttledMinute': 'Too many failed logins. Please wait a minute and try again.',
  'auth.throttledAboutMinute': 'Too many failed logins. Please wait about a minute and try again.',
  'auth.throttledMinutes': 'Too many failed logins. Please wait {minutes} minutes and try again.',
  'auth.throttledAboutMinutes': 'Too many failed logins. Please wait about {minutes} minutes and try again.',
  'auth.pleaseLogIn': 'Please log in.',

  // Language choice
  'language.title': 'Language',
  'language.label': 'Language',
  'language.unset': 'Not set (the browser\u2019s language or the clinic default)',
  'language.intro':
    'The language of the pages you see. Without a choice, the browser\u2019s language decides when it is English, Hungarian or Romanian, else the clinic default.',
  'language.save': 'Save',
  'language.saved': 'The language was saved.',
  'language.unknown': 'Choose English, Magyar or Română.',
  'language.clinicDefault': 'Clinic default language',
  'language.clinicDefaultHint':
    'For users who have not chosen a language and whose browser asks for none of the three.',
  'language.clinicDefaultSaved': 'The clinic default language was saved.',

  // Home
  'home.title': 'Home',
  'home.heading': 'Administration',
  'home.none':
    'Your account has no functions enabled yet. Ask an administrator to grant you permissions in the Admin users menu.',
  'tile.partnerBooking': 'Book to partner',
  'tile.partnerBooking.description': 'Record an appointment on behalf of a partner.',
  'tile.calendar': 'Calendar',
  'tile.calendar.description': 'Book patients into the doctors\u2019 calendars.',
  'tile.bookings': 'Bookings',
  'tile.bookings.description': 'List, filter and cancel bookings.',
  'tile.bookings.listOnly': 'List and filter bookings.',
  'tile.patients': 'Patients',
  'tile.patients.description': 'Search and manage patient records.',
  'tile.statistics': 'Statistics',
  'tile.statistics.description': 'Traffic statistics and partner commission.',
  'tile.trafficChannels': 'Traffic channels',
  'tile.trafficChannels.description': 'Which services each channel and partner may book.',
  'tile.settings': 'Settings',
  'tile.settings.description': 'Institutions, doctors, services, partners, schedules.',
  'tile.adminUsers': 'Admin users',
  'tile.adminUsers.description': 'Users, passwords and permissions.',

  // Errors
  'errors.title': 'Error {status}',
  'errors.status': 'Error {status}',
  'errors.400': 'Bad request',
  'errors.401': 'Please log in',
  'errors.403': 'Not allowed',
  'errors.404': 'Not found',
  'errors.409': 'Conflict',
  'errors.422': 'Please check your input',
  'errors.429': 'Please wait',
  'errors.500': 'Something went wrong',
  'errors.other': 'Request refused',
  'errors.logIn': 'Log in',
  'error.unexpected': 'Something went wrong on our side. Nothing was changed. Please try again.',
  'error.csrf': 'Your form has expired or was sent from elsewhere. Please reload the page and try again.',
  'error.notFound': 'This page does not exist.',
  'error.malformed': 'The request was malformed.',
  'error.tooLarge': 'The request is too large. Nothing was changed.',
  'error.diskFull': "The server's disk is full. Nothing was changed.",
  'error.forbidden': 'You do not have permission to do this.',
  'error.notFoundShort': 'Not found.',
  'error.recordNotFound': 'This record does not exist.',
  'error.busy': 'Too many requests from your computer at once. Please wait a moment and try again.',
  'error.headersTooLarge': 'The request headers are too large.',
  'error.timeout': 'The request took too long to arrive.',

  // Validation (shared)
  'validate.invalid': 'Please correct the marked fields.',
  'validate.invalidNothingSaved': 'Please correct the marked fields. Nothing was saved.',
  'validate.yearRange': 'Enter a year from {min} to {max}.',
  'validate.number': 'Must be a number.',
  'validate.wholeNumber': 'Must be a whole number.',
  'validate.positive': 'Must be positive.',
  'validate.tooLarge': 'Too large.',
  'validate.chooseOne': 'Please choose one.',
  'validate.text': 'Must be text.',
  'validate.controlChars': 'Contains characters that are not allowed.',
  'validate.maxLength': 'At most {max} characters.',

  // Permissions
  'permission.partner_booking': 'Partner booking',
  'permission.booking': 'Booking',
  'permission.bookings_view': 'Bookings list',
  'permission.patients': 'Patients',
  'permission.users_admin': 'Admin users',
  'permission.settings': 'Settings',
  'permission.statistics': 'Statistics',

  // Settings: index and navigation
  'settings.title': 'Settings',
  'settings.nav': 'Settings',
  'settings.institutions': 'Institutions',
  'settings.institutions.description': 'Clinic sites, addresses and time zones.',
  'settings.qualifications': 'Qualifications',
  'settings.qualifications.description': 'Medical specialties.',
  'settings.services': 'Services',
  'settings.services.description': 'Examinations: qualification, duration, price.',
  'settings.doctors': 'Doctors',
  'settings.doctors.description': 'Qualifications, institutions and the services they offer there.',
  'settings.partners': 'Partners',
  'settings.partners.description': 'Insurers and other partners, their commission and their users.',
  'settings.trafficChannels': 'Traffic channels',
  'settings.trafficChannels.description':
    'Which services each channel and partner may book, per institution.',
  'settings.schedules': 'Schedules',
  'settings.schedules.description': "Doctors' working plans, slot generation and blocking.",
} as const;

export type MessageKey = keyof typeof en;
