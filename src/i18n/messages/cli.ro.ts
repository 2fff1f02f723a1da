/** Română: instrumentele din linia de comandă (copie de siguranță, administrator, migrare, intervale). */
import type { CliKey } from './cli.en';

export const cliRo: Record<CliKey, string> = {
  'cli.backup.usage':
    'Utilizare: npm run backup -- [--force] FIȘIER\n  Scrie în FIȘIER o copie de siguranță, din mers, a bazei de date configurate (DATABASE_FILE).',
  'cli.backup.unknownOption': 'Opțiune necunoscută: {option}',
  'cli.backup.exists': '{file} există deja. Alegeți alt nume sau adăugați --force pentru a-l suprascrie.',
  'cli.backup.noDatabase':
    'Nu există nicio bază de date la {file}. Setați DATABASE_FILE la baza de date de salvat.',
  'cli.backup.noDirectory': 'Directorul {dir} nu există.',
  'cli.backup.inMemory': 'DATABASE_FILE este :memory:, nu există nimic pe disc de salvat.',
  'cli.backup.sameFile': 'FIȘIER este chiar baza de date. Alegeți alt nume.',
  'cli.backup.postgres':
    'DATABASE_URL indică o bază de date PostgreSQL: npm run backup scrie doar fișiere SQLite. Salvați-o cu\n' +
    '  pg_dump --format=custom --file=FIȘIER "$DATABASE_URL"\n' +
    'și restaurați-o cu pg_restore (README, copia de siguranță și restaurarea PostgreSQL).',
  'cli.backup.start': 'Se salvează {from} în {to}',
  'cli.backup.stale': '  S-a șters {file}, rămas de la o copie de siguranță anterioară care a fost oprită.',
  'cli.backup.phase.copying': '  Se copiază o imagine a bazei de date...',
  'cli.backup.phase.checking': '  Se verifică copia (integrity_check)...',
  'cli.backup.phase.finishing': '  Se scrie copia pe disc și se redenumește la locul ei...',
  'cli.backup.progress': '  {percent}% ({done}/{total} pagini)',
  'cli.backup.progressBytes': '  {percent}% ({done}/{total} pagini, {mib} MiB scriși)',
  'cli.backup.copyStopped': 'copierea s-a oprit (cod de ieșire {code})',
  'cli.backup.integrityFailed': 'Copia de siguranță nu a trecut verificarea integrității: {result}',
  'cli.backup.done':
    'Copia de siguranță a fost scrisă: {file} ({kib} KiB) în {ms} ms. Verificarea integrității: în regulă.',
  'cli.backup.doneBookings':
    'Copia de siguranță a fost scrisă: {file} ({kib} KiB, {bookings, plural, one {# programare} few {# programări} other {# de programări}}) în {ms} ms. Verificarea integrității: în regulă.',
  'cli.backup.failed': 'Copia de siguranță a eșuat: {reason}',

  'cli.admin.usage': 'Utilizare: npm run create-admin -- --username NUME',
  'cli.admin.badName':
    'Numele de utilizator trebuie să aibă 3–64 de litere, cifre, puncte, cratime sau liniuțe de subliniere.',
  'cli.admin.weak':
    'Refuzat: parola trebuie să aibă cel puțin 10 caractere, să difere de numele de utilizator și să nu fie o parolă uzuală sau demonstrativă.',
  'cli.admin.mismatch': 'Refuzat: cele două parole diferă.',
  'cli.admin.taken': 'Refuzat: numele de utilizator {name} este deja folosit.',
  'cli.admin.created': 'Administratorul {name} a fost creat. Autentificați-vă cu el la adresa clinicii.',
  'cli.admin.password': 'Parolă: ',
  'cli.admin.repeat': 'Repetați parola: ',

  'cli.migrate.doneFile': 'Baza de date {file} este la zi.',
  'cli.migrate.doneUrl': 'Baza de date de la DATABASE_URL este la zi.',

  'cli.slots.usage':
    'Utilizare: npm run slots -- --from AAAA-LL-ZZ --to AAAA-LL-ZZ [--schedule ID]\n' +
    '  --from       prima zi locală pentru care se generează (inclusiv)\n' +
    '  --to         ultima zi locală (inclusiv), cel mult 5 ani după --from\n' +
    '  --schedule   doar acest program (ID-ul lui, așa cum apare pe pagina programului)',
  'cli.slots.unknownArgument': 'Argument necunoscut: {arg}',
  'cli.slots.needsValue': '--{option} are nevoie de o valoare.',
  'cli.slots.bothRequired': 'Sunt necesare atât --from, cât și --to.',
  'cli.slots.notDate': '--{option} nu este o dată (AAAA-LL-ZZ): {value}',
  'cli.slots.dateRange': '--{option} trebuie să fie o dată din anii {min}–{max}: {value}',
  'cli.slots.toBeforeFrom': '--to nu poate fi înainte de --from.',
  'cli.slots.rangeTooLong': 'Intervalul poate fi de cel mult 5 ani.',
  'cli.slots.notId': '--schedule nu este un ID: {value}',
  'cli.slots.noSchedule': 'Nu există niciun program cu ID-ul {id}.',
  'cli.slots.generating': 'Se generează intervale de la {from} până la {to}...',
  'cli.slots.generatingSchedule': 'Se generează intervale de la {from} până la {to} pentru programul {id}...',
  'cli.slots.bar': 'Intervale [{bar}] {percentage}% | {value}/{total} luni-program',
  'cli.slots.progress': '  {done}/{total} luni-program gata',
};
