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
import { translatorFor, type Translate } from '../i18n';
import { cliLanguageOf, cliTranslator } from './language';

export const usage = translatorFor('en')('cli.slots.usage');

export type SlotsArgs = { from: string; to: string; scheduleId?: number };

/** Parses the command line; returns an error message instead of throwing. */
export function parseSlotsArgs(
  argv: string[],
  t: Translate = translatorFor('en'),
): SlotsArgs | { error: string } {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const m = /^--(from|to|schedule)(?:=(.*))?$/.exec(arg);
    if (!m) return { error: t('cli.slots.unknownArgument', { arg }) };
    const value = m[2] ?? argv[++i];
    if (value === undefined || value.startsWith('--'))
      return { error: t('cli.slots.needsValue', { option: m[1] }) };
    values[m[1]] = value;
  }
  if (!values.from || !values.to) return { error: t('cli.slots.bothRequired') };
  for (const key of ['from', 'to'] as const) {
    const problem = dateProblem(values[key]);
    if (problem === 'format') return { error: t('cli.slots.notDate', { option: key, value: values[key] }) };
    if (problem === 'range')
      return {
        error: t('cli.slots.dateRange', {
          option: key,
          min: String(dateYears.min),
          max: String(dateYears.max),
          value: values[key],
        }),
      };
  }
  const from = calendarDay(values.from);
  const to = calendarDay(values.to);
  if (to < from) return { error: t('cli.slots.toBeforeFrom') };
  if (to > from.plus({ years: 5 })) return { error: t('cli.slots.rangeTooLong') };
  let scheduleId: number | undefined;
  if (values.schedule !== undefined) {
    if (!/^[1-9]\d{0,9}$/.test(values.schedule))
      return { error: t('cli.slots.notId', { value: values.schedule }) };
    scheduleId = Number(values.schedule);
  }
  return { from: values.from, to: values.to, scheduleId };
}

async function main(): Promise<number> {
  const config = loadConfig();
  // Every line in the clinic's language (Settings, else DEFAULT_LANGUAGE), like the result.
  const early = await cliTranslator(config);
  const args = parseSlotsArgs(process.argv.slice(2), early);
  if ('error' in args) {
    console.error(args.error);
    console.error(early('cli.slots.usage'));
    return 2;
  }
  if (config.databaseFile !== ':memory:') fs.mkdirSync(config.dataDir, { recursive: true });
  const db = openConfiguredDb(config);
  try {
    await migrate(db);
    const t = translatorFor(await cliLanguageOf(db, config));
    if (args.scheduleId && !(await findScheduleRow(db, args.scheduleId))) {
      console.error(t('cli.slots.noSchedule', { id: String(args.scheduleId) }));
      return 2;
    }
    console.log(
      args.scheduleId
        ? t('cli.slots.generatingSchedule', { from: args.from, to: args.to, id: String(args.scheduleId) })
        : t('cli.slots.generating', { from: args.from, to: args.to }),
    );
    const tty = Boolean(process.stdout.isTTY);
    const bar = tty
      ? new cliProgress.SingleBar(
          // cli-progress fills its own {bar} {percentage} {value} {total} tokens in.
          { format: t('cli.slots.bar') },
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
        console.log(t('cli.slots.progress', { done: String(done), total: String(total) }));
      }
    });
    if (bar && started) bar.stop();
    // The result, like the schedule page's, in the clinic's language (Settings, else DEFAULT_LANGUAGE).
    console.log(describeReport(report, t));
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
