/** Magyar: a parancssori eszközök (mentés, rendszergazda létrehozása, migrálás, időpontok generálása). */
import type { CliKey } from './cli.en';

export const cliHu: Record<CliKey, string> = {
  'cli.backup.usage':
    'Használat: npm run backup -- [--force] FÁJL\n  Működés közben elmenti a beállított adatbázist (DATABASE_FILE) a FÁJL-ba.',
  'cli.backup.unknownOption': 'Ismeretlen kapcsoló: {option}',
  'cli.backup.exists':
    'A(z) {file} már létezik. Válasszon másik nevet, vagy a felülíráshoz adja meg a --force kapcsolót.',
  'cli.backup.noDatabase': 'Nincs adatbázis itt: {file}. A DATABASE_FILE értéke legyen a mentendő adatbázis.',
  'cli.backup.noDirectory': 'A(z) {dir} mappa nem létezik.',
  'cli.backup.inMemory': 'A DATABASE_FILE értéke :memory:, a lemezen nincs mit menteni.',
  'cli.backup.sameFile': 'A FÁJL maga az adatbázis. Válasszon másik nevet.',
  'cli.backup.postgres':
    'A DATABASE_URL PostgreSQL-adatbázist jelöl: az npm run backup csak SQLite-fájlokat ír. Mentse így:\n' +
    '  pg_dump --format=custom --file=FÁJL "$DATABASE_URL"\n' +
    'és állítsa vissza a pg_restore paranccsal (README, PostgreSQL mentése és visszaállítása).',
  'cli.backup.start': '{from} mentése ide: {to}',
  'cli.backup.stale': '  Törölve: {file} (egy korábbi, leállított mentés maradványa).',
  'cli.backup.phase.copying': '  Pillanatkép másolása az adatbázisról...',
  'cli.backup.phase.checking': '  A másolat ellenőrzése (integrity_check)...',
  'cli.backup.phase.finishing': '  A másolat lemezre írása és átnevezése a helyére...',
  'cli.backup.progress': '  {percent}% ({done}/{total} lap)',
  'cli.backup.progressBytes': '  {percent}% ({done}/{total} lap, {mib} MiB kiírva)',
  'cli.backup.copyStopped': 'a másolás leállt (kilépési kód: {code})',
  'cli.backup.integrityFailed': 'A mentés nem ment át az épségellenőrzésen: {result}',
  'cli.backup.done': 'A mentés elkészült: {file} ({kib} KiB), {ms} ms alatt. Épségellenőrzés: rendben.',
  'cli.backup.doneBookings':
    'A mentés elkészült: {file} ({kib} KiB, {bookings, plural, one {# foglalás} other {# foglalás}}), {ms} ms alatt. Épségellenőrzés: rendben.',
  'cli.backup.failed': 'A mentés nem sikerült: {reason}',

  'cli.admin.usage': 'Használat: npm run create-admin -- --username NÉV',
  'cli.admin.badName':
    'A felhasználónév 3–64 karakter lehet: betűk, számjegyek, pontok, kötőjelek vagy aláhúzásjelek.',
  'cli.admin.weak':
    'Elutasítva: a jelszó legalább 10 karakter legyen, térjen el a felhasználónévtől, és ne legyen gyakori vagy bemutató jelszó.',
  'cli.admin.mismatch': 'Elutasítva: a két jelszó eltér.',
  'cli.admin.taken': 'Elutasítva: a(z) {name} felhasználónév már foglalt.',
  'cli.admin.created': 'A(z) {name} rendszergazda létrejött. Ezzel a névvel jelentkezzen be a klinika címén.',
  'cli.admin.password': 'Jelszó: ',
  'cli.admin.repeat': 'A jelszó még egyszer: ',

  'cli.migrate.doneFile': 'A(z) {file} adatbázis naprakész.',
  'cli.migrate.doneUrl': 'A DATABASE_URL által megadott adatbázis naprakész.',

  'cli.slots.usage':
    'Használat: npm run slots -- --from ÉÉÉÉ-HH-NN --to ÉÉÉÉ-HH-NN [--schedule AZONOSÍTÓ]\n' +
    '  --from       az első helyi nap, amelyre időpontok készülnek (vele együtt)\n' +
    '  --to         az utolsó helyi nap (vele együtt), legfeljebb 5 évvel a --from után\n' +
    '  --schedule   csak ez a rendelési rend (az azonosítója, ahogy a rendelési rend oldalán látható)',
  'cli.slots.unknownArgument': 'Ismeretlen argumentum: {arg}',
  'cli.slots.needsValue': 'A --{option} kapcsolónak érték kell.',
  'cli.slots.bothRequired': 'A --from és a --to egyaránt kötelező.',
  'cli.slots.notDate': 'A --{option} nem dátum (ÉÉÉÉ-HH-NN): {value}',
  'cli.slots.dateRange': 'A --{option} a {min}–{max} évek közötti dátum legyen: {value}',
  'cli.slots.toBeforeFrom': 'A --to nem lehet a --from előtt.',
  'cli.slots.rangeTooLong': 'Az időszak legfeljebb 5 év lehet.',
  'cli.slots.notId': 'A --schedule nem azonosító: {value}',
  'cli.slots.noSchedule': 'Nincs {id} azonosítójú rendelési rend.',
  'cli.slots.generating': 'Időpontok generálása {from} és {to} között...',
  'cli.slots.generatingSchedule': 'Időpontok generálása {from} és {to} között a(z) {id} rendelési rendhez...',
  'cli.slots.bar': 'Időpontok [{bar}] {percentage}% | {value}/{total} rendelési rend-hónap',
  'cli.slots.progress': '  {done}/{total} rendelési rend-hónap kész',
};
