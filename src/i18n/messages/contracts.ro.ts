/** Română: contractele partenerilor. Every key of ./contracts.en.ts (the type makes the compiler check it). */
import type { ContractsKey } from './contracts.en';

export const contractsRo: Record<ContractsKey, string> = {
  'settings.allotments': 'Cote',
  'settings.allotments.description': 'Cel mult N programări pe partener, serviciu și zi, săptămână sau lună.',
  'settings.reservedBlocks': 'Blocuri rezervate',
  'settings.reservedBlocks.description':
    'Intervale ținute pentru un partener până cu câteva zile sau ore înainte de început.',

  'contracts.enabledFrom': 'Activat pentru {channel} începând cu {from}.',
  'contracts.enabledUntil': 'Activat pentru {channel} până la {to}.',
  'contracts.enabledBetween': 'Activat pentru {channel} între {from} și {to}.',
  'contracts.leftMonth':
    '{left, plural, one {{month}: a rămas # din {cap}} few {{month}: au rămas # din {cap}} other {{month}: au rămas # din {cap}}}',
  'contracts.leftWeek':
    '{left, plural, one {Săptămâna din {day}: a rămas # din {cap}} few {Săptămâna din {day}: au rămas # din {cap}} other {Săptămâna din {day}: au rămas # din {cap}}}',
  'contracts.leftDay':
    '{left, plural, one {{day}: a rămas # din {cap}} few {{day}: au rămas # din {cap}} other {{day}: au rămas # din {cap}}}',
  'contracts.reservedFor': 'Rezervat pentru {partner}',
  'contracts.stateReserved': 'Rezervat',
  'contracts.stateUnavailable': 'Indisponibil',
  'contracts.stateFull': 'Cota este epuizată',

  'contracts.outsideFrom':
    'Acest serviciu este activat aici pentru {channel} doar începând cu {from}. Alegeți o dată ulterioară.',
  'contracts.outsideTo':
    'Acest serviciu este activat aici pentru {channel} doar până la {to}. Alegeți o dată anterioară.',
  'contracts.reservedForOther': 'Rezervat pentru alt partener',
  'contracts.reservedForOtherRefusal':
    'Acest interval este rezervat pentru alt partener până la {until}. Vă rugăm să alegeți altul.',
  'contracts.reservedRefusal':
    'Acest interval este rezervat pentru {partner} până la {until}. Alegeți altul.',
  'contracts.allotmentFull':
    'Cota partenerului {partner} este epuizată: {cap} programări în {period}. Nu s-a făcut nicio programare; alegeți un interval din altă perioadă.',

  'contracts.form.date': 'Introduceți o dată ca 2027-01-31 sau lăsați câmpul gol.',
  'contracts.form.dateRequired': 'Introduceți o dată ca 2027-01-31.',
  'contracts.form.toBeforeFrom': 'Data de sfârșit nu poate fi înaintea datei de început.',
  'contracts.form.target': 'Alegeți un serviciu sau o specialitate.',
  'contracts.form.period': 'Alegeți zi, săptămână sau lună.',
  'contracts.form.cap': 'Introduceți un număr întreg între 0 și 100000.',
  'contracts.form.weekdays': 'Bifați cel puțin o zi a săptămânii.',
  'contracts.form.time': 'Introduceți o oră ca 08:00.',
  'contracts.form.toTime': 'Ora de sfârșit trebuie să fie după ora de început.',
  'contracts.form.release': 'Introduceți un număr întreg între 0 și 8760.',
  'contracts.form.releaseUnit': 'Alegeți zile sau ore.',
  'contracts.notTicked':
    'Bifați mai întâi această celulă în tabel: doar o celulă bifată are date de valabilitate.',
  'contracts.unknown': 'Această opțiune nu există sau nu este activă.',
  'contracts.allotmentGone': 'Această cotă nu există.',
  'contracts.blockGone': 'Acest bloc rezervat nu există.',
  'contracts.saved': 'Salvat.',
  'contracts.deleted': 'Șters.',

  'contracts.cellFrom': 'din {from}',
  'contracts.cellUntil': 'până la {to}',
  'contracts.cellBetween': 'între {from} și {to}',
  'contracts.editDates': 'Valabilitate',
  'contracts.validityTitle': 'Valabilitatea serviciului {service} pentru {channel}',
  'contracts.validFrom': 'Valabil de la',
  'contracts.validTo': 'Valabil până la',
  'contracts.validityHint':
    'Datele programărilor la această instituție. O dată goală înseamnă fără limită pe acea parte; ambele goale elimină limitele.',
  'contracts.cancelEdit': 'Renunță',

  'contracts.allotments': 'Cote',
  'contracts.allotmentsIntro':
    'O cotă limitează programările active pe care un partener le poate avea pentru un serviciu (sau pentru toate serviciile unei specialități) la o instituție pe zi, săptămână sau lună, după data programării.',
  'contracts.noAllotments': 'Nicio cotă încă.',
  'contracts.serviceOrQualification': 'Serviciu sau specialitate',
  'contracts.services': 'Servicii',
  'contracts.qualifications': 'Specialități',
  'contracts.qualificationName': 'Toate serviciile: {name}',
  'contracts.period': 'Perioadă',
  'contracts.period.day': 'Zi',
  'contracts.period.week': 'Săptămână',
  'contracts.period.month': 'Lună',
  'contracts.cap': 'Cel mult atâtea programări',
  'contracts.capHint':
    'Pe perioadă. Micșorarea nu anulează nicio programare; perioada doar nu mai primește altele.',
  'contracts.actions': 'Acțiuni',
  'contracts.delete': 'Șterge',
  'contracts.edit': 'Modifică',
  'contracts.deleteAllotmentConfirm': 'Ștergeți această cotă?',
  'contracts.newAllotment': 'Cotă nouă',
  'contracts.addAllotment': 'Adaugă cota',

  'contracts.reservedBlocks': 'Blocuri rezervate',
  'contracts.blocksIntro':
    'Un bloc rezervat ține intervalele unui medic pentru un partener. Ceilalți parteneri și clinica le văd rezervate până la eliberarea dinaintea fiecărui interval; apoi sunt libere pentru toți.',
  'contracts.noBlocks': 'Niciun bloc rezervat încă.',
  'contracts.newBlock': 'Bloc rezervat nou',
  'contracts.editBlock': 'Modificarea blocului rezervat',
  'contracts.doctor': 'Medic',
  'contracts.weekdays': 'Zilele săptămânii',
  'contracts.weekday.1': 'luni',
  'contracts.weekday.2': 'marți',
  'contracts.weekday.3': 'miercuri',
  'contracts.weekday.4': 'joi',
  'contracts.weekday.5': 'vineri',
  'contracts.weekday.6': 'sâmbătă',
  'contracts.weekday.7': 'duminică',
  'contracts.weekdayShort.1': 'lun.',
  'contracts.weekdayShort.2': 'mar.',
  'contracts.weekdayShort.3': 'mie.',
  'contracts.weekdayShort.4': 'joi',
  'contracts.weekdayShort.5': 'vin.',
  'contracts.weekdayShort.6': 'sâm.',
  'contracts.weekdayShort.7': 'dum.',
  'contracts.fromTime': 'De la (ora)',
  'contracts.toTime': 'Până la (ora)',
  'contracts.dateFrom': 'Prima zi',
  'contracts.dateTo': 'Ultima zi',
  'contracts.releaseValue': 'Eliberare înainte de interval',
  'contracts.releaseUnit': 'Unitate',
  'contracts.unit.days': 'zile',
  'contracts.unit.hours': 'ore',
  'contracts.releaseHint':
    'De exemplu 3 zile: un interval de vineri 09:00 este liber pentru toți de marți 09:00.',
  'contracts.when': 'Când',
  'contracts.release': 'Eliberare',
  'contracts.releaseBefore.days':
    '{n, plural, one {cu # zi înainte} few {cu # zile înainte} other {cu # de zile înainte}}',
  'contracts.releaseBefore.hours':
    '{n, plural, one {cu # oră înainte} few {cu # ore înainte} other {cu # de ore înainte}}',
  'contracts.used': 'Folosit de partener',
  'contracts.usedOf': '{booked} din {slots} intervale ({percent} %)',
  'contracts.deleteBlockConfirm': 'Ștergeți acest bloc rezervat?',
  'contracts.blockUsage': 'Utilizarea blocurilor rezervate',
  'contracts.blockUsageIntro':
    'Cât a programat partenerul din fiecare bloc rezervat: intervalele programate de acel partener, din toate intervalele blocului.',
};
