/**
 * The booking flow (views/booking, src/booking): choice form, week calendar, reservation dialog,
 * patient step, confirmation, ended and conflict pages. Texts raised by src/booking in English are
 * these texts exactly, so `tr()` finds them; spread into the English catalogue (./en.ts).
 */
export const bookingEn = {
  'booking.titlePartner': 'Book to partner',
  'booking.titleClinic': 'Calendar',
  'booking.titleDialog': 'Choose the patient',
  'booking.titleNotBooked': 'Not booked',
  'booking.titleConfirmed': 'Booking confirmed',
  'booking.titleEnded': 'Reservation ended',

  'booking.bookingFor': 'Booking for <b>{name}</b>: choose a slot and press Start the reservation.',
  'booking.partner': 'Partner',
  'booking.choosePartnerOption': 'Choose the partner',
  'booking.channel': 'Channel',
  'booking.institution': 'Institution',
  'booking.chooseInstitutionOption': 'Choose the institution',
  'booking.qualification': 'Qualification',
  'booking.anyQualification': 'Any qualification',
  'booking.institutionFirst': 'Choose the institution first',
  'booking.doctor': 'Doctor',
  'booking.anyDoctor': 'Any doctor',
  'booking.service': 'Service',
  'booking.chooseServiceOption': 'Choose the service',
  'booking.show': 'Show',
  'booking.weeks': 'Weeks',
  'booking.previousWeek': 'Previous week',
  'booking.thisWeek': 'This week',
  'booking.nextWeek': 'Next week',
  'booking.zoneTime': '({zone} time)',
  'booking.weekLabel': '{first} \u2013 {last} {year}',
  'booking.start': 'Start the reservation',
  'booking.noSlotsDay': 'No slots',
  'booking.free': 'Free {time}',
  'booking.stateShort': 'Too short',
  'booking.stateTaken': 'Taken',
  'booking.stateHeld': 'Held',
  'booking.stateBlocked': 'Blocked',
  'booking.statePast': 'Past',

  'booking.reservedUntilWarning':
    'Reserved until <b>{until}</b>, {left}. Press Save now, or the slot is offered to others.',
  'booking.reservedUntil': 'Reserved until <b>{until}</b>, {left}',
  'booking.minutesLeft': '{minutes, plural, one {# minute left} other {# minutes left}}',
  'booking.timeEnded': 'The reservation time ended at {time}.',
  'booking.timeEndedRenewable': 'Save will still work if nobody has taken the slot meanwhile.',
  'booking.timeEndedGone':
    'The slot is no longer free: please go back to the calendar and choose another one.',
  'booking.renew': 'Reserve the same slot again',
  'booking.backToCalendar': 'Back to the calendar',

  'booking.reservation': 'Reservation',
  'booking.date': 'Date',
  'booking.time': 'Time',
  'booking.partnerBooking': 'Partner booking',
  'booking.patient': 'Patient',
  'booking.searchPatient': 'Search patient',
  'booking.search': 'Search',
  'booking.stepHint':
    'Choose a patient found above, or fill in New patient below: Save books the chosen patient, or registers the new one and books them.',
  'booking.overlapList': 'Already booked for this patient at an overlapping time:',
  'booking.bookAnyway': 'Book anyway',
  'booking.save': 'Save',
  'booking.newPatient': 'New patient',
  'booking.addPatient': 'Add new patient',
  'booking.cancelReservation': 'Cancel reservation',

  'booking.saved': 'The booking is saved.',
  'booking.price': 'Price',
  'booking.bookAnother': 'Book another',
  'booking.bookings': 'Bookings',
  'booking.home': 'Home',

  // Raised by src/booking/booking.routes.ts.
  'booking.choosePartner': 'Please choose the partner.',
  'booking.chooseInstitution': 'Please choose the institution.',
  'booking.chooseService': 'Please choose the service.',
  'booking.chooseSlot': 'Please choose a free slot from the calendar.',
  'booking.choiceChanged':
    'The choices were changed after this calendar was shown, so nothing was reserved. Here is the calendar for the new choices: choose a slot and press Start the reservation again.',
  'booking.noInstitutions':
    'No institution has a service enabled for this booking. Check the partner\u2019s column under the Traffic channels menu.',
  'booking.pickService': 'Choose a service to see its free slots.',
  'booking.noSlots': 'No schedule or slots in this period',
  'booking.notEnabledPartner':
    'This service is not enabled for this partner at this institution. Check the partner\u2019s column under the Traffic channels menu.',
  'booking.notEnabledChannel':
    'This service is not enabled for this channel at this institution. Check the channel\u2019s column under the Traffic channels menu.',
  'booking.noInstitutionsForPartnerUser':
    'No institution has a service enabled for your organisation. Please contact the clinic.',
  'booking.notEnabledForPartnerUser':
    'This service is not enabled for your organisation at this institution. Please contact the clinic.',
  'booking.allTaken': 'Every slot this week is taken',
  'booking.searchHint': 'Type at least 2 letters of the name, or the identifier.',
  'booking.renewed': 'The slot is reserved again, until {until}.',
  'booking.patientCreated': 'The patient was added and selected. Check the details and press Save.',
  'booking.cancelled': 'The reservation was cancelled and the slot released.',
  'booking.ended': 'This reservation has ended: it was saved, cancelled, or it expired.',
  'booking.weekInvalid': 'The week must be a date (YYYY-MM-DD).',

  // Raised by src/booking/booking.service.ts.
  'booking.slotTaken': 'This slot was just taken. Please choose another one.',
  'booking.noLongerPartner': 'This service is no longer enabled for this partner here.',
  'booking.noLongerChannel': 'This service is no longer enabled for this channel here.',
  'booking.inactive': 'This service, doctor, institution or partner is no longer available for booking.',
  'booking.slotPast': 'This slot is in the past. Please choose another one.',
  'booking.tooShort':
    'There is not enough free time from this slot for the service. Please choose another start.',
  'booking.holdGone':
    'This reservation has ended: it expired and its slot was reserved by someone else, or it was cancelled. Please choose a slot again.',
  'booking.patientMissing': 'Please choose a patient or add a new one.',
  'booking.mayNotBook': 'You may no longer book here. Ask an administrator if this is wrong.',
  'booking.overlap':
    'This patient already has an appointment at this time. Tick Book anyway and press Save to book a second one, or choose another slot.',
  'booking.overlapForPartnerUser':
    'This patient already has an appointment at this time, so nothing was booked. Please choose another slot or contact the clinic.',
  'booking.otherPartnerHold':
    'This reservation was made for another partner than the one you now belong to. Nothing was booked; please choose a slot again.',

  // Raised by src/booking/choices.ts.
  'booking.unknownPartner': 'This partner does not exist or is not active.',
  'booking.ownPartnerOnly': 'You can only book for your own partner.',
  'booking.unknownChannel': 'This traffic channel does not exist or is not an active clinic channel.',
  'booking.unknownInstitution': 'This institution does not exist.',
  'booking.institutionForbidden': 'You may not book at this institution.',
  'booking.unknownQualification': 'This qualification does not exist.',
  'booking.unknownDoctor': 'This doctor does not exist.',
  'booking.unknownService': 'This service does not exist.',
};

export type BookingKey = keyof typeof bookingEn;
