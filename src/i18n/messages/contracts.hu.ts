/** Magyar: partnerszerződések. Every key of ./contracts.en.ts (the type makes the compiler check it). */
import type { ContractsKey } from './contracts.en';

export const contractsHu: Record<ContractsKey, string> = {
  'settings.allotments': 'Keretek',
  'settings.allotments.description':
    'Legfeljebb N foglalás partnerenként, szolgáltatásonként, naponta, hetente vagy havonta.',
  'settings.reservedBlocks': 'Fenntartott blokkok',
  'settings.reservedBlocks.description':
    'Egy partnernek fenntartott idősávok, a kezdésük előtti néhány napig vagy óráig.',

  'contracts.enabledFrom': '{channel} számára {from} naptól engedélyezve.',
  'contracts.enabledUntil': '{channel} számára {to} napig engedélyezve.',
  'contracts.enabledBetween': '{channel} számára {from} és {to} között engedélyezve.',
  'contracts.leftMonth':
    '{left, plural, one {{month}: {cap} helyből # maradt} other {{month}: {cap} helyből # maradt}}',
  'contracts.leftWeek':
    '{left, plural, one {A(z) {day} kezdetű héten {cap} helyből # maradt} other {A(z) {day} kezdetű héten {cap} helyből # maradt}}',
  'contracts.leftDay':
    '{left, plural, one {{day}: {cap} helyből # maradt} other {{day}: {cap} helyből # maradt}}',
  'contracts.reservedFor': 'Fenntartva: {partner}',
  'contracts.stateReserved': 'Fenntartva',
  'contracts.stateUnavailable': 'Nem elérhető',
  'contracts.stateFull': 'A keret elfogyott',

  'contracts.outsideFrom':
    'Ez a szolgáltatás itt {channel} számára csak {from} naptól engedélyezett. Kérjük, válasszon későbbi napot.',
  'contracts.outsideTo':
    'Ez a szolgáltatás itt {channel} számára csak {to} napig engedélyezett. Kérjük, válasszon korábbi napot.',
  'contracts.reservedForOther': 'Másik partnernek fenntartva',
  'contracts.reservedForOtherRefusal':
    'Ez az időpont egy másik partner számára fenntartott eddig: {until}. Kérjük, válasszon másikat.',
  'contracts.reservedRefusal':
    'Ez az időpont {partner} számára fenntartott eddig: {until}. Kérjük, válasszon másikat.',
  'contracts.allotmentFull':
    '{partner} kerete elfogyott: {cap} foglalás ebben az időszakban: {period}. Nem jött létre foglalás; kérjük, válasszon időpontot egy másik időszakban.',

  'contracts.form.date': 'Adjon meg egy dátumot (pl. 2027-01-31), vagy hagyja üresen.',
  'contracts.form.dateRequired': 'Adjon meg egy dátumot, pl. 2027-01-31.',
  'contracts.form.toBeforeFrom': 'A záró dátum nem lehet korábbi a kezdő dátumnál.',
  'contracts.form.target': 'Válasszon szolgáltatást vagy szakterületet.',
  'contracts.form.period': 'Válasszon: nap, hét vagy hónap.',
  'contracts.form.cap': 'Adjon meg egy egész számot 0 és 100000 között.',
  'contracts.form.weekdays': 'Jelöljön be legalább egy napot.',
  'contracts.form.time': 'Adjon meg egy időpontot, pl. 08:00.',
  'contracts.form.toTime': 'A záró időpontnak a kezdő után kell lennie.',
  'contracts.form.release': 'Adjon meg egy egész számot 0 és 8760 között.',
  'contracts.form.releaseUnit': 'Válasszon: nap vagy óra.',
  'contracts.notTicked':
    'Előbb jelölje be ezt a cellát a táblázatban: csak bejelölt cellának lehet érvényessége.',
  'contracts.unknown': 'Ez a választás nem létezik, vagy nem aktív.',
  'contracts.allotmentGone': 'Ez a keret nem létezik.',
  'contracts.blockGone': 'Ez a fenntartott blokk nem létezik.',
  'contracts.saved': 'Mentve.',
  'contracts.deleted': 'Törölve.',

  'contracts.cellFrom': '{from} naptól',
  'contracts.cellUntil': '{to} napig',
  'contracts.cellBetween': '{from} és {to} között',
  'contracts.editDates': 'Dátumok',
  'contracts.validityTitle': '{service} érvényessége: {channel}',
  'contracts.validFrom': 'Érvényes ettől',
  'contracts.validTo': 'Érvényes eddig',
  'contracts.validityHint':
    'Időpontok dátuma ennél az intézménynél. Üres dátum: azon az oldalon nincs korlát; mindkettő üres: a korlátok törlése.',
  'contracts.cancelEdit': 'Mégse',

  'contracts.allotments': 'Keretek',
  'contracts.allotmentsIntro':
    'A keret korlátozza, hány aktív foglalása lehet egy partnernek egy szolgáltatásra (vagy egy szakterület minden szolgáltatására) egy intézményben naponta, hetente vagy havonta, az időpont dátuma szerint.',
  'contracts.noAllotments': 'Még nincs keret.',
  'contracts.serviceOrQualification': 'Szolgáltatás vagy szakterület',
  'contracts.services': 'Szolgáltatások',
  'contracts.qualifications': 'Szakterületek',
  'contracts.qualificationName': '{name} minden szolgáltatása',
  'contracts.period': 'Időszak',
  'contracts.period.day': 'Nap',
  'contracts.period.week': 'Hét',
  'contracts.period.month': 'Hónap',
  'contracts.cap': 'Legfeljebb ennyi foglalás',
  'contracts.capHint': 'Időszakonként. Csökkentése nem mond le foglalást; az időszak csak többet nem fogad.',
  'contracts.actions': 'Műveletek',
  'contracts.delete': 'Törlés',
  'contracts.edit': 'Módosítás',
  'contracts.deleteAllotmentConfirm': 'Törli ezt a keretet?',
  'contracts.newAllotment': 'Új keret',
  'contracts.addAllotment': 'Keret hozzáadása',

  'contracts.reservedBlocks': 'Fenntartott blokkok',
  'contracts.blocksIntro':
    'A fenntartott blokk egy orvos idősávjait tartja fenn egy partnernek. Más partnerek és a klinika fenntartottnak látják őket az egyes idősávok előtti feloldásig; utána mindenki számára szabadok.',
  'contracts.noBlocks': 'Még nincs fenntartott blokk.',
  'contracts.newBlock': 'Új fenntartott blokk',
  'contracts.editBlock': 'A fenntartott blokk módosítása',
  'contracts.doctor': 'Orvos',
  'contracts.weekdays': 'Napok',
  'contracts.weekday.1': 'hétfő',
  'contracts.weekday.2': 'kedd',
  'contracts.weekday.3': 'szerda',
  'contracts.weekday.4': 'csütörtök',
  'contracts.weekday.5': 'péntek',
  'contracts.weekday.6': 'szombat',
  'contracts.weekday.7': 'vasárnap',
  'contracts.weekdayShort.1': 'H',
  'contracts.weekdayShort.2': 'K',
  'contracts.weekdayShort.3': 'Sze',
  'contracts.weekdayShort.4': 'Cs',
  'contracts.weekdayShort.5': 'P',
  'contracts.weekdayShort.6': 'Szo',
  'contracts.weekdayShort.7': 'V',
  'contracts.fromTime': 'Kezdő időpont',
  'contracts.toTime': 'Záró időpont',
  'contracts.dateFrom': 'Első nap',
  'contracts.dateTo': 'Utolsó nap',
  'contracts.releaseValue': 'Feloldás az idősáv előtt',
  'contracts.releaseUnit': 'Egység',
  'contracts.unit.days': 'nap',
  'contracts.unit.hours': 'óra',
  'contracts.releaseHint':
    'Például 3 nap: egy pénteki 09:00-s idősáv keddtől 09:00-tól mindenki számára szabad.',
  'contracts.when': 'Mikor',
  'contracts.release': 'Feloldás',
  'contracts.releaseBefore.days': '{n, plural, one {# nappal előtte} other {# nappal előtte}}',
  'contracts.releaseBefore.hours': '{n, plural, one {# órával előtte} other {# órával előtte}}',
  'contracts.used': 'A partner foglalásai',
  'contracts.usedOf': '{slots} idősávból {booked} ({percent} %)',
  'contracts.deleteBlockConfirm': 'Törli ezt a fenntartott blokkot?',
  'contracts.blockUsage': 'Fenntartott blokkok kihasználása',
  'contracts.blockUsageIntro':
    'Mennyit foglalt a partner az egyes fenntartott blokkokból: a partner által foglalt idősávok a blokk összes idősávjából.',
};
