/**
 * Statistics benchmark: `npm run bench`.
 *
 * Builds a throwaway SQLite file with the real migrations, inserts ~300,000 bookings over three
 * years (several institutions, partners, channels, services and doctors, ~10 % cancelled), then
 * times the same report the /statistics page builds (grouped counts + partner commission) for a
 * month, a year and three years with every grouping, taking the median of several runs. Prints a
 * table and the process memory, and exits non-zero if a one-year report is slower than the target.
 *
 * Options (environment): BENCH_BOOKINGS (default 300000), BENCH_RUNS (default 5),
 * BENCH_YEAR_TARGET_MS (default 1000), BENCH_KEEP=1 keeps the database file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DateTime } from 'luxon';
import { openDb, migrate } from '../src/lib/db';
import { buildReport } from '../src/statistics/statistics.service';
import { groupings, type Grouping, type StatisticsFilters } from '../src/statistics/statistics.filters';
import type { StatisticsScope } from '../src/statistics/statistics.queries';

const bookingCount = Number(process.env.BENCH_BOOKINGS ?? 300_000);
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
const yearTargetMs = Number(process.env.BENCH_YEAR_TARGET_MS ?? 1000);
const firstDay = DateTime.fromISO('2023-01-01');
const lastDay = DateTime.fromISO('2025-12-31');

/** Deterministic pseudo-random numbers, so every run measures the same data. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

type Refs = {
  institutions: { id: number; zone: string }[];
  clinicChannels: number[];
  partners: { id: number; channel: number; type: 'percent' | 'fixed'; value: number }[];
  services: { id: number; price: number }[];
  doctors: number[];
  userId: number;
  patients: number[];
};

async function createReferenceData(file: string): Promise<Refs> {
  const db = openDb(file);
  await migrate(db);
  const now = new Date().toISOString();
  const ids = async (table: string, rows: Record<string, unknown>[]) => {
    const out: number[] = [];
    for (const row of rows) {
      const [r] = await db(table).insert(row).returning('id');
      out.push(typeof r === 'object' ? (r as { id: number }).id : (r as number));
    }
    return out;
  };
  const zones = ['Europe/Budapest', 'Europe/Vienna', 'America/New_York', 'Europe/Budapest'];
  const institutionIds = await ids(
    'institutions',
    zones.map((time_zone, i) => ({
      name: `Bench Institution ${i + 1}`,
      address: '',
      time_zone,
      active: true,
      created_at: now,
    })),
  );
  const partnerRules: ['percent' | 'fixed', number][] = [
    ['percent', 1000],
    ['fixed', 150000],
    ['percent', 750],
    ['fixed', 200000],
    ['percent', 1250],
    ['fixed', 90000],
  ];
  const partnerIds = await ids(
    'partners',
    partnerRules.map(([commission_type, commission_value], i) => ({
      name: `Bench Partner ${i + 1}`,
      tax_number: '11111111-1-11',
      commission_type,
      commission_value,
      active: true,
      created_at: now,
    })),
  );
  // Migration 014 creates the clinic channels.
  const clinicChannels = (
    await db('traffic_channels')
      .select('id')
      .whereIn('code', ['reception', 'phone', 'online'])
      .orderBy('sort_order')
  ).map((r) => r.id as number);
  const partnerChannels = await ids(
    'traffic_channels',
    partnerIds.map((partner_id, i) => ({
      code: `partner-${partner_id}`,
      name: `Bench Partner ${i + 1}`,
      kind: 'partner',
      partner_id,
      active: true,
      sort_order: 100,
    })),
  );
  const [qualification] = await ids('qualifications', [{ name: 'Bench qualification', active: true }]);
  const prices = Array.from({ length: 20 }, (_, i) => 1_000_000 + i * 250_000);
  const serviceIds = await ids(
    'services',
    prices.map((price_minor, i) => ({
      qualification_id: qualification,
      name: `Bench service ${i + 1}`,
      duration_minutes: 20,
      price_minor,
      active: true,
    })),
  );
  const doctorIds = await ids(
    'doctors',
    Array.from({ length: 40 }, (_, i) => ({ name: `Dr Bench ${i + 1}`, active: true })),
  );
  const [userId] = await ids('users', [
    {
      username: 'bench',
      display_name: 'Bench',
      password_hash: 'x',
      partner_id: null,
      active: true,
      all_institutions: true,
      created_at: now,
      updated_at: now,
    },
  ]);
  await db.destroy();

  // Patients in bulk through the raw driver (no need for 1,000 round trips through knex).
  const raw = new Database(file);
  const insertPatient = raw.prepare(
    "insert into patients (family_name, given_name, search_name, search_name_reversed, birth_date, id_type, id_number, created_at) values (?, ?, ?, ?, '1980-01-01', 'passport', ?, ?)",
  );
  const patients: number[] = [];
  raw.transaction(() => {
    for (let i = 0; i < 1000; i++)
      patients.push(
        Number(
          insertPatient.run(
            `Family${i}`,
            `Given${i}`,
            `family${i} given${i}`,
            `given${i} family${i}`,
            `BP${i}`,
            now,
          ).lastInsertRowid,
        ),
      );
  })();
  raw.close();
  return {
    institutions: institutionIds.map((id, i) => ({ id, zone: zones[i] })),
    clinicChannels,
    partners: partnerIds.map((id, i) => ({
      id,
      channel: partnerChannels[i],
      type: partnerRules[i][0],
      value: partnerRules[i][1],
    })),
    services: serviceIds.map((id, i) => ({ id, price: prices[i] })),
    doctors: doctorIds,
    userId,
    patients,
  };
}

function insertBookings(file: string, refs: Refs): number {
  const raw = new Database(file);
  // Only for the bulk load of a throwaway file: the app itself always runs synchronous=FULL.
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = OFF');
  const insert =
    raw.prepare(`insert into bookings (institution_id, doctor_id, service_id, patient_id, channel_id, partner_id, created_by_user_id,
    starts_at, ends_at, local_date, created_local_date, price_minor, commission_minor, status, cancelled_at, idempotency_key, created_at)
    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const random = rng(20260101);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const days = Math.round(lastDay.diff(firstDay, 'days').days) + 1;
  // luxon is too slow to call per row for 300,000 rows: work out each day's date strings and
  // each institution's local midnight (as UTC epoch ms, DST-correct) once per day instead.
  const dayInfo = Array.from({ length: days }, (_, d) => {
    const day = firstDay.plus({ days: d });
    return {
      localDate: day.toISODate()!,
      createdDates: Array.from({ length: 30 }, (_, back) => day.minus({ days: back }).toISODate()!),
      midnightMs: refs.institutions.map((inst) =>
        DateTime.fromISO(day.toISODate()!, { zone: inst.zone }).toMillis(),
      ),
    };
  });
  const batch = 20_000;
  let done = 0;
  while (done < bookingCount) {
    const n = Math.min(batch, bookingCount - done);
    raw.transaction(() => {
      for (let i = 0; i < n; i++) {
        const k = done + i;
        const info = dayInfo[Math.floor((k / bookingCount) * days)];
        const inst = Math.floor(random() * refs.institutions.length);
        const startMs =
          info.midnightMs[inst] +
          ((8 + Math.floor(random() * 9)) * 60 + 20 * Math.floor(random() * 3)) * 60_000;
        const service = pick(refs.services);
        const partner = random() < 0.4 ? pick(refs.partners) : null;
        const commission = !partner
          ? 0
          : partner.type === 'fixed'
            ? partner.value
            : Math.round((service.price * partner.value) / 10000);
        const cancelled = random() < 0.1;
        const startsAt = new Date(startMs).toISOString();
        insert.run(
          refs.institutions[inst].id,
          pick(refs.doctors),
          service.id,
          pick(refs.patients),
          partner ? partner.channel : pick(refs.clinicChannels),
          partner ? partner.id : null,
          refs.userId,
          startsAt,
          new Date(startMs + 20 * 60_000).toISOString(),
          info.localDate,
          info.createdDates[Math.floor(random() * 30)],
          service.price,
          commission,
          cancelled ? 'cancelled' : 'booked',
          cancelled ? startsAt : null,
          `bench-${k}`,
          startsAt,
        );
      }
    })();
    done += n;
    if (process.stdout.isTTY)
      process.stdout.write(
        `\r  inserted ${done.toLocaleString('en-GB')} / ${bookingCount.toLocaleString('en-GB')} bookings`,
      );
  }
  console.log(`  inserted ${done.toLocaleString('en-GB')} bookings`);
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();
  return done;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

type Case = { period: string; label: string; filters: StatisticsFilters; scope: StatisticsScope };

function cases(refs: Refs): Case[] {
  const periods = [
    { period: 'month', from: '2025-06-01', to: '2025-06-30' },
    { period: 'year', from: '2025-01-01', to: '2025-12-31' },
    { period: '3 years', from: firstDay.toISODate()!, to: lastDay.toISODate()! },
  ];
  const staff: StatisticsScope = { partnerId: null, institutionIds: null };
  const base = {
    basis: 'appointment' as const,
    institutionId: null,
    channelId: null,
    partnerId: null,
    serviceId: null,
    doctorId: null,
    partnerOnly: false,
  };
  const out: Case[] = [];
  for (const p of periods) {
    for (const group of groupings)
      out.push({
        period: p.period,
        label: `by ${group}`,
        filters: { ...base, from: p.from, to: p.to, group },
        scope: staff,
      });
  }
  const year = periods[1];
  const g = (group: Grouping) => ({ ...base, from: year.from, to: year.to, group });
  out.push({
    period: 'year',
    label: 'by month, booking date',
    filters: { ...g('month'), basis: 'booking' },
    scope: staff,
  });
  out.push({
    period: 'year',
    label: 'by channel, partner only',
    filters: { ...g('channel'), partnerOnly: true },
    scope: staff,
  });
  out.push({
    period: 'year',
    label: 'by doctor, one institution',
    filters: { ...g('doctor'), institutionId: refs.institutions[0].id },
    scope: staff,
  });
  out.push({
    period: 'year',
    label: 'by day, one service',
    filters: { ...g('day'), serviceId: refs.services[3].id },
    scope: staff,
  });
  out.push({
    period: 'year',
    label: 'by week, as a partner user',
    filters: { ...g('week'), partnerId: refs.partners[0].id, partnerOnly: true },
    scope: { partnerId: refs.partners[0].id, institutionIds: null },
  });
  return out;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-bench-'));
  const file = path.join(dir, 'bench.sqlite');
  const t0 = performance.now();
  console.log(
    `Statistics benchmark: ${bookingCount.toLocaleString('en-GB')} bookings, ${firstDay.toISODate()} to ${lastDay.toISODate()}, median of ${runs} runs`,
  );
  console.log(`  database: ${file}`);
  const refs = await createReferenceData(file);
  insertBookings(file, refs);
  const loadSeconds = (performance.now() - t0) / 1000;
  console.log(`  loaded in ${loadSeconds.toFixed(1)} s (${(fs.statSync(file).size / 1e6).toFixed(0)} MB)`);

  const db = openDb(file);
  await migrate(db); // no-op, but proves the file is at the latest schema
  const results: { c: Case; medianMs: number; minMs: number; maxMs: number; rows: number; total: number }[] =
    [];
  try {
    for (const c of cases(refs)) {
      const times: number[] = [];
      let rows = 0;
      let total = 0;
      await buildReport(db, c.filters, c.scope); // warm-up: page cache and statement preparation
      for (let i = 0; i < runs; i++) {
        const start = performance.now();
        const report = await buildReport(db, c.filters, c.scope);
        times.push(performance.now() - start);
        rows = report.rows.length;
        total = report.totals.bookings;
      }
      results.push({
        c,
        medianMs: median(times),
        minMs: Math.min(...times),
        maxMs: Math.max(...times),
        rows,
        total,
      });
    }
  } finally {
    await db.destroy();
    if (process.env.BENCH_KEEP !== '1') fs.rmSync(dir, { recursive: true, force: true });
  }

  const header = ['period', 'report', 'median ms', 'min ms', 'max ms', 'rows', 'bookings counted'];
  const table = results.map((r) => [
    r.c.period,
    r.c.label,
    r.medianMs.toFixed(1),
    r.minMs.toFixed(1),
    r.maxMs.toFixed(1),
    String(r.rows),
    r.total.toLocaleString('en-GB'),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log('');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of table) console.log(line(row));

  const mem = process.memoryUsage();
  console.log('');
  console.log(
    `Memory: RSS ${(mem.rss / 1e6).toFixed(0)} MB now, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB, heap used ${(mem.heapUsed / 1e6).toFixed(0)} MB`,
  );
  console.log(`Total time ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const slowestYear = results
    .filter((r) => r.c.period === 'year')
    .reduce((a, b) => (b.medianMs > a.medianMs ? b : a));
  if (slowestYear.medianMs > yearTargetMs) {
    console.error(
      `FAIL: one-year report "${slowestYear.c.label}" took ${slowestYear.medianMs.toFixed(0)} ms (median), target ${yearTargetMs} ms`,
    );
    process.exit(1);
  }
  console.log(
    `OK: every one-year report within ${yearTargetMs} ms (slowest: "${slowestYear.c.label}", ${slowestYear.medianMs.toFixed(0)} ms median)`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
