/** Română: the booking flow. Every key of ./booking.en.ts (the type makes the compiler check it). */
import type { BookingKey } from './booking.en';

export const bookingRo: Record<BookingKey, string> = {
  'booking.titlePartner': 'Programare pentru partener',
  'booking.titleClinic': 'Calendar',
  'booking.titleDialog': 'Alegerea pacientului',
  'booking.titleNotBooked': 'Programarea nu a fost făcută',
  'booking.titleConfirmed': 'Programare confirmată',
  'booking.titleEnded': 'Rezervarea s-a încheiat',

  'booking.bookingFor': 'Programare pentru <b>{name}</b>: alegeți un interval și apăsați Începe rezervarea.',
  'booking.partner': 'Partener',
  'booking.choosePartnerOption': 'Alegeți partenerul',
  'booking.channel': 'Canal',
  'booking.institution': 'Instituție',
  'booking.chooseInstitutionOption': 'Alegeți instituția',
  'booking.qualification': 'Specialitate',
  'booking.anyQualification': 'Orice specialitate',
  'booking.institutionFirst': 'Alegeți mai întâi instituția',
  'booking.doctor': 'Medic',
  'booking.anyDoctor': 'Orice medic',
  'booking.service': 'Serviciu',
  'booking.chooseServiceOption': 'Alegeți serviciul',
  'booking.show': 'Afișează',
  'booking.weeks': 'Săptămâni',
  'booking.previousWeek': 'Săptămâna anterioară',
  'booking.thisWeek': 'Săptămâna curentă',
  'booking.nextWeek': 'Săptămâna următoare',
  'booking.zoneTime': '(ora {zone})',
  'booking.weekLabel': '{first} \u2013 {last} {year}',
  'booking.start': 'Începe rezervarea',
  'booking.noSlotsDay': 'Niciun interval',
  'booking.free': 'Liber {time}',
  'booking.stateShort': 'Prea scurt',
  'booking.stateTaken': 'Ocupat',
  'booking.stateHeld': 'Rezervat temporar',
  'booking.stateBlocked': 'Blocat',
  'booking.statePast': 'Trecut',

  'booking.reservedUntilWarning':
    'Rezervat până la <b>{until}</b>, {left}. Apăsați acum Salvează, altfel intervalul va fi oferit altora.',
  'booking.reservedUntil': 'Rezervat până la <b>{until}</b>, {left}',
  'booking.minutesLeft':
    '{minutes, plural, one {a mai rămas # minut} few {au mai rămas # minute} other {au mai rămas # de minute}}',
  'booking.timeEnded': 'Timpul rezervării s-a încheiat la {time}.',
  'booking.timeEndedRenewable': 'Salvarea va reuși totuși dacă între timp nimeni nu a ocupat intervalul.',
  'booking.timeEndedGone': 'Intervalul nu mai este liber: reveniți la calendar și alegeți altul.',
  'booking.renew': 'Rezervă din nou același interval',
  'booking.backToCalendar': 'Înapoi la calendar',

  'booking.reservation': 'Rezervare',
  'booking.date': 'Data',
  'booking.time': 'Ora',
  'booking.partnerBooking': 'Programare prin partener',
  'booking.patient': 'Pacient',
  'booking.searchPatient': 'Caută pacient',
  'booking.search': 'Caută',
  'booking.stepHint':
    'Alegeți un pacient găsit mai sus sau completați mai jos Pacient nou: Salvează programează pacientul ales sau îl înregistrează pe cel nou și îl programează.',
  'booking.overlapList': 'Pacientul are deja o programare într-un interval suprapus:',
  'booking.bookAnyway': 'Programează oricum',
  'booking.save': 'Salvează',
  'booking.newPatient': 'Pacient nou',
  'booking.addPatient': 'Adaugă pacient nou',
  'booking.cancelReservation': 'Anulează rezervarea',

  'booking.saved': 'Programarea a fost salvată.',
  'booking.price': 'Preț',
  'booking.bookAnother': 'Încă o programare',
  'booking.bookings': 'Programări',
  'booking.home': 'Acasă',

  'booking.choosePartner': 'Vă rugăm să alegeți partenerul.',
  'booking.chooseInstitution': 'Vă rugăm să alegeți instituția.',
  'booking.chooseService': 'Vă rugăm să alegeți serviciul.',
  'booking.chooseSlot': 'Vă rugăm să alegeți un interval liber din calendar.',
  'booking.choiceChanged':
    'Opțiunile au fost modificate după afișarea calendarului, așa că nu s-a rezervat nimic. Iată calendarul pentru noile opțiuni: alegeți un interval și apăsați din nou Începe rezervarea.',
  'booking.noInstitutions':
    'Nicio instituție nu are un serviciu activat pentru această programare. Verificați coloana partenerului în meniul Canale de trafic.',
  'booking.pickService': 'Alegeți un serviciu pentru a vedea intervalele libere.',
  'booking.noSlots': 'Niciun program sau interval în această perioadă',
  'booking.notEnabledPartner':
    'Serviciul nu este activat pentru acest partener la această instituție. Verificați coloana partenerului în meniul Canale de trafic.',
  'booking.notEnabledChannel':
    'Serviciul nu este activat pentru acest canal la această instituție. Verificați coloana canalului în meniul Canale de trafic.',
  'booking.noInstitutionsForPartnerUser':
    'Nicio instituție nu are un serviciu activat pentru organizația dumneavoastră. Vă rugăm să contactați clinica.',
  'booking.notEnabledForPartnerUser':
    'Serviciul nu este activat pentru organizația dumneavoastră la această instituție. Vă rugăm să contactați clinica.',
  'booking.allTaken': 'Toate intervalele din această săptămână sunt ocupate',
  'booking.searchHint': 'Tastați cel puțin 2 litere din nume sau identificatorul.',
  'booking.renewed': 'Intervalul este rezervat din nou, până la {until}.',
  'booking.patientCreated': 'Pacientul a fost adăugat și selectat. Verificați datele și apăsați Salvează.',
  'booking.cancelled': 'Rezervarea a fost anulată, iar intervalul a fost eliberat.',
  'booking.ended': 'Această rezervare s-a încheiat: a fost salvată, anulată sau a expirat.',
  'booking.weekInvalid': 'Săptămâna trebuie să fie o dată (AAAA-LL-ZZ).',

  'booking.slotTaken': 'Acest interval tocmai a fost ocupat. Vă rugăm să alegeți altul.',
  'booking.noLongerPartner': 'Serviciul nu mai este activat aici pentru acest partener.',
  'booking.noLongerChannel': 'Serviciul nu mai este activat aici pentru acest canal.',
  'booking.inactive':
    'Serviciul, medicul, instituția sau partenerul nu mai este disponibil pentru programări.',
  'booking.slotPast': 'Acest interval a trecut deja. Vă rugăm să alegeți altul.',
  'booking.tooShort':
    'De la acest interval nu există suficient timp liber pentru serviciu. Vă rugăm să alegeți altă oră de început.',
  'booking.holdGone':
    'Această rezervare s-a încheiat: a expirat și intervalul a fost rezervat de altcineva, sau a fost anulată. Vă rugăm să alegeți din nou un interval.',
  'booking.patientMissing': 'Vă rugăm să alegeți un pacient sau să adăugați unul nou.',
  'booking.mayNotBook':
    'Nu mai puteți face programări aici. Dacă este o greșeală, contactați un administrator.',
  'booking.overlap':
    'Pacientul are deja o programare la această oră. Bifați Programează oricum și apăsați Salvează pentru o a doua programare, sau alegeți alt interval.',
  'booking.overlapForPartnerUser':
    'Pacientul are deja o programare la această oră, așa că nu s-a programat nimic. Vă rugăm să alegeți alt interval sau să contactați clinica.',
  'booking.otherPartnerHold':
    'Această rezervare a fost făcută pentru alt partener decât cel căruia îi aparțineți acum. Nu s-a programat nimic; vă rugăm să alegeți din nou un interval.',

  'booking.unknownPartner': 'Acest partener nu există sau nu este activ.',
  'booking.ownPartnerOnly': 'Puteți face programări doar pentru propriul partener.',
  'booking.unknownChannel': 'Acest canal de trafic nu există sau nu este un canal activ al clinicii.',
  'booking.unknownInstitution': 'Această instituție nu există.',
  'booking.institutionForbidden': 'Nu puteți face programări la această instituție.',
  'booking.unknownQualification': 'Această specialitate nu există.',
  'booking.unknownDoctor': 'Acest medic nu există.',
  'booking.unknownService': 'Acest serviciu nu există.',
};
