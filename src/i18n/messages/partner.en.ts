/**
 * Partner contracts, part of issue 17 and 16 (src/partners/references*, src/partner-users,
 * src/audit-log): reference numbers, the partner's own user administration and the Audit log.
 * Texts raised in English by those modules are these texts exactly, so `tr()` finds them.
 */
export const partnerEn = {
  'tile.partnerUsers': 'Partner users',
  'tile.partnerUsers.description': 'Your organisation\u2019s users, passwords and permissions.',
  'tile.auditLog': 'Audit log',
  'tile.auditLog.description': 'Who did what, and when.',
  'permission.partner_admin': 'Partner users',

  // The partner's settings block.
  'partner.rulesHeading': 'Reference numbers and Partner users',
  'partner.rulesInvalid': 'Please correct the marked fields of this block. Nothing was saved.',
  'partner.rulesSaved': 'Reference number and Partner users settings saved.',
  'partner.referenceRequired': 'A reference number is required on every booking',
  'partner.referenceLabel': 'Name of the reference field',
  'partner.referenceLabelExample': 'Authorisation number',
  'partner.referenceLabelHint': 'Shown in the reservation dialog. Empty: \u201cReference number\u201d.',
  'partner.referencePattern': 'Pattern (a regular expression, optional)',
  'partner.referencePatternHint':
    'For example ^[A-Z][A-Z][0-9]+$ for two capital letters and digits. A repeated group that itself repeats or has alternatives is refused, so checking stays fast.',
  'partner.adminEnabled': 'The partner may administer its own users (Partner users)',
  'partner.adminEnabledHint':
    'When off, the partner\u2019s Partner users administrators lose the tile and the pages at once.',
  'partner.patternInvalid': 'This is not a valid regular expression.',
  'partner.patternTooLong': 'The pattern may be at most 200 characters.',
  'partner.patternUnsafe':
    'This pattern could take very long to check (a repeated group that itself repeats or has alternatives, or a back-reference). Please simplify it.',

  // The reservation dialog, the booking pages, the bookings list.
  'partner.referenceDefaultLabel': 'Reference number',
  'partner.optional': '(optional)',
  'partner.referenceFormatHint':
    'Expected format: {pattern}. Unique among the partner\u2019s standing bookings.',
  'partner.referenceUniqueHint': 'Unique among the partner\u2019s standing bookings.',
  'partner.referenceRequiredMessage': '{label} is required for this partner\u2019s bookings.',
  'partner.referenceTooLong': '{label} may be at most 64 characters.',
  'partner.referenceBadCharacters': '{label} contains characters that are not allowed.',
  'partner.referenceFormat': '{label} does not have the expected format: {pattern}',
  'partner.referenceTaken':
    'This {label} is already quoted on another standing booking of this partner: {reference}.',
  'partner.colReference': 'Reference',
  'partner.colBookingId': 'Booking',
  'partner.bookingsCsv': 'Download the list as CSV',

  // Partner users.
  'partnerUsers.intro': 'The users of {partner}. You can grant only the permissions you hold yourself.',
  'partnerUsers.notYours': 'you do not hold this permission',
  'partnerUsers.ownAccount':
    'This is your own account: ask the clinic or another Partner users administrator to change it.',
  'partnerUsers.ownAccountRefused':
    'You cannot change your own account here. Ask the clinic or another Partner users administrator.',
  'partnerUsers.cannotGrant': 'You can only grant permissions you hold yourself; not: {labels}.',

  // The Audit log.
  'audit.title': 'Audit log',
  'audit.partnerScope': 'You see the entries made by your organisation\u2019s users.',
  'audit.anyPartner': 'Any partner',
  'audit.actionHint': 'A code such as booking.created, or a prefix such as booking.',
  'audit.none': 'No entries match this filter.',
  'audit.csv': 'Download as CSV',
  'audit.newest': 'Newest entries',
  'audit.newer': 'Newer entries',
  'audit.older': 'Older entries',
  'audit.fixFilter': 'Fix the filter above to see entries.',
  'audit.badAction': 'Use an action code such as booking.created, or a prefix such as booking.',
  'audit.badEntity': 'Use an entity kind such as booking, user or partner.',
  'audit.badEntityId': 'Enter a whole number of 1 or more.',
  'audit.bookingHistory': 'History',
  'audit.col.id': 'Entry',
  'audit.col.at': 'Time',
  'audit.col.atUtc': 'Time (UTC)',
  'audit.col.actor': 'Actor',
  'audit.col.partner': 'Partner',
  'audit.col.action': 'Action',
  'audit.col.actionCode': 'Action code',
  'audit.col.entity': 'Entity',
  'audit.col.entityId': 'Entity id',
  'audit.col.details': 'Details',
  'audit.col.ip': 'IP address',
  'audit.action.unknown': 'Other ({action})',
  'audit.action.booking.created': 'Booked',
  'audit.action.booking.cancelled': 'Cancelled',
  'audit.action.booking.moved': 'Moved',
  'audit.action.booking.attendance': 'Attendance marked',
  'audit.action.booking.status': 'Status changed',
  'audit.action.mail.sent': 'E-mail sent',
  'audit.action.mail.failed': 'E-mail not delivered',
  'audit.action.login.succeeded': 'Logged in',
  'audit.action.login.failed': 'Login failed',
  'audit.action.login.throttled': 'Login throttled',
  'audit.action.logout': 'Logged out',
  'audit.action.user.created': 'User created',
  'audit.action.user.updated': 'User changed',
  'audit.action.user.password_changed': 'Password set',
  'audit.action.user.language_changed': 'Language changed',
  'audit.action.patient.created': 'Patient registered',
  'audit.action.patient.updated': 'Patient record corrected',
  'audit.action.settings.partner.created': 'Partner created',
  'audit.action.settings.partner.updated': 'Partner changed',
  'audit.action.settings.partner.rules_changed': 'Reference and Partner users settings changed',
  'audit.action.traffic_channel.cell_changed': 'Traffic channel changed',
};

export type PartnerKey = keyof typeof partnerEn;
