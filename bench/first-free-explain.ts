/**
 * First free slots on a bench database (issue 16): EXPLAIN QUERY PLAN of the first read and the
 * in-process time of firstFreeSlots (median and worst of 30 runs) for the scenarios of bench/run.ts.
 *
 *   npx tsx bench/first-free-explain.ts tmp/bench-cache/bench-<key>.sqlite
 *
 * Then the same with partner contracts (issue 17) inside a transaction that is rolled back (the
 * file is left as it was): two partners, each with a reserved block on every other doctor's
 * mornings for the 90 days (released 1 day before), partner B with this month's allotment used up.
 */
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { openDb } from '../src/lib/db';
import { firstFreeSlots, type FirstFreeFilter } from '../src/booking/first-free';
import { insertId } from '../src/lib/db';
import { FixedClock } from '../src/lib/clock';

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
    await contractScenarios(db, base);
  } finally {
    await db.destroy();
  }
}

async function timed(run: () => Promise<{ rowsRead: number; slots: unknown[] }>, label: string) {
  const times: number[] = [];
  let rows = 0;
  let found = 0;
  for (let i = 0; i < 31; i++) {
    const t = performance.now();
    const r = await run();
    if (i > 0) times.push(performance.now() - t);
    rows = r.rowsRead;
    found = r.slots.length;
  }
  times.sort((a, b) => a - b);
  console.log(
    `${label}: ${found} starts, ${rows} rows read, median ${times[15].toFixed(2)} ms, worst ${times[29].toFixed(2)} ms`,
  );
}

class Rollback extends Error {}

async function contractScenarios(
  db: Knex,
  base: Omit<Parameters<typeof firstFreeSlots>[1], 'filter'> & { today: string },
): Promise<void> {
  console.log('\nWith partner contracts (rolled back afterwards):');
  const now = base.nowIso;
  const service = (await db('doctor_services')
    .where('institution_id', base.institutionId)
    .orderBy('doctor_id')
    .first('service_id'))!.service_id as number;
  await db
    .transaction(async (trx) => {
      const partner = async (name: string) => {
        const partnerId = await insertId(trx, 'partners', {
          ...{ name, tax_number: '11111111-1-11', commission_type: 'percent', commission_value: 0 },
          ...{ can_see_patient_records: false, active: true, created_at: now },
        });
        const channelId = await insertId(trx, 'traffic_channels', {
          ...{ code: `bench-partner-${partnerId}`, name, kind: 'partner', partner_id: partnerId },
          ...{ active: true, sort_order: 100 },
        });
        await trx('channel_services').insert({
          institution_id: base.institutionId,
          channel_id: channelId,
          service_id: service,
        });
        return { partnerId, channelId };
      };
      const a = await partner('Bench A');
      const b = await partner('Bench B');
      const to = DateTime.fromISO(base.today).plus({ days: 91 }).toISODate()!;
      for (const [i, doctor] of base.doctorIds.entries())
        await trx('reserved_blocks').insert({
          ...{ partner_id: i % 2 ? b.partnerId : a.partnerId, institution_id: base.institutionId },
          ...{ doctor_id: doctor, weekdays: 127, from_time: '00:00', to_time: '12:00' },
          ...{ date_from: base.today, date_to: to, release_value: 1, release_unit: 'days', created_at: now },
        });
      const [allotment] = await trx('allotments').insert(
        {
          ...{ partner_id: b.partnerId, institution_id: base.institutionId, service_id: service },
          ...{ period: 'month', cap: 1, created_at: now },
        },
        ['id'],
      );
      await trx('allotment_usage').insert({
        allotment_id: typeof allotment === 'object' ? allotment.id : allotment,
        period_key: base.today.slice(0, 7),
        used: 1,
        cap: 1,
      });
      const clock = new FixedClock(now);
      const all = { doctorId: null, from: null, to: null, weekday: null };
      const clinic = (await trx('traffic_channels').where({ code: 'reception' }).first('id'))!.id as number;
      const scopes: [string, number | null, number][] = [
        ['clinic desk (Reception; blocks of A and B held away)', null, clinic],
        ['partner A (its own blocks free, B held away)', a.partnerId, a.channelId],
        ['partner B (this month used up: jumps to the next)', b.partnerId, b.channelId],
      ];
      for (const [label, partnerId, channelId] of scopes)
        await timed(
          () =>
            firstFreeSlots(trx, {
              ...base,
              filter: all,
              contracts: { clock, partnerId, channelId, serviceId: service },
            }),
          label,
        );
      throw new Rollback();
    })
    .catch((err) => {
      if (!(err instanceof Rollback)) throw err;
    });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
