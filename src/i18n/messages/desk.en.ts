/**
 * The front desk (issue 16, branch desk): First free slots, the Day list, Closures. Texts raised in
 * English by src/booking/first-free*, src/daylist and src/closures are these texts exactly, so
 * `tr()` finds them; spread into the English catalogue (./en.ts).
 */
export const deskEn = {
  'tile.dayList': 'Day list',
  'tile.dayList.description': 'A day\u2019s bookings per doctor, ready to print.',

  'firstFree.title': 'First free slots',
  'firstFree.intro': 'The next free starts in the next {days} days, soonest first ({zone} time).',
  'firstFree.from': 'From (time of day)',
  'firstFree.to': 'Until (time of day)',
  'firstFree.weekday': 'Weekday',
  'firstFree.anyWeekday': 'Any weekday',
  'firstFree.none': 'No free slot in the next 90 days matches these choices.',

  'booking.stateClosed': 'Closed',
  'schedules.slot.closed': 'Closed',

  'daylist.title': 'Day list',
  'daylist.date': 'Date',
  'daylist.days': 'Days',
  'daylist.previousDay': 'Previous day',
  'daylist.nextDay': 'Next day',
  'daylist.none': 'No bookings on {day}.',
  'daylist.time': 'Time',
  'daylist.patient': 'Patient',
  'daylist.number': 'Booking no.',
  'daylist.status': 'Status',
  'daylist.noInstitution': 'There is no institution you may see.',

  'closures.title': 'Closures',
  'closures.intro':
    'Closed days and hours of an institution (public holidays, the clinic\u2019s own closures) apply to every schedule there: their slots are shown as closed and cannot be booked.',
  'closures.year': 'Year',
  'closures.listTitle': '{institution}: closures in {year}',
  'closures.none': 'No closures in this year.',
  'closures.date': 'Date',
  'closures.hours': 'Hours',
  'closures.from': 'Closed from (optional)',
  'closures.to': 'Closed until (optional)',
  'closures.reason': 'Reason',
  'closures.wholeDay': 'Whole day',
  'closures.edit': 'Edit',
  'closures.delete': 'Delete',
  'closures.addTitle': 'Add a closure',
  'closures.addHint': 'Leave the times empty to close the whole day. Times are in {zone} time.',
  'closures.add': 'Add closure',
  'closures.holidaysTitle': 'Public holidays',
  'closures.holidaysIntro':
    'Loads a year\u2019s public holidays, fixed and movable (Easter, Whit Monday), as whole-day closures. Days already closed are left as they are; edit or delete any of them afterwards.',
  'closures.country': 'Country',
  'closures.country.hu': 'Hungary',
  'closures.country.ro': 'Romania',
  'closures.loadHolidays': 'Load holidays',
  'closures.affectedTitle': 'Bookings on closed days',
  'closures.affectedNone': 'No standing booking falls on a closure.',
  'closures.affectedIntro':
    '{n, plural, one {# standing booking falls on a closure and needs moving.} other {# standing bookings fall on a closure and need moving.}}',
  'closures.when': 'When',
  'closures.patient': 'Patient',
  'closures.editTitle': 'Edit closure',
  'closures.back': 'Back to the closures',
  'closures.save': 'Save closure',
  'closures.added': 'Closure added.',
  'closures.saved': 'Closure saved.',
  'closures.deleted': 'Closure deleted.',
  'closures.loaded': 'Holidays loaded: {added} added, {skipped} already there.',
  'closures.closedSlot': 'The clinic is closed at this time ({reason}). Please choose another slot.',
  'closures.duplicate': 'This institution already has a closure starting then on that day.',
  'closures.notFound': 'This closure does not exist.',
  'closures.unknownInstitution': 'This institution does not exist.',
  'closures.bothTimes': 'Enter both times for closed hours, or neither for the whole day.',
  'closures.reasonRequired': 'Enter a reason, like \u201cChristmas Day\u201d or \u201cStaff training\u201d.',
  'closures.countryRequired': 'Choose Hungary or Romania.',
  'closures.yearRange': 'Enter a year from 1900 to 2099.',
  'closures.institutionRequired': 'Choose the institution.',
} as const;

export type DeskKey = keyof typeof deskEn;
