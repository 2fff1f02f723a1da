/**
 * Moving a booking, attendance marks and the partner's cancellation window (issues 16, 17):
 * views/bookings/move*, _desk*, the partner's window form, the list's status filter and the
 * statistics' no-show and late-cancellation columns. Texts raised by src/bookings/move.*,
 * attendance.*, late-cancellation.* and partners/cancellation-window.* in English are these texts
 * exactly, so `tr()` finds them; spread into the English catalogue (./en.ts).
 */
export const moveEn = {
  'move.title': 'Move the booking',
  'move.moveLink': 'Move',
  'move.moveButton': 'Move the booking',
  'move.backToBooking': 'Back to the booking',
  'move.chooseAgain': 'Choose another time',
  'move.currentTime': 'Current time',
  'move.from': 'From',
  'move.to': 'To',
  'move.reservedUntil':
    'The new time is reserved for you until {time}. Press Move the booking to move it there.',
  'move.cancelReservation': 'Cancel reservation',
  'move.notMoved': 'Not moved',
  'move.moved': 'The booking was moved. Its old time slot is free again.',
  'move.released': 'The reservation was cancelled; the booking was not moved.',
  'move.ended':
    'This reservation has ended: the booking was moved, the reservation was cancelled, or it expired.',
  'move.chooseSlot': 'Please choose a free slot from the calendar.',
  'move.notEnabled':
    'This service is no longer enabled for this booking\u2019s channel here, so it cannot be moved.',
  'move.cancelled': 'This booking has been cancelled, so it cannot be moved.',
  'move.marked': 'This booking already has an attendance mark, so it cannot be moved.',
  'move.forbidden': 'You may not move this booking.',
  'move.outsideWindow':
    'The cancellation window for this booking has closed: it can no longer be moved or cancelled by your organisation. Please contact the clinic.',
  'move.outsideWindowCancel':
    'The cancellation window for this booking has closed: it can no longer be cancelled by your organisation. Please contact the clinic.',
  'move.holdGone': 'This reservation has ended. Please choose the new time again.',
  'move.holdMismatch': 'This reservation is not for this booking. Please choose the new time again.',
  'move.history': 'Earlier times',
  'move.historyRow': '{from} \u2192 {to} (moved {at} by {name})',
  'move.window': 'Cancellation window',
  'move.windowUntil': 'Partner users may cancel and move until {hours} hours before: until {at}',
  'move.windowClosed':
    'The cancellation window for this booking has closed: your organisation can no longer move or cancel it. Please contact the clinic.',
  'move.lateCancellation': 'Late cancellation',
  'move.lateCancellationBadge': 'Late cancellation',
  'move.noCommissionLate': 'Cancelled after the partner\u2019s window closed: it earns no commission.',

  'move.attendance': 'Attendance',
  'move.notMarked': 'Not marked yet',
  'move.attendanceHeading': 'Attendance',
  'move.mark.arrived': 'Arrived',
  'move.mark.completed': 'Completed',
  'move.mark.no_show': 'No-show',
  'move.button.arrived': 'Arrived',
  'move.button.completed': 'Completed',
  'move.button.no_show': 'No-show',
  'move.undo': 'Undo the mark',
  'move.markedArrived': 'Marked as arrived.',
  'move.markedCompleted': 'Marked as completed.',
  'move.markedNoShow': 'Marked as a no-show.',
  'move.undone': 'The attendance mark was undone.',
  'move.notChanged': 'Attendance not changed',
  'move.attendanceForbidden': 'You may not mark the attendance of this booking.',
  'move.attendanceCancelled': 'This booking has been cancelled, so its attendance cannot be marked.',
  'move.badMark': 'Choose Arrived, Completed or No-show.',
  'move.tooEarly': 'Attendance can be marked from the day of the appointment on.',
  'move.alreadyMarked': 'This booking already has an attendance mark. Undo it first to set another one.',
  'move.markChanged':
    'The attendance mark was changed meanwhile. Nothing was changed now; please check the booking.',
  'move.noMark': 'This booking has no attendance mark to undo.',
  'move.undoTooLate': 'A mark can only be undone on the day it was made.',

  'move.statusArrived': 'Arrived',
  'move.statusCompleted': 'Completed',
  'move.statusNoShow': 'No-show',

  'move.windowHeading': 'Cancellation window',
  'move.windowLabel': 'Hours before the appointment',
  'move.windowHint':
    'Partner users may cancel and move a booking until this many hours before the appointment. Leave it empty for no limit.',
  'move.windowRule':
    'Later than that only clinic staff can cancel, and the booking is marked a late cancellation. Late cancellations and no-shows earn no commission.',
  'move.windowCurrent':
    '{hours, plural, one {Partner users may cancel and move until # hour before the appointment.} other {Partner users may cancel and move until # hours before the appointment.}}',
  'move.windowNone': 'No cancellation window: partner users may cancel and move any standing booking.',
  'move.windowSave': 'Save the cancellation window',
  'move.windowInvalid': 'Enter a whole number of hours from 0 to 8760, or leave it empty.',
  'move.windowSaved': 'The cancellation window was saved.',
  'move.windowFix': 'Please correct the cancellation window. Nothing was saved.',
  'move.backToPartner': 'Back to the partner',
  'move.windowTitle': 'Cancellation window: {name}',

  'stats.col.noShows': 'No-shows',
  'stats.col.lateCancellations': 'Late cancellations',
  'move.statsHint': 'No-shows and late cancellations earn no commission.',
};
