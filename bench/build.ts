/**
 * Builds the chain-scale benchmark database (issue 11) with the project's own migrations and
 * slot-time code, cached in tmp/bench-cache/ by a hash of the migrations, this file, the slot
 * code and the sizes. Test data only: bulk inserts in big transactions through prepared
 * better-sqlite3 statements, synchronous=OFF while loading (the app itself runs FULL).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import cliProgress from 'cli-progress';
import { DateTime } from 'luxon';
import { migrate, openDb } from '../src/lib/db';
import { foldName } from '../src/lib/text';
import { hashPassword } from '../src/lib/passwords';
import { slotTimes, type SchedulePlan } from '../src/schedules/slot-times';

export type Sizes = { institutions: number; doctors: number; patients: number; bookings: number };
export const fullSizes: Sizes = { institutions: 5, doctors: 200, patients: 1_000_000, bookings: 1_000_000 };
export const benchPassword = 'bench-password-1';
/** A year around today (half past, half ahead), from a Monday; part of the cache key. */
const monday = DateTime.now().setZone('Europe/Budapest').startOf('week').minus({ weeks: 26 });
export const benchFrom = monday.toISODate()!;
export const benchTo = monday.plus({ days: 364 }).toISODate()!;

export function scaled(scale: number): Sizes {
  return {
    institutions: fullSizes.institutions,
    doctors: Math.max(10, Math.round(fullSizes.doctors * Math.min(1, scale * 10))),
    patients: Math.max(1000, Math.round(fullSizes.patients * scale)),
    bookings: Math.max(1000, Math.round(fullSizes.bookings * scale)),
  };
}

/** Hungarian family and given names, weighted by repetition (pg-explain.ts builds from them too). */
export const families = [
  'Nagy',
  'Kovács',
  'Tóth',
  'Szabó',
  'Horváth',
  'Varga',
  'Kiss',
  'Molnár',
  'Németh',
  'Farkas',
  'Balogh',
  'Papp',
  'Takács',
  'Juhász',
  'Lakatos',
  'Mészáros',
  'Oláh',
  'Simon',
  'Rácz',
  'Fekete',
  'Szilágyi',
  'Török',
  'Fehér',
  'Balázs',
  'Gál',
  'Kis',
  'Szűcs',
  'Kocsis',
  'Orsós',
  'Pintér',
  'Fodor',
  'Szalai',
  'Sipos',
  'Magyar',
  'Lukács',
  'Gulyás',
  'Bíró',
  'Király',
  'Katona',
  'László',
  'Jakab',
  'Bogdán',
  'Balog',
  'Sándor',
  'Boros',
  'Fazekas',
  'Kelemen',
  'Antal',
  'Orosz',
  'Somogyi',
  'Kovácsné',
  'Kovácsik',
  'Vörös',
  'Vincze',
  'Hegedűs',
  'Deák',
  'Budai',
  'Pap',
  'Bálint',
  'Pál',
];
export const givens = [
  'László',
  'István',
  'József',
  'János',
  'Zoltán',
  'Sándor',
  'Gábor',
  'Ferenc',
  'Attila',
  'Péter',
  'Mária',
  'Erzsébet',
  'Katalin',
  'Éva',
  'Ilona',
  'Anna',
  'Zsuzsanna',
  'Margit',
  'Judit',
  'Ágnes',
  'Tamás',
  'Zsolt',
  'Tibor',
  'András',
  'Csaba',
  'Imre',
  'Lajos',
  'György',
  'Balázs',
  'Róbert',
  'Andrea',
  'Erika',
  'Krisztina',
  'Edit',
  'Gabriella',
  'Szilvia',
  'Anita',
  'Mónika',
  'Eszter',
  'Réka',
];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Family names weighted like a real register: the first few are far more common (Zipf-like). */
function familyPicker(random: () => number) {
  const weights = families.map((_, i) => 1 / (i + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  let acc = 0;
  for (const w of weights) cumulative.push((acc += w / total));
  return () => {
    const r = random();
    let i = 0;
    while (cumulative[i] < r && i < families.length - 1) i++;
    return families[i];
  };
}

export function cacheKey(sizes: Sizes): string {
  const h = crypto.createHash('sha256');
  const root = path.resolve(__dirname, '..');
  const files = [
    ...fs
      .readdirSync(path.join(root, 'migrations'))
      .sort()
      .map((f) => path.join('migrations', f)),
    'bench/build.ts',
    'src/schedules/slot-times.ts',
    'src/lib/text.ts',
  ];
  for (const f of files) h.update(f).update(fs.readFileSync(path.join(root, f)));
  h.update(JSON.stringify(sizes)).update(benchFrom);
  return h.digest('hex').slice(0, 16);
}

export type Built = { file: string; sizes: Sizes; seconds: number; cached: boolean };

export async function buildDatabase(sizes: Sizes, cacheDir: string): Promise<Built> {
  const key = cacheKey(sizes);
  const file = path.join(cacheDir, `bench-${key}.sqlite`);
  if (fs.existsSync(file)) return { file, sizes, seconds: 0, cached: true };
  fs.mkdirSync(cacheDir, { recursive: true });
  const partial = file + '.partial';
  fs.rmSync(partial, { force: true });
  const t0 = performance.now();
  const knex = openDb(partial);
  await migrate(knex);
  await knex.destroy();
  const passwordHash = await hashPassword(benchPassword);

  const db = new Database(partial);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const now = new Date().toISOString();
  const random = rng(20261201);
  const ins = (sql: string) => db.prepare(sql);
  const id = (sql: string, ...args: unknown[]) => Number(ins(sql).run(...args).lastInsertRowid);

  // Reference data: institutions, qualifications and services, doctors with one schedule each.
  const zones = ['Europe/Budapest', 'Europe/Budapest', 'Europe/Budapest', 'Europe/Vienna', 'Europe/Budapest'];
  const institutions: { id: number; zone: string }[] = [];
  const services: { id: number; q: number; price: number }[] = [];
  const doctors: { id: number; inst: number; zone: string; service: number; schedule: number }[] = [];
  db.transaction(() => {
    for (let i = 0; i < sizes.institutions; i++)
      institutions.push({
        id: id(
          "insert into institutions (name, address, time_zone, active, created_at) values (?, '', ?, 1, ?)",
          `Bench Clinic ${i + 1}`,
          zones[i % zones.length],
          now,
        ),
        zone: zones[i % zones.length],
      });
    const channels = db
      .prepare("select id from traffic_channels where code in ('reception', 'phone', 'online')")
      .all() as { id: number }[];
    for (let q = 0; q < 4; q++) {
      const qid = id(
        'insert into qualifications (name, active) values (?, 1)',
        `Bench qualification ${q + 1}`,
      );
      for (let s = 0; s < 2; s++) {
        const price = 1_500_000 + (q * 2 + s) * 250_000;
        services.push({
          id: id(
            'insert into services (qualification_id, name, duration_minutes, price_minor, active) values (?, ?, 20, ?, 1)',
            qid,
            `Bench service ${q + 1}.${s + 1}`,
            price,
          ),
          q: qid,
          price,
        });
      }
    }
    const channelService = ins(
      'insert into channel_services (institution_id, channel_id, service_id) values (?, ?, ?)',
    );
    for (const inst of institutions)
      for (const ch of channels) for (const s of services) channelService.run(inst.id, ch.id, s.id);
    for (let d = 0; d < sizes.doctors; d++) {
      const inst = institutions[d % institutions.length];
      const svcPair = services.filter((s) => s.q === services[(d * 2) % services.length].q);
      const did = id('insert into doctors (name, active) values (?, 1)', `Dr. Bench ${d + 1}`);
      ins('insert into doctor_qualifications (doctor_id, qualification_id) values (?, ?)').run(
        did,
        svcPair[0].q,
      );
      ins('insert into doctor_institutions (doctor_id, institution_id) values (?, ?)').run(did, inst.id);
      for (const s of svcPair)
        ins('insert into doctor_services (doctor_id, institution_id, service_id) values (?, ?, ?)').run(
          did,
          inst.id,
          s.id,
        );
      const sid = id(
        'insert into schedules (doctor_id, institution_id, slot_minutes, valid_from, valid_to, active, created_at) values (?, ?, 20, ?, null, 1, ?)',
        did,
        inst.id,
        benchFrom,
        now,
      );
      for (let wd = 1; wd <= 5; wd++)
        ins(
          'insert into schedule_hours (schedule_id, weekday, start_time, end_time) values (?, ?, ?, ?)',
        ).run(sid, wd, '08:00', '17:00');
      doctors.push({ id: did, inst: inst.id, zone: inst.zone, service: svcPair[0].id, schedule: sid });
    }
    const user = (username: string, perms: string[]) => {
      const uid = id(
        'insert into users (username, display_name, password_hash, partner_id, active, all_institutions, created_at, updated_at) values (?, ?, ?, null, 1, 1, ?, ?)',
        username,
        username,
        passwordHash,
        now,
        now,
      );
      for (const p of perms)
        ins('insert into user_permissions (user_id, permission) values (?, ?)').run(uid, p);
      return uid;
    };
    user('bench-desk', ['partner_booking', 'booking', 'patients', 'bookings_view']);
    user('bench-stats', ['statistics']);
  })();
  const deskId = (db.prepare("select id from users where username = 'bench-desk'").get() as { id: number })
    .id;

  const bars = new cliProgress.MultiBar(
    { format: ' {task} [{bar}] {percentage}% {value}/{total}', hideCursor: true, noTTYOutput: true },
    cliProgress.Presets.shades_classic,
  );
  // Slots: the project's slot-time code, per doctor's schedule, for a year.
  const slotBar = bars.create(doctors.length, 0, { task: 'slots    ' });
  const slotIns = ins(
    "insert into slots (doctor_id, institution_id, schedule_id, starts_at, ends_at, local_date, status, created_at) values (?, ?, ?, ?, ?, ?, 'open', ?)",
  );
  let slotCount = 0;
  const slotRange: { doctor: number; first: number; n: number }[] = [];
  for (const d of doctors) {
    const plan: SchedulePlan = {
      zone: d.zone,
      slotMinutes: 20,
      validFrom: benchFrom,
      validTo: null,
      hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '17:00' })),
      breaks: [],
      exceptions: [],
    };
    const times = slotTimes(plan, benchFrom, benchTo);
    db.transaction(() => {
      let first = 0;
      times.forEach((t, i) => {
        const r = Number(
          slotIns.run(d.id, d.inst, d.schedule, t.startsAt, t.endsAt, t.localDate, now).lastInsertRowid,
        );
        if (i === 0) first = r;
      });
      slotRange.push({ doctor: d.id, first, n: times.length });
    })();
    slotCount += times.length;
    slotBar.increment();
  }

  // Patients with Hungarian names, folded as the app folds them.
  const patientBar = bars.create(sizes.patients, 0, { task: 'patients ' });
  const patientIns = ins(
    "insert into patients (family_name, given_name, search_name, search_name_reversed, birth_date, id_type, id_number, created_at) values (?, ?, ?, ?, ?, 'taj', ?, ?)",
  );
  const pickFamily = familyPicker(random);
  const foldedCache = new Map<string, string>();
  const fold = (s: string) => {
    let f = foldedCache.get(s);
    if (f === undefined) foldedCache.set(s, (f = foldName(s)));
    return f;
  };
  const batch = 50_000;
  for (let done = 0; done < sizes.patients;) {
    const n = Math.min(batch, sizes.patients - done);
    db.transaction(() => {
      for (let i = 0; i < n; i++) {
        const k = done + i;
        const family = pickFamily();
        const given = givens[Math.floor(random() * givens.length)];
        const birth = `${1930 + Math.floor(random() * 90)}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
        const taj = String(100_000_000 + k).padStart(9, '0');
        patientIns.run(
          family,
          given,
          `${fold(family)} ${fold(given)}`,
          `${fold(given)} ${fold(family)}`,
          birth,
          taj,
          now,
        );
      }
    })();
    done += n;
    patientBar.update(done);
  }

  // Bookings, each on its own slot (booking_slots + slot_occupancies), ~8 % cancelled.
  const bookingBar = bars.create(sizes.bookings, 0, { task: 'bookings ' });
  const bookingIns =
    ins(`insert into bookings (institution_id, doctor_id, service_id, patient_id, channel_id, partner_id,
    created_by_user_id, starts_at, ends_at, local_date, created_local_date, price_minor, commission_minor, status,
    cancelled_at, idempotency_key, created_at) values (?, ?, ?, ?, ?, null, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)`);
  const bsIns = ins('insert into booking_slots (booking_id, slot_id) values (?, ?)');
  const occIns = ins('insert into slot_occupancies (slot_id, booking_id) values (?, ?)');
  const slotRow = db.prepare('select starts_at, ends_at, local_date from slots where id = ?');
  const channelIds = (
    db.prepare("select id from traffic_channels where code in ('reception', 'phone', 'online')").all() as {
      id: number;
    }[]
  ).map((c) => c.id);
  const share = Math.min(1, sizes.bookings / slotCount);
  const priceOf = new Map(services.map((s) => [s.id, s.price]));
  let made = 0;
  for (const [di, range] of slotRange.entries()) {
    const d = doctors[di];
    const want = di === slotRange.length - 1 ? sizes.bookings - made : Math.round(range.n * share);
    const n = Math.max(0, Math.min(range.n, want));
    db.transaction(() => {
      for (let i = 0; i < n; i++) {
        // Spread over the doctor's year, leaving every (1/share)-th slot free.
        const slotId = range.first + Math.floor((i * range.n) / n);
        const s = slotRow.get(slotId) as { starts_at: string; ends_at: string; local_date: string };
        const cancelled = random() < 0.08;
        const bid = Number(
          bookingIns.run(
            d.inst,
            d.id,
            d.service,
            1 + Math.floor(random() * sizes.patients),
            channelIds[Math.floor(random() * channelIds.length)],
            deskId,
            s.starts_at,
            s.ends_at,
            s.local_date,
            s.local_date,
            priceOf.get(d.service),
            cancelled ? 'cancelled' : 'booked',
            cancelled ? now : null,
            `bench-${made + i}`,
            now,
          ).lastInsertRowid,
        );
        bsIns.run(bid, slotId);
        if (!cancelled) occIns.run(slotId, bid);
      }
    })();
    made += n;
    bookingBar.update(made);
  }
  bars.stop();
  db.exec('analyze');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('journal_mode = DELETE');
  db.close();
  fs.renameSync(partial, file);
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `  built ${file}: ${slotCount.toLocaleString('en-GB')} slots, ${sizes.patients.toLocaleString('en-GB')} patients, ${made.toLocaleString('en-GB')} bookings in ${seconds.toFixed(0)} s (${(fs.statSync(file).size / 1e6).toFixed(0)} MB)`,
  );
  return { file, sizes, seconds, cached: false };
}
