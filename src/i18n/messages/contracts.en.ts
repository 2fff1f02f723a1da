/**
 * Partner contracts (src/contracts, views/contracts; issue 17): validity dates of Traffic channels
 * cells, allotments, reserved blocks, and what the calendar says of them. Texts raised in English
 * by src/contracts are these texts exactly, so `tr()` finds them; spread into ./en.ts.
 */
export const contractsEn = {
  'settings.allotments': 'Allotments',
  'settings.allotments.description': 'At most N bookings per partner, service and day, week or month.',
  'settings.reservedBlocks': 'Reserved blocks',
  'settings.reservedBlocks.description':
    'Slots held for one partner until some days or hours before they start.',

  // The calendar.
  'contracts.enabledFrom': 'Enabled for {channel} from {from}.',
  'contracts.enabledUntil': 'Enabled for {channel} until {to}.',
  'contracts.enabledBetween': 'Enabled for {channel} from {from} to {to}.',
  'contracts.leftMonth':
    '{left, plural, one {# of {cap} left in {month}} other {# of {cap} left in {month}}}',
  'contracts.leftWeek':
    '{left, plural, one {# of {cap} left in the week of {day}} other {# of {cap} left in the week of {day}}}',
  'contracts.leftDay': '{left, plural, one {# of {cap} left on {day}} other {# of {cap} left on {day}}}',
  'contracts.reservedFor': 'Reserved for {partner}',
  'contracts.stateReserved': 'Reserved',
  'contracts.stateUnavailable': 'Not offered',
  'contracts.stateFull': 'Allotment used up',

  // Refusals (Start the reservation and Save).
  'contracts.outsideFrom':
    'This service is enabled for {channel} here only from {from}. Please choose a later date.',
  'contracts.outsideTo':
    'This service is enabled for {channel} here only until {to}. Please choose an earlier date.',
  'contracts.reservedForOther': 'Reserved for another partner',
  'contracts.reservedForOtherRefusal':
    'This slot is reserved for another partner until {until}. Please choose another one.',
  'contracts.reservedRefusal':
    'This slot is reserved for {partner} until {until}. Please choose another one.',
  'contracts.allotmentFull':
    'The allotment of {partner} is used up: {cap} bookings in {period}. Nothing was booked; please choose a slot in another period.',

  // Forms.
  'contracts.form.date': 'Enter a date like 2027-01-31, or leave it empty.',
  'contracts.form.dateRequired': 'Enter a date like 2027-01-31.',
  'contracts.form.toBeforeFrom': 'The end date must not be before the start date.',
  'contracts.form.target': 'Choose a service or a qualification.',
  'contracts.form.period': 'Choose day, week or month.',
  'contracts.form.cap': 'Enter a whole number from 0 to 100000.',
  'contracts.form.weekdays': 'Tick at least one weekday.',
  'contracts.form.time': 'Enter a time like 08:00.',
  'contracts.form.toTime': 'The end time must be after the start time.',
  'contracts.form.release': 'Enter a whole number from 0 to 8760.',
  'contracts.form.releaseUnit': 'Choose days or hours.',
  'contracts.notTicked': 'Tick this cell in the matrix first: only a ticked cell has validity dates.',
  'contracts.unknown': 'This choice does not exist or is not active.',
  'contracts.allotmentGone': 'This allotment does not exist.',
  'contracts.blockGone': 'This reserved block does not exist.',
  'contracts.saved': 'Saved.',
  'contracts.deleted': 'Deleted.',

  // Traffic channels cells.
  'contracts.cellFrom': 'from {from}',
  'contracts.cellUntil': 'until {to}',
  'contracts.cellBetween': '{from} – {to}',
  'contracts.editDates': 'Dates',
  'contracts.validityTitle': 'Validity of {service} for {channel}',
  'contracts.validFrom': 'Valid from',
  'contracts.validTo': 'Valid to',
  'contracts.validityHint':
    'Appointment dates at this institution. Leave a date empty for no limit on that side; leave both empty to remove the limits.',
  'contracts.cancelEdit': 'Cancel',

  // Allotments.
  'contracts.allotments': 'Allotments',
  'contracts.allotmentsIntro':
    'An allotment caps the active bookings a partner may have for a service (or every service of a qualification) at an institution per day, week or month, counted by appointment date.',
  'contracts.noAllotments': 'No allotments yet.',
  'contracts.serviceOrQualification': 'Service or qualification',
  'contracts.services': 'Services',
  'contracts.qualifications': 'Qualifications',
  'contracts.qualificationName': 'Every service of {name}',
  'contracts.period': 'Period',
  'contracts.period.day': 'Day',
  'contracts.period.week': 'Week',
  'contracts.period.month': 'Month',
  'contracts.cap': 'Bookings at most',
  'contracts.capHint': 'Per period. Lowering it never cancels a booking; the period just takes no more.',
  'contracts.actions': 'Actions',
  'contracts.delete': 'Delete',
  'contracts.edit': 'Edit',
  'contracts.deleteAllotmentConfirm': 'Delete this allotment?',
  'contracts.newAllotment': 'New allotment',
  'contracts.addAllotment': 'Add allotment',

  // Reserved blocks.
  'contracts.reservedBlocks': 'Reserved blocks',
  'contracts.blocksIntro':
    'A reserved block holds a doctor’s slots for one partner. Other partners and the clinic see them as reserved until the release time before each slot; then they are free for everyone.',
  'contracts.noBlocks': 'No reserved blocks yet.',
  'contracts.newBlock': 'New reserved block',
  'contracts.editBlock': 'Change the reserved block',
  'contracts.doctor': 'Doctor',
  'contracts.weekdays': 'Weekdays',
  'contracts.weekday.1': 'Monday',
  'contracts.weekday.2': 'Tuesday',
  'contracts.weekday.3': 'Wednesday',
  'contracts.weekday.4': 'Thursday',
  'contracts.weekday.5': 'Friday',
  'contracts.weekday.6': 'Saturday',
  'contracts.weekday.7': 'Sunday',
  'contracts.weekdayShort.1': 'Mon',
  'contracts.weekdayShort.2': 'Tue',
  'contracts.weekdayShort.3': 'Wed',
  'contracts.weekdayShort.4': 'Thu',
  'contracts.weekdayShort.5': 'Fri',
  'contracts.weekdayShort.6': 'Sat',
  'contracts.weekdayShort.7': 'Sun',
  'contracts.fromTime': 'From (time)',
  'contracts.toTime': 'To (time)',
  'contracts.dateFrom': 'First day',
  'contracts.dateTo': 'Last day',
  'contracts.releaseValue': 'Release before the slot',
  'contracts.releaseUnit': 'Unit',
  'contracts.unit.days': 'days',
  'contracts.unit.hours': 'hours',
  'contracts.releaseHint':
    'For example 3 days: a slot on Friday 09:00 is free for everyone from Tuesday 09:00.',
  'contracts.when': 'When',
  'contracts.release': 'Released',
  'contracts.releaseBefore.days': '{n, plural, one {# day before} other {# days before}}',
  'contracts.releaseBefore.hours': '{n, plural, one {# hour before} other {# hours before}}',
  'contracts.used': 'Used by the partner',
  'contracts.usedOf': '{booked} of {slots} slots ({percent} %)',
  'contracts.deleteBlockConfirm': 'Delete this reserved block?',
  'contracts.blockUsage': 'Reserved blocks used',
  'contracts.blockUsageIntro':
    'How much of each reserved block its partner booked: slots booked by that partner, of all slots in the block.',
};

export type ContractsKey = keyof typeof contractsEn;
