/** Magyar: the booking flow. Every key of ./booking.en.ts (the type makes the compiler check it). */
import type { BookingKey } from './booking.en';

export const bookingHu: Record<BookingKey, string> = {
  'booking.titlePartner': 'Foglalás partnernek',
  'booking.titleClinic': 'Naptár',
  'booking.titleDialog': 'A páciens kiválasztása',
  'booking.titleNotBooked': 'A foglalás nem jött létre',
  'booking.titleConfirmed': 'A foglalás visszaigazolva',
  'booking.titleEnded': 'A foglalás lezárult',

  'booking.bookingFor':
    'Foglalás neki: <b>{name}</b>. Válasszon időpontot, majd nyomja meg a Foglalás indítása gombot.',
  'booking.partner': 'Partner',
  'booking.choosePartnerOption': 'Válassza ki a partnert',
  'booking.channel': 'Csatorna',
  'booking.institution': 'Intézmény',
  'booking.chooseInstitutionOption': 'Válassza ki az intézményt',
  'booking.qualification': 'Szakterület',
  'booking.anyQualification': 'Bármely szakterület',
  'booking.institutionFirst': 'Előbb válassza ki az intézményt',
  'booking.doctor': 'Orvos',
  'booking.anyDoctor': 'Bármely orvos',
  'booking.service': 'Szolgáltatás',
  'booking.chooseServiceOption': 'Válassza ki a szolgáltatást',
  'booking.show': 'Megjelenítés',
  'booking.weeks': 'Hetek',
  'booking.previousWeek': 'Előző hét',
  'booking.thisWeek': 'Ez a hét',
  'booking.nextWeek': 'Következő hét',
  'booking.zoneTime': '({zone} idő szerint)',
  'booking.weekLabel': '{year}. {first} \u2013 {last}',
  'booking.start': 'Foglalás indítása',
  'booking.noSlotsDay': 'Nincs időpont',
  'booking.free': 'Szabad: {time}',
  'booking.stateShort': 'Túl rövid',
  'booking.stateTaken': 'Foglalt',
  'booking.stateHeld': 'Lefoglalás alatt',
  'booking.stateBlocked': 'Zárolt',
  'booking.statePast': 'Elmúlt',

  'booking.reservedUntilWarning':
    'Lefoglalva eddig: <b>{until}</b>, {left}. Nyomja meg most a Mentés gombot, különben az időpontot másoknak is felkínáljuk.',
  'booking.reservedUntil': 'Lefoglalva eddig: <b>{until}</b>, {left}',
  'booking.minutesLeft': '{minutes, plural, one {még # perc van hátra} other {még # perc van hátra}}',
  'booking.timeEnded': 'A lefoglalási idő {time}-kor lejárt.',
  'booking.timeEndedRenewable': 'A Mentés még sikerülhet, ha közben senki sem foglalta le az időpontot.',
  'booking.timeEndedGone': 'Az időpont már nem szabad: lépjen vissza a naptárhoz, és válasszon másikat.',
  'booking.renew': 'Ugyanazon időpont újbóli lefoglalása',
  'booking.backToCalendar': 'Vissza a naptárhoz',

  'booking.reservation': 'Lefoglalás',
  'booking.date': 'Dátum',
  'booking.time': 'Időpont',
  'booking.partnerBooking': 'Partneres foglalás',
  'booking.patient': 'Páciens',
  'booking.searchPatient': 'Páciens keresése',
  'booking.search': 'Keresés',
  'booking.stepHint':
    'Válasszon a fent talált páciensek közül, vagy töltse ki lent az Új páciens részt: a Mentés a kiválasztott pácienst foglalja be, illetve az újat felveszi és befoglalja.',
  'booking.overlapList': 'Ennek a páciensnek már van foglalása átfedő időpontban:',
  'booking.bookAnyway': 'Foglalás mégis',
  'booking.save': 'Mentés',
  'booking.newPatient': 'Új páciens',
  'booking.addPatient': 'Új páciens felvétele',
  'booking.cancelReservation': 'Lefoglalás visszavonása',

  'booking.saved': 'A foglalást elmentettük.',
  'booking.price': 'Ár',
  'booking.bookAnother': 'Újabb foglalás',
  'booking.bookings': 'Foglalások',
  'booking.home': 'Kezdőlap',

  'booking.choosePartner': 'Kérjük, válassza ki a partnert.',
  'booking.chooseInstitution': 'Kérjük, válassza ki az intézményt.',
  'booking.chooseService': 'Kérjük, válassza ki a szolgáltatást.',
  'booking.chooseSlot': 'Kérjük, válasszon szabad időpontot a naptárból.',
  'booking.choiceChanged':
    'A naptár megjelenítése után módosultak a választások, ezért semmit sem foglaltunk le. Itt az új választásokhoz tartozó naptár: válasszon időpontot, és nyomja meg újra a Foglalás indítása gombot.',
  'booking.noInstitutions':
    'Egyik intézményben sincs engedélyezett szolgáltatás ehhez a foglaláshoz. Nézze meg a partner oszlopát a Forgalmi csatornák menüpontban.',
  'booking.pickService': 'Válasszon szolgáltatást a szabad időpontok megtekintéséhez.',
  'booking.noSlots': 'Ebben az időszakban nincs rendelési idő vagy időpont',
  'booking.notEnabledPartner':
    'Ez a szolgáltatás ebben az intézményben nem engedélyezett ennek a partnernek. Nézze meg a partner oszlopát a Forgalmi csatornák menüpontban.',
  'booking.notEnabledChannel':
    'Ez a szolgáltatás ebben az intézményben nem engedélyezett ezen a csatornán. Nézze meg a csatorna oszlopát a Forgalmi csatornák menüpontban.',
  'booking.noInstitutionsForPartnerUser':
    'Egyik intézményben sincs engedélyezett szolgáltatás az Ön szervezete számára. Kérjük, forduljon a klinikához.',
  'booking.notEnabledForPartnerUser':
    'Ez a szolgáltatás ebben az intézményben nem engedélyezett az Ön szervezete számára. Kérjük, forduljon a klinikához.',
  'booking.allTaken': 'Ezen a héten minden időpont foglalt',
  'booking.searchHint': 'Írja be a név legalább 2 betűjét vagy az azonosítót.',
  'booking.renewed': 'Az időpontot újra lefoglaltuk, eddig: {until}.',
  'booking.patientCreated':
    'A pácienst felvettük és kiválasztottuk. Ellenőrizze az adatokat, majd nyomja meg a Mentés gombot.',
  'booking.cancelled': 'A lefoglalást visszavontuk, az időpont felszabadult.',
  'booking.ended': 'Ez a lefoglalás lezárult: elmentették, visszavonták vagy lejárt.',
  'booking.weekInvalid': 'A hetet dátumként adja meg (ÉÉÉÉ-HH-NN).',

  'booking.slotTaken': 'Ezt az időpontot az imént lefoglalták. Kérjük, válasszon másikat.',
  'booking.noLongerPartner': 'Ez a szolgáltatás itt már nem engedélyezett ennek a partnernek.',
  'booking.noLongerChannel': 'Ez a szolgáltatás itt már nem engedélyezett ezen a csatornán.',
  'booking.inactive': 'Ez a szolgáltatás, orvos, intézmény vagy partner már nem foglalható.',
  'booking.slotPast': 'Ez az időpont már elmúlt. Kérjük, válasszon másikat.',
  'booking.tooShort':
    'Ettől az időponttól nincs elég szabad idő a szolgáltatáshoz. Kérjük, válasszon másik kezdést.',
  'booking.holdGone':
    'Ez a lefoglalás lezárult: lejárt, és az időpontját más foglalta le, vagy visszavonták. Kérjük, válasszon újra időpontot.',
  'booking.patientMissing': 'Kérjük, válasszon pácienst, vagy vegyen fel újat.',
  'booking.mayNotBook': 'Itt már nem foglalhat. Ha ez tévedés, forduljon egy adminisztrátorhoz.',
  'booking.overlap':
    'Ennek a páciensnek már van foglalása erre az időre. Jelölje be a Foglalás mégis mezőt, és nyomja meg a Mentés gombot egy második foglaláshoz, vagy válasszon másik időpontot.',
  'booking.overlapForPartnerUser':
    'Ennek a páciensnek már van foglalása erre az időre, ezért nem foglaltunk. Kérjük, válasszon másik időpontot, vagy forduljon a klinikához.',
  'booking.otherPartnerHold':
    'Ezt a lefoglalást egy másik partnernek készítették, mint akihez most tartozik. Nem foglaltunk; kérjük, válasszon újra időpontot.',

  'booking.unknownPartner': 'Ez a partner nem létezik, vagy nem aktív.',
  'booking.ownPartnerOnly': 'Csak a saját partnere számára foglalhat.',
  'booking.unknownChannel': 'Ez a forgalmi csatorna nem létezik, vagy nem aktív klinikai csatorna.',
  'booking.unknownInstitution': 'Ez az intézmény nem létezik.',
  'booking.institutionForbidden': 'Ebben az intézményben nem foglalhat.',
  'booking.unknownQualification': 'Ez a szakterület nem létezik.',
  'booking.unknownDoctor': 'Ez az orvos nem létezik.',
  'booking.unknownService': 'Ez a szolgáltatás nem létezik.',
};
