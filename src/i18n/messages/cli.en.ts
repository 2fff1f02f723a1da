/**
 * The command-line tools (src/cli: backup, create-admin, migrate, slots): usage texts, refusals,
 * prompts and progress lines, in the clinic's language. Spread into the English catalogue (./en.ts).
 */
export const cliEn = {
  'cli.backup.usage':
    'Usage: npm run backup -- [--force] FILE\n  Writes an online backup of the configured database (DATABASE_FILE) to FILE.',
  'cli.backup.unknownOption': 'Unknown option {option}',
  'cli.backup.exists': '{file} already exists. Choose another name, or add --force to overwrite it.',
  'cli.backup.noDatabase': 'There is no database at {file}. Set DATABASE_FILE to the database to back up.',
  'cli.backup.noDirectory': 'The directory {dir} does not exist.',
  'cli.backup.inMemory': 'DATABASE_FILE is :memory:, there is nothing on disk to back up.',
  'cli.backup.sameFile': 'FILE is the database itself. Choose another name.',
  'cli.backup.postgres':
    'DATABASE_URL names a PostgreSQL database: npm run backup writes SQLite files only. Back it up with\n' +
    '  pg_dump --format=custom --file=FILE "$DATABASE_URL"\n' +
    'and restore with pg_restore (README, PostgreSQL backup and restore).',
  'cli.backup.start': 'Backing up {from} to {to}',
  'cli.backup.stale': '  Removed {file}, left behind by an earlier backup that was stopped.',
  'cli.backup.phase.copying': '  Copying a snapshot of the database...',
  'cli.backup.phase.checking': '  Checking the copy (integrity_check)...',
  'cli.backup.phase.finishing': '  Writing the copy to disk and renaming it into place...',
  'cli.backup.progress': '  {percent}% ({done}/{total} pages)',
  'cli.backup.progressBytes': '  {percent}% ({done}/{total} pages, {mib} MiB written)',
  'cli.backup.copyStopped': 'the copy stopped (exit {code})',
  'cli.backup.integrityFailed': 'The backup failed its integrity check: {result}',
  'cli.backup.done': 'Backup written: {file} ({kib} KiB) in {ms} ms. Integrity check: ok.',
  'cli.backup.doneBookings':
    'Backup written: {file} ({kib} KiB, {bookings, plural, one {# booking} other {# bookings}}) in {ms} ms. Integrity check: ok.',
  'cli.backup.failed': 'Backup failed: {reason}',

  'cli.admin.usage': 'Usage: npm run create-admin -- --username NAME',
  'cli.admin.badName': 'The user name must be 3-64 letters, digits, dots, dashes or underscores.',
  'cli.admin.weak':
    'Refused: the password must have at least 10 characters, differ from the user name and not be a common or demo password.',
  'cli.admin.mismatch': 'Refused: the two passwords differ.',
  'cli.admin.taken': 'Refused: the user name {name} is already taken.',
  'cli.admin.created': "Created the administrator {name}. Log in at the clinic's address with it.",
  'cli.admin.password': 'Password: ',
  'cli.admin.repeat': 'Repeat the password: ',

  'cli.migrate.doneFile': 'Database {file} is up to date.',
  'cli.migrate.doneUrl': 'Database at DATABASE_URL is up to date.',

  'cli.slots.usage':
    'Usage: npm run slots -- --from YYYY-MM-DD --to YYYY-MM-DD [--schedule ID]\n' +
    '  --from       first local date to generate (inclusive)\n' +
    '  --to         last local date to generate (inclusive), at most 5 years after --from\n' +
    '  --schedule   only this schedule (its id, as shown on the schedule page)',
  'cli.slots.unknownArgument': 'Unknown argument: {arg}',
  'cli.slots.needsValue': '--{option} needs a value.',
  'cli.slots.bothRequired': 'Both --from and --to are required.',
  'cli.slots.notDate': '--{option} is not a date (YYYY-MM-DD): {value}',
  'cli.slots.dateRange': '--{option} must be a date in the years {min} to {max}: {value}',
  'cli.slots.toBeforeFrom': '--to must not be before --from.',
  'cli.slots.rangeTooLong': 'The range may be at most 5 years.',
  'cli.slots.notId': '--schedule is not an id: {value}',
  'cli.slots.noSchedule': 'There is no schedule with id {id}.',
  'cli.slots.generating': 'Generating slots from {from} to {to}...',
  'cli.slots.generatingSchedule': 'Generating slots from {from} to {to} for schedule {id}...',
  'cli.slots.bar': 'Slots [{bar}] {percentage}% | {value}/{total} schedule-months',
  'cli.slots.progress': '  {done}/{total} schedule-months done',
} as const;

export type CliKey = keyof typeof cliEn;
