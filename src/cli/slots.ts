/**
 * npm run slots -- --from 2026-12-01 --to 2026-12-31 [--schedule 3]
 *
 * Generates slots from the schedules for a range of local dates, against the configured
 * database. Idempotent, like the button on the schedule page. Shows a progress bar on a
 * terminal and plain lines otherwise (logs, cron). Exit 0 when done, 2 on bad arguments.
 */
import fs from 'node:fs';
import cliProgress from 'cli-progress';
import { loadConfig } from '../config';
import { migrate, openConfiguredDb } from '../lib/db';
import { calendarDay, dateProblem, dateYears } from '../lib/time';
import { describeReport, generateSlots } from '../schedules/slots.service';
import { systemClock } from '../lib/clock';
import { findScheduleRow } from '../schedules/schedules.queries';
import { translatorFor } from '../i18n';
import { clinicLanguage } from '../i18n/middleware';

export const usage = `Usage: npm run slots -- --from YYYY-MM-DD --to YYYY-MM-DD [--schedule ID]
  --from       first local date to generate (inclusive)
  --to         last local date to generate (inclusive), at most 5 years after --from
  --schedule   only this schedule (its id, as shown on the schedule page)`;

export type SlotsArgs = { from: string; to: string; scheduleId?: number };

/** Parses the command line; returns an error message instead of throwing. */
export function parseSlotsArgs(argv: string[]): SlotsArgs | { error: string } {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const m = /^--(from|to|schedule)(?:=(.*))?$/.exec(arg);
    if (!m) return { error: `Unknown argument: ${arg}` };
    const value = m[2] ?? argv[++i];
    if (value === undefined || value.startsWith('--')) return { error: `--${m[1]} needs a value.` };
    values[m[1]] = value;
  }
  if (!values.from || !values.to) return { error: 'Both --from and --to are required.' };
  for (const key of ['from', 'to'] as const) {
    const problem = dateProblem(values[key]);
    if (problem === 'format') return { error: `--${key} is not a date (YYYY-MM-DD): ${values[key]}` };
    if (problem === 'range')
      return {
        error: `--${key} must be a date in the years ${dateYears.min} to ${dateYears.max}: ${values[key]}`,
      };
  }
  const from = calendarDay(values.from);
  const to = calendarDay(values.to);
  if (to < from) return { error: '--to must not be before --from.' };
  if (to > from.plus({ years: 5 })) return { error: 'The range may be at most 5 years.' };
  let scheduleId: number | undefined;
  if (values.schedule !== undefined) {
    if (!/^[1-9]\d{0,9}$/.test(values.schedule))
      return { error: `--schedule is not an id: ${values.schedule}` };
    scheduleId = Number(values.schedule);
  }
  return { from: values.from, to: values.to, scheduleId };
}

async function main(): Promise<number> {
  const args = parseSlotsArgs(process.argv.slice(2));
  if ('error' in args) {
    console.error(args.error);
    console.error(usage);
    return 2;
  }
  const config = loadConfig();
  if (config.databaseFile !== ':memory:') fs.mkdirSync(config.dataDir, { recursive: true });
  const db = openConfiguredDb(config);
  try {
    await migrate(db);
    if (args.scheduleId && !(await findScheduleRow(db, args.scheduleId))) {
      console.error(`There is no schedule with id ${args.scheduleId}.`);
      return 2;
    }
    console.log(
      `Generating slots from ${args.from} to ${args.to}${args.scheduleId ? ` for schedule ${args.scheduleId}` : ''}...`,
    );
    const tty = Boolean(process.stdout.isTTY);
    const bar = tty
      ? new cliProgress.SingleBar(
          { format: 'Slots [{bar}] {percentage}% | {value}/{total} schedule-months' },
          cliProgress.Presets.shades_classic,
        )
      : null;
    let started = false;
    let lastLine = -1;
    const report = await generateSlots(db, systemClock, args, (done, total) => {
      if (bar) {
        if (!started) {
          bar.start(total, 0);
          started = true;
        }
        bar.update(done);
        return;
      }
      // Plain output: a line at every tenth of the way, not one per step.
      const tenth = Math.floor((done / total) * 10);
      if (tenth !== lastLine) {
        lastLine = tenth;
        console.log(`  ${done}/${total} schedule-months done`);
      }
    });
    if (bar && started) bar.stop();
    // The result, like the schedule page's, in the clinic's language (Settings, else DEFAULT_LANGUAGE).
    console.log(describeReport(report, translatorFor(await clinicLanguage(db, config))));
    return 0;
  } finally {
    await db.destroy();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
