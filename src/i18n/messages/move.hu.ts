/** Időpont áthelyezése, megjelenés és a partner lemondási határideje (./move.en.ts magyarul). */
import type { moveEn } from './move.en';

export const moveHu: Record<keyof typeof moveEn, string> = {
  'move.title': 'Foglalás áthelyezése',
  'move.moveLink': 'Áthelyezés',
  'move.moveButton': 'Foglalás áthelyezése',
  'move.backToBooking': 'Vissza a foglaláshoz',
  'move.chooseAgain': 'Másik időpont választása',
  'move.currentTime': 'Jelenlegi időpont',
  'move.from': 'Honnan',
  'move.to': 'Hová',
  'move.reservedUntil':
    'Az új időpontot {time}-ig lefoglaltuk Önnek. Az áthelyezéshez nyomja meg a Foglalás áthelyezése gombot.',
  'move.cancelReservation': 'Foglalás elvetése',
  'move.notMoved': 'Nem történt áthelyezés',
  'move.moved': 'A foglalást áthelyeztük. A régi időpont újra szabad.',
  'move.released': 'Az ideiglenes foglalást elvetettük; a foglalás a helyén maradt.',
  'move.ended':
    'Ez az ideiglenes foglalás véget ért: a foglalást áthelyezték, az ideiglenes foglalást elvetették, vagy lejárt.',
  'move.chooseSlot': 'Kérjük, válasszon szabad időpontot a naptárból.',
  'move.notEnabled':
    'Ez a szolgáltatás itt már nem foglalható a foglalás csatornáján, ezért nem helyezhető át.',
  'move.cancelled': 'Ezt a foglalást lemondták, ezért nem helyezhető át.',
  'move.marked': 'Ennél a foglalásnál már rögzítették a megjelenést, ezért nem helyezhető át.',
  'move.forbidden': 'Ezt a foglalást Ön nem helyezheti át.',
  'move.outsideWindow':
    'A foglalás lemondási határideje lejárt: szervezete már nem helyezheti át és nem mondhatja le. Kérjük, forduljon a klinikához.',
  'move.outsideWindowCancel':
    'A foglalás lemondási határideje lejárt: szervezete már nem mondhatja le. Kérjük, forduljon a klinikához.',
  'move.holdGone': 'Ez az ideiglenes foglalás véget ért. Kérjük, válassza ki újra az új időpontot.',
  'move.holdMismatch': 'Ez az ideiglenes foglalás nem ehhez a foglaláshoz tartozik. Kérjük, válasszon újra.',
  'move.history': 'Korábbi időpontok',
  'move.historyRow': '{from} \u2192 {to} (áthelyezte {name}, {at})',
  'move.window': 'Lemondási határidő',
  'move.windowUntil':
    'A partner felhasználói {hours} órával előtte mondhatják le vagy helyezhetik át: {at}-ig',
  'move.windowClosed':
    'A foglalás lemondási határideje lejárt: szervezete már nem helyezheti át és nem mondhatja le. Kérjük, forduljon a klinikához.',
  'move.lateCancellation': 'Késői lemondás',
  'move.lateCancellationBadge': 'Késői lemondás',
  'move.noCommissionLate': 'A partner határideje után mondták le: nem jár utána jutalék.',

  'move.attendance': 'Megjelenés',
  'move.notMarked': 'Még nincs rögzítve',
  'move.attendanceHeading': 'Megjelenés',
  'move.mark.arrived': 'Megérkezett',
  'move.mark.completed': 'Elvégezve',
  'move.mark.no_show': 'Nem jelent meg',
  'move.button.arrived': 'Megérkezett',
  'move.button.completed': 'Elvégezve',
  'move.button.no_show': 'Nem jelent meg',
  'move.undo': 'Jelölés visszavonása',
  'move.markedArrived': 'Megérkezettként jelölve.',
  'move.markedCompleted': 'Elvégzettként jelölve.',
  'move.markedNoShow': 'Meg nem jelentként jelölve.',
  'move.undone': 'A megjelenés jelölését visszavontuk.',
  'move.notChanged': 'A megjelenés nem változott',
  'move.attendanceForbidden': 'Ennél a foglalásnál Ön nem rögzítheti a megjelenést.',
  'move.attendanceCancelled': 'Ezt a foglalást lemondták, ezért a megjelenés nem rögzíthető.',
  'move.badMark': 'Válassza a Megérkezett, Elvégezve vagy Nem jelent meg lehetőséget.',
  'move.tooEarly': 'A megjelenés az időpont napjától rögzíthető.',
  'move.alreadyMarked':
    'Ennél a foglalásnál már rögzítették a megjelenést. Másik jelöléshez előbb vonja vissza.',
  'move.markChanged':
    'A megjelenés jelölését közben megváltoztatták. Most semmi sem változott; kérjük, nézze meg a foglalást.',
  'move.noMark': 'Ennél a foglalásnál nincs visszavonható jelölés.',
  'move.undoTooLate': 'Egy jelölés csak azon a napon vonható vissza, amelyen rögzítették.',

  'move.statusArrived': 'Megérkezett',
  'move.statusCompleted': 'Elvégezve',
  'move.statusNoShow': 'Nem jelent meg',

  'move.windowHeading': 'Lemondási határidő',
  'move.windowLabel': 'Órák száma az időpont előtt',
  'move.windowHint':
    'A partner felhasználói ennyi órával az időpont előttig mondhatják le vagy helyezhetik át a foglalást. Üresen hagyva nincs korlát.',
  'move.windowRule':
    'Ezután csak a klinika munkatársai mondhatják le, és a foglalás késői lemondásként szerepel. Késői lemondás és meg nem jelenés után nem jár jutalék.',
  'move.windowCurrent':
    '{hours, plural, one {A partner felhasználói # órával az időpont előttig mondhatnak le és helyezhetnek át.} other {A partner felhasználói # órával az időpont előttig mondhatnak le és helyezhetnek át.}}',
  'move.windowNone':
    'Nincs lemondási határidő: a partner felhasználói bármely élő foglalást lemondhatnak és áthelyezhetnek.',
  'move.windowSave': 'Lemondási határidő mentése',
  'move.windowInvalid': 'Adjon meg egy egész óraszámot 0 és 8760 között, vagy hagyja üresen.',
  'move.windowSaved': 'A lemondási határidőt mentettük.',
  'move.windowFix': 'Kérjük, javítsa a lemondási határidőt. Semmi sem lett mentve.',
  'move.backToPartner': 'Vissza a partnerhez',
  'move.windowTitle': 'Lemondási határidő: {name}',

  'stats.col.noShows': 'Meg nem jelenések',
  'stats.col.lateCancellations': 'Késői lemondások',
  'move.statsHint': 'Meg nem jelenés és késői lemondás után nem jár jutalék.',
};
