/**
 * First free slots on a bench database (issue 16): EXPLAIN QUERY PLAN of the first read and the
 * in-process time of firstFreeSlots (median and worst of 30 runs) for the scenarios of bench/run.ts.
 *
 *   npx tsx bench/first-free-explain.ts tmp/bench-cache/bench-<key>.sqlite
 */
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { openDb } from '../src/lib/db';
import { firstFreeSlots, type FirstFreeFilter } from '../src/booking/first-free';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('Usage: npx tsx bench/first-free-explain.ts FILE.sqlite');
  const db: Knex = openDb(file);
  try {
    const inst = await db('institutions').orderBy('id').first('id', 'time_zone');
    const { service_id: service } = await db('doctor_services')
      .where('institution_id', inst.id)
      .orderBy('doctor_id')
      .first('service_id');
    const doctorIds = (await db('doctor_services')
      .where({ institution_id: inst.id, service_id: service })
      .pluck('doctor_id')) as number[];
    const counts = await db.raw(
      'select (select count(*) from slots) slots, (select count(*) from slot_occupancies) booked',
    );
    console.log(
      `slots/booked: ${JSON.stringify(counts[0])}; institution ${inst.id}, service ${service}, ${doctorIds.length} doctors`,
    );
    const now = DateTime.now().toUTC();
    const base = {
      institutionId: inst.id as number,
      zone: inst.time_zone as string,
      doctorIds,
      durationMinutes: 20,
      nowIso: now.toISO() ?? '',
      today: now.setZone(inst.time_zone).toISODate()!,
    };
    for (const weekday of [null, 5]) {
      let captured: { sql: string; bindings: readonly unknown[] } | null = null;
      const listener = (q: { sql: string; bindings: readonly unknown[] }) => (captured ??= q);
      db.on('query', listener);
      await firstFreeSlots(db, { ...base, filter: { doctorId: null, from: null, to: null, weekday } });
      db.off('query', listener);
      const q = captured as unknown as { sql: string; bindings: Knex.RawBinding[] };
      const plan: { detail: string }[] = await db.raw(`explain query plan ${q.sql}`, q.bindings);
      console.log(`\n${q.sql}\n${plan.map((p) => `  ${p.detail}`).join('\n')}\n`);
    }
    const scenarios: [string, FirstFreeFilter][] = [
      ['all doctors', { doctorId: null, from: null, to: null, weekday: null }],
      ['one doctor', { doctorId: doctorIds[doctorIds.length - 1], from: null, to: null, weekday: null }],
      ['Fridays 15:00-17:00', { doctorId: null, from: '15:00', to: '17:00', weekday: 5 }],
      [
        '07:00-08:00 (nobody works then: 90 days read)',
        { doctorId: null, from: '07:00', to: '08:00', weekday: null },
      ],
    ];
    for (const [label, filter] of scenarios) {
      const times: number[] = [];
      let rows = 0;
      let found = 0;
      for (let i = 0; i < 31; i++) {
        const t = performance.now();
        const r = await firstFreeSlots(db, { ...base, filter });
        if (i > 0) times.push(performance.now() - t);
        rows = r.rowsRead;
        found = r.slots.length;
      }
      times.sort((a, b) => a - b);
      console.log(
        `${label}: ${found} starts, ${rows} rows read, median ${times[15].toFixed(2)} ms, worst ${times[29].toFixed(2)} ms`,
      );
    }
  } finally {
    await db.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
