/** Mutarea unei programări, prezența și termenul de anulare al partenerului (./move.en.ts în română). */
import type { moveEn } from './move.en';

export const moveRo: Record<keyof typeof moveEn, string> = {
  'move.title': 'Mutați programarea',
  'move.moveLink': 'Mutare',
  'move.moveButton': 'Mutați programarea',
  'move.backToBooking': 'Înapoi la programare',
  'move.chooseAgain': 'Alegeți altă oră',
  'move.currentTime': 'Ora actuală',
  'move.from': 'De la',
  'move.to': 'La',
  'move.reservedUntil':
    'Noua oră este rezervată pentru dumneavoastră până la {time}. Apăsați Mutați programarea pentru a o muta acolo.',
  'move.cancelReservation': 'Anulați rezervarea',
  'move.notMoved': 'Nu s-a mutat',
  'move.moved': 'Programarea a fost mutată. Vechiul interval este din nou liber.',
  'move.released': 'Rezervarea a fost anulată; programarea nu a fost mutată.',
  'move.ended':
    'Această rezervare s-a încheiat: programarea a fost mutată, rezervarea a fost anulată sau a expirat.',
  'move.chooseSlot': 'Vă rugăm să alegeți un interval liber din calendar.',
  'move.notEnabled':
    'Acest serviciu nu mai este activat aici pentru canalul programării, deci nu poate fi mutată.',
  'move.cancelled': 'Această programare a fost anulată, deci nu poate fi mutată.',
  'move.marked': 'Această programare are deja prezența marcată, deci nu poate fi mutată.',
  'move.forbidden': 'Nu aveți voie să mutați această programare.',
  'move.outsideWindow':
    'Termenul de anulare al acestei programări a expirat: organizația dumneavoastră nu o mai poate muta sau anula. Vă rugăm să contactați clinica.',
  'move.outsideWindowCancel':
    'Termenul de anulare al acestei programări a expirat: organizația dumneavoastră nu o mai poate anula. Vă rugăm să contactați clinica.',
  'move.holdGone': 'Această rezervare s-a încheiat. Vă rugăm să alegeți din nou ora nouă.',
  'move.holdMismatch': 'Această rezervare nu este pentru această programare. Vă rugăm să alegeți din nou.',
  'move.history': 'Ore anterioare',
  'move.historyRow': '{from} \u2192 {to} (mutată la {at} de {name})',
  'move.window': 'Termen de anulare',
  'move.windowUntil': 'Utilizatorii partenerului pot anula și muta cu {hours} ore înainte: până la {at}',
  'move.windowClosed':
    'Termenul de anulare al acestei programări a expirat: organizația dumneavoastră nu o mai poate muta sau anula. Vă rugăm să contactați clinica.',
  'move.lateCancellation': 'Anulare târzie',
  'move.lateCancellationBadge': 'Anulare târzie',
  'move.noCommissionLate': 'Anulată după expirarea termenului partenerului: nu aduce comision.',

  'move.attendance': 'Prezență',
  'move.notMarked': 'Încă nemarcată',
  'move.attendanceHeading': 'Prezență',
  'move.mark.arrived': 'Sosit',
  'move.mark.completed': 'Finalizat',
  'move.mark.no_show': 'Neprezentare',
  'move.button.arrived': 'Sosit',
  'move.button.completed': 'Finalizat',
  'move.button.no_show': 'Neprezentare',
  'move.undo': 'Anulați marcajul',
  'move.markedArrived': 'Marcat ca sosit.',
  'move.markedCompleted': 'Marcat ca finalizat.',
  'move.markedNoShow': 'Marcat ca neprezentare.',
  'move.undone': 'Marcajul de prezență a fost anulat.',
  'move.notChanged': 'Prezența nu s-a schimbat',
  'move.attendanceForbidden': 'Nu aveți voie să marcați prezența la această programare.',
  'move.attendanceCancelled': 'Această programare a fost anulată, deci prezența nu poate fi marcată.',
  'move.badMark': 'Alegeți Sosit, Finalizat sau Neprezentare.',
  'move.tooEarly': 'Prezența se poate marca începând din ziua programării.',
  'move.alreadyMarked': 'Această programare are deja un marcaj de prezență. Anulați-l mai întâi.',
  'move.markChanged':
    'Marcajul de prezență a fost schimbat între timp. Acum nu s-a schimbat nimic; vă rugăm să verificați programarea.',
  'move.noMark': 'Această programare nu are niciun marcaj de anulat.',
  'move.undoTooLate': 'Un marcaj poate fi anulat doar în ziua în care a fost făcut.',

  'move.statusArrived': 'Sosit',
  'move.statusCompleted': 'Finalizat',
  'move.statusNoShow': 'Neprezentare',

  'move.windowHeading': 'Termen de anulare',
  'move.windowLabel': 'Ore înainte de programare',
  'move.windowHint':
    'Utilizatorii partenerului pot anula și muta o programare până cu atâtea ore înainte. Lăsați gol pentru nicio limită.',
  'move.windowRule':
    'După aceea doar personalul clinicii poate anula, iar programarea este marcată ca anulare târzie. Anulările târzii și neprezentările nu aduc comision.',
  'move.windowCurrent':
    '{hours, plural, one {Utilizatorii partenerului pot anula și muta până cu # oră înainte de programare.} few {Utilizatorii partenerului pot anula și muta până cu # ore înainte de programare.} other {Utilizatorii partenerului pot anula și muta până cu # de ore înainte de programare.}}',
  'move.windowNone':
    'Niciun termen de anulare: utilizatorii partenerului pot anula și muta orice programare activă.',
  'move.windowSave': 'Salvați termenul de anulare',
  'move.windowInvalid': 'Introduceți un număr întreg de ore între 0 și 8760 sau lăsați gol.',
  'move.windowSaved': 'Termenul de anulare a fost salvat.',
  'move.windowFix': 'Vă rugăm să corectați termenul de anulare. Nu s-a salvat nimic.',
  'move.backToPartner': 'Înapoi la partener',
  'move.windowTitle': 'Termen de anulare: {name}',

  'stats.col.noShows': 'Neprezentări',
  'stats.col.lateCancellations': 'Anulări târzii',
  'move.statsHint': 'Neprezentările și anulările târzii nu aduc comision.',
};
