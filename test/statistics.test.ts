import { DateTime } from 'luxon';
import type { Knex } from 'knex';
import { makeTestApp, loginAs, type TestApp } from './helpers';
import { FixedClock } from '../src/lib/clock';
import { fixtures } from './fixtures';
import { defuseFormula, csvField } from '../src/statistics/statistics.csv';
import { isoWeekLabel, periodKeys } from '../src/statistics/statistics.service';

/**
 * Known bookings. Two institutions in two zones; January 2026 is the usual period.
 * Booking 4 is 2026-01-31 23:30 UTC = 1 February 00:30 in Budapest (a February booking);
 * booking 5 is 2026-02-01 02:00 UTC = 31 January 21:00 in New York (a January booking).
 * Prices: Consultation 20,000.00, Ultrasound 35,000.00 (minor units below).
 * Commission snapshots: Alfa 10 %, Beta 1,500.00 fixed, Gamma 12.5 %.
 */
type World = {
  buda: number;
  ny: number;
  alfa: number;
  beta: number;
  gamma: number;
  alfaChannel: number;
  betaChannel: number;
  gammaChannel: number;
  reception: number;
  phone: number;
  consult: number;
  ultra: number;
  drA: number;
  drB: number;
};

const CONSULT = 2000000;
const ULTRA = 3500000;

async function buildWorld(db: Knex): Promise<World> {
  const buda = await fixtures.institution(db, 'Buda Clinic', 'Europe/Budapest');
  const ny = await fixtures.institution(db, 'New York Clinic', 'America/New_York');
  const a = await fixtures.partner(db, 'Alfa Health Insurance', {
    commission_type: 'percent',
    commission_value: 1000,
  });
  const b = await fixtures.partner(db, 'Beta Corporate Care', {
    commission_type: 'fixed',
    commission_value: 150000,
  });
  const g = await fixtures.partner(db, 'Gamma "Care", Ltd.', {
    commission_type: 'percent',
    commission_value: 1250,
  });
  const reception = await fixtures.clinicChannel(db, 'reception', 'Reception');
  const phone = await fixtures.clinicChannel(db, 'phone', 'Phone');
  const q = await fixtures.qualification(db, 'Cardiology');
  const consult = await fixtures.service(db, q, 'Consultation', 20, CONSULT);
  const ultra = await fixtures.service(db, q, 'Ultrasound', 40, ULTRA);
  const drA = await fixtures.doctor(db, 'Dr Adams', q, [buda, ny], [consult, ultra]);
  const drB = await fixtures.doctor(db, 'Dr Brown', q, [buda, ny], [consult, ultra]);
  const w: World = {
    buda,
    ny,
    alfa: a.partnerId,
    beta: b.partnerId,
    gamma: g.partnerId,
    alfaChannel: a.channelId,
    betaChannel: b.channelId,
    gammaChannel: g.channelId,
    reception,
    phone,
    consult,
    ultra,
    drA,
    drB,
  };

  const userId = await fixtures.user(db, 'maker', ['booking']);
  const patientId = await fixtures.patient(db, 'Kovács', 'János');
  let n = 0;
  const book = async (row: {
    institution: number;
    channel: number;
    partner: number | null;
    service: number;
    doctor?: number;
    startsAt: string;
    localDate: string;
    created: string;
    commission?: number;
    cancelled?: boolean;
  }) => {
    n += 1;
    const price = row.service === consult ? CONSULT : ULTRA;
    await db('bookings').insert({
      institution_id: row.institution,
      doctor_id: row.doctor ?? drA,
      service_id: row.service,
      patient_id: patientId,
      channel_id: row.channel,
      partner_id: row.partner,
      created_by_user_id: userId,
      starts_at: row.startsAt,
      ends_at: DateTime.fromISO(row.startsAt).plus({ minutes: 20 }).toUTC().toISO(),
      local_date: row.localDate,
      created_local_date: row.created,
      price_minor: price,
      commission_minor: row.commission ?? 0,
      status: row.cancelled ? 'cancelled' : 'booked',
      cancelled_at: row.cancelled ? t.clock.nowIso() : null,
      cancelled_by_user_id: row.cancelled ? userId : null,
      cancel_reason: row.cancelled ? 'Patient asked' : null,
      idempotency_key: `stats-${n}`,
      created_at: t.clock.nowIso(),
    });
  };
  /* 1 */ await book({
    institution: buda,
    channel: reception,
    partner: null,
    service: consult,
    startsAt: '2026-01-05T08:00:00.000Z',
    localDate: '2026-01-05',
    created: '2026-01-03',
  });
  /* 2 */ await book({
    institution: buda,
    channel: phone,
    partner: null,
    service: ultra,
    startsAt: '2026-01-20T08:00:00.000Z',
    localDate: '2026-01-20',
    created: '2026-01-03',
    cancelled: true,
  });
  /* 3 */ await book({
    institution: buda,
    channel: w.alfaChannel,
    partner: w.alfa,
    service: consult,
    startsAt: '2026-01-12T08:00:00.000Z',
    localDate: '2026-01-12',
    created: '2026-01-03',
    commission: 200000,
  });
  /* 4 */ await book({
    institution: buda,
    channel: w.alfaChannel,
    partner: w.alfa,
    service: ultra,
    startsAt: '2026-01-31T23:30:00.000Z',
    localDate: '2026-02-01',
    created: '2026-01-25',
    commission: 350000,
  });
  /* 5 */ await book({
    institution: ny,
    channel: w.alfaChannel,
    partner: w.alfa,
    service: consult,
    startsAt: '2026-02-01T02:00:00.000Z',
    localDate: '2026-01-31',
    created: '2026-01-03',
    commission: 200000,
  });
  /* 6 */ await book({
    institution: ny,
    channel: w.betaChannel,
    partner: w.beta,
    service: ultra,
    startsAt: '2026-01-15T15:00:00.000Z',
    localDate: '2026-01-15',
    created: '2026-01-03',
    commission: 150000,
    doctor: drB,
  });
  /* 7 */ await book({
    institution: buda,
    channel: w.betaChannel,
    partner: w.beta,
    service: ultra,
    startsAt: '2026-01-20T09:00:00.000Z',
    localDate: '2026-01-20',
    created: '2026-01-03',
    commission: 150000,
    cancelled: true,
  });
  /* 8 */ await book({
    institution: buda,
    channel: w.betaChannel,
    partner: w.beta,
    service: consult,
    startsAt: '2026-01-02T09:00:00.000Z',
    localDate: '2026-01-02',
    created: '2025-12-28',
    commission: 150000,
    doctor: drB,
  });
  /* 9 */ await book({
    institution: ny,
    channel: w.gammaChannel,
    partner: w.gamma,
    service: ultra,
    startsAt: '2026-01-08T15:00:00.000Z',
    localDate: '2026-01-08',
    created: '2026-01-03',
    commission: 437500,
  });
  /* 10 */ await book({
    institution: ny,
    channel: reception,
    partner: null,
    service: consult,
    startsAt: '2025-12-31T15:00:00.000Z',
    localDate: '2025-12-31',
    created: '2025-12-20',
  });
  /* 11 */ await book({
    institution: ny,
    channel: w.gammaChannel,
    partner: w.gamma,
    service: consult,
    startsAt: '2026-01-09T15:00:00.000Z',
    localDate: '2026-01-09',
    created: '2026-01-03',
    commission: 250000,
    cancelled: true,
  });
  return w;
}

/** The cells of the statistics table (body rows and the totals row), as text. */
function tableRows(html: string, tableClass = 'stats-table'): string[][] {
  const table = html.match(new RegExp(`<table class="${tableClass}">([\\s\\S]*?)</table>`));
  if (!table) throw new Error(`no ${tableClass} in page`);
  const body = table[1].replace(/<thead>[\s\S]*?<\/thead>/, '');
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((tr) =>
    [...tr[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => decode(c[1].trim())),
  );
}

function decode(s: string): string {
  return s
    .replace(/\u00a0/g, ' ')
    .replace(/&#34;/g, '"')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

const hufAmount = (s: string) => s.replace(/[^\d.,-]/g, '');

let t: TestApp;
let w: World;
/** The tests' now: 23:30 UTC on 31 January is already 1 February in Budapest (the first institution). */
const now = '2026-01-31T23:30:00.000Z';
beforeEach(async () => {
  t = await makeTestApp({ clock: new FixedClock(now) });
  w = await buildWorld(t.db);
  await fixtures.user(t.db, 'boss', ['statistics']);
  await fixtures.user(t.db, 'clerk', ['bookings_view', 'partner_booking', 'booking']);
  await fixtures.user(t.db, 'alfa', ['partner_booking', 'bookings_view', 'statistics'], w.alfa);
});
afterEach(async () => {
  await t.db.destroy();
});

const january = 'from=2026-01-01&to=2026-01-31';

describe('GET /statistics', () => {
  it('counts bookings, cancellations, revenue and commission per partner for January', async () => {
    const { agent } = await loginAs(t.app, 'boss');
    const res = await agent.get(`/statistics?${january}&group=partner`);
    expect(res.status).toBe(200);
    const rows = tableRows(res.text).map((r) => [
      r[0],
      r[1],
      r[2],
      r[3],
      r[4],
      hufAmount(r[5]),
      hufAmount(r[6]),
    ]);
    expect(rows).toEqual([
      ['Alfa Health Insurance', '2', '0', '2', '2', '40,000', '4,000'],
      ['Beta Corporate Care', '3', '1', '2', '2', '55,000', '3,000'],
      ['Gamma "Care", Ltd.', '2', '1', '1', '1', '35,000', '4,375'],
      ['Clinic channels (no partner)', '2', '1', '1', '0', '20,000', '0'],
      ['Total', '9', '3', '6', '5', '150,000', '11,375'],
    ]);
  });

  it('puts each booking in its institution-local month across a month boundary in two time zones', async () => {
    const { agent } = await loginAs(t.app, 'boss');
    const res = await agent.get('/statistics?from=2025-12-01&to=2026-02-28&group=month');
    expect(res.status).toBe(200);
    expect(tableRows(res.text).map((r) => r.slice(0, 5))).toEqual([
      ['2025-12', '1', '0', '1', '0'],
      ['2026-01', '9', '3', '6', '5'],
      ['2026-02', '1', '0', '1', '1'],
      ['Total', '11', '3', '8', '6'],
    ]);
    const byDay = tableRows((await agent.get(`/statistics?${january}&group=day`)).text);
    expect(byDay).toHaveLength(32); // 31 days, quiet ones included, plus totals
    expect(byDay.find((r) => r[0] === '2026-01-31')?.slice(1, 3)).toEqual(['1', '0']);
    expect(byDay.find((r) => r[0] === '2026-01-01')?.slice(1, 3)).toEqual(['0', '0']);
  });

  it('groups by ISO week, by institution and filters on the booking date when asked', async () => {
    const { agent } = await loginAs(t.app, 'boss');
    const weeks = tableRows((await agent.get(`/statistics?${january}&group=week`)).text);
    expect(weeks.map((r) => r.slice(0, 3))).toEqual([
      ['2026-W01', '1', '0'],
      ['2026-W02', '3', '1'],
      ['2026-W03', '2', '0'],
      ['2026-W04', '2', '2'],
      ['2026-W05', '1', '0'],
      ['Total', '9', '3'],
    ]);
    const institutions = tableRows((await agent.get(`/statistics?${january}&group=institution`)).text);
    expect(institutions.map((r) => r.slice(0, 3))).toEqual([
      ['Buda Clinic', '5', '2'],
      ['New York Clinic', '4', '1'],
      ['Total', '9', '3'],
    ]);
    const byBookingDate = await agent.get(`/statistics?${january}&group=month&basis=booking`);
    expect(byBookingDate.text).toContain('Booking date from <strong>2026-01-01</strong>');
    const total = tableRows(byBookingDate.text).at(-1)!;
    expect([total[0], total[1], total[2], hufAmount(total[5]), hufAmount(total[6])]).toEqual([
      'Total',
      '9',
      '3',
      '165,000',
      '13,375',
    ]);
  });

  it('excludes clinic-channel bookings with "Partner bookings only"', async () => {
    const { agent } = await loginAs(t.app, 'boss');
    const all = tableRows((await agent.get(`/statistics?${january}&group=channel`)).text);
    expect(all.map((r) => r[0])).toContain('Reception');
    const res = await agent.get(`/statistics?${january}&group=channel&partner_only=1`);
    expect(res.status).toBe(200);
    const rows = tableRows(res.text);
    expect(rows.map((r) => r.slice(0, 3))).toEqual([
      ['Alfa Health Insurance', '2', '0'],
      ['Beta Corporate Care', '3', '1'],
      ['Gamma "Care", Ltd.', '2', '1'],
      ['Total', '7', '2'],
    ]);
    expect(res.text).toMatch(/id="stats-partner-only"[^>]*checked/);
  });

  it("lists each partner's commission with its rule and a total, cancelled bookings excluded", async () => {
    const { agent } = await loginAs(t.app, 'boss');
    const res = await agent.get(`/statistics?${january}`);
    const rows = tableRows(res.text, 'stats-commission').map((r) => [
      r[0],
      r[1],
      r[2],
      hufAmount(r[3]),
      hufAmount(r[4]),
    ]);
    expect(rows).toEqual([
      ['Alfa Health Insurance', '10 % of the price', '2', '40,000', '4,000'],
      ['Beta Corporate Care', 'HUF 1,500 per booking', '2', '55,000', '3,000'],
      ['Gamma "Care", Ltd.', '12.5 % of the price', '1', '35,000', '4,375'],
      ['Total', '', '5', '130,000', '11,375'],
    ]);
  });

  it('draws an accessible SVG chart with the numbers written on it and no inline styles', async () => {
    const { agent } = await loginAs(t.app, 'boss');
    const res = await agent.get(`/statistics?${january}&group=partner`);
    const svg = res.text.match(/<svg[\s\S]*?<\/svg>/)![0];
    expect(svg).toContain('role="img"');
    expect(svg).toMatch(
      /<title id="stats-chart-title">Bookings and cancellations by partner, 2026-01-01 to 2026-01-31<\/title>/,
    );
    expect(svg).toMatch(/<desc id="stats-chart-desc">[^<]*Beta Corporate Care: 3 bookings, 1 cancelled/);
    expect(svg).toContain('Cancellations (hatched)');
    expect(svg).toContain('fill="url(#stats-hatch)"');
    const values = [...svg.matchAll(/<text class="stats-value"[^>]*>(\d+)<\/text>/g)].map((m) => m[1]);
    expect(values).toEqual(['2', '0', '3', '1', '2', '1', '2', '1']);
    expect(res.text).not.toMatch(/\sstyle=/);
    expect(res.text).not.toMatch(/<script>/);
  });

  it("defaults to this month in the first institution's zone, grouped by day", async () => {
    const { agent } = await loginAs(t.app, 'boss');
    const res = await agent.get('/statistics');
    expect(res.status).toBe(200);
    const today = t.clock.now().setZone('Europe/Budapest');
    expect(today.toISODate()).toBe('2026-02-01');
    expect(res.text).toContain('name="from" value="2026-02-01"');
    expect(res.text).toContain('name="to" value="2026-02-28"');
    expect(res.text).toMatch(/<option value="day" selected>/);
    expect(tableRows(res.text)).toHaveLength(today.daysInMonth! + 1);
  });

  it('answers an htmx request with the report fragment only', async () => {
    const { agent } = await loginAs(t.app, 'boss');
    const res = await agent.get(`/statistics?${january}&group=partner`).set('HX-Request', 'true');
    expect(res.status).toBe(200);
    expect(res.headers.vary).toMatch(/HX-Request/);
    expect(res.text).not.toContain('<html');
    expect(res.text).not.toContain('<form');
    expect(tableRows(res.text).at(-1)!.slice(0, 3)).toEqual(['Total', '9', '3']);
    const page = await agent.get(`/statistics?${january}&group=partner`);
    expect(page.text).toContain('<html');
    expect(page.text).toMatch(
      /<form method="get" action="\/statistics"[^>]*hx-get="\/statistics"[^>]*hx-trigger="change, submit"/,
    );
  });

  it('forbids a user without the statistics permission (403) and sends visitors to log in', async () => {
    const { agent } = await loginAs(t.app, 'clerk');
    const res = await agent.get(`/statistics?${january}`);
    expect(res.status).toBe(403);
    expect(res.text).not.toContain('Alfa Health Insurance');
    expect((await agent.get(`/statistics.csv?${january}`)).status).toBe(403);
    const anonymous = await (await import('supertest')).default(t.app).get('/statistics');
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.location).toMatch(/^\/login/);
  });

  it.each([
    [
      'the end before the start',
      'from=2026-02-01&to=2026-01-01',
      'The end of the period is before its start.',
    ],
    ['a malformed date', 'from=2026-13-45&to=2026-01-31', 'Enter a date as YYYY-MM-DD.'],
    ['an unknown partner', `${january}&partner=9999`, 'Choose a partner from the list.'],
    ['a partner id that is not a number', `${january}&partner=abc`, 'Must be a number.'],
    ['an unknown grouping', `${january}&group=year`, 'Choose a grouping from the list.'],
    ['a period over five years', 'from=2020-01-01&to=2026-01-31', 'The period can be at most 5 years long.'],
  ])('refuses %s with 400 and a message on the page', async (_name, query, message) => {
    const { agent } = await loginAs(t.app, 'boss');
    const res = await agent.get(`/statistics?${query}`);
    expect(res.status).toBe(400);
    expect(res.text).toContain(message);
    expect(res.text).toContain('<form method="get" action="/statistics"');
    expect(res.text).not.toContain('class="stats-table"');
    const csv = await agent.get(`/statistics.csv?${query}`);
    expect(csv.status).toBe(400);
    expect(csv.text).toContain(message);
  });

  it('swaps the filter message into the report for htmx (422)', async () => {
    const { agent } = await loginAs(t.app, 'boss');
    const res = await agent.get('/statistics?from=2026-02-01&to=2026-01-01').set('HX-Request', 'true');
    expect(res.status).toBe(422);
    expect(res.text).not.toContain('<form');
    expect(res.text).toContain('To: The end of the period is before its start.');
  });

  it('keeps staff limited to some institutions to their figures', async () => {
    await fixtures.user(t.db, 'budaboss', ['statistics'], null, { institutionIds: [w.buda] });
    const { agent } = await loginAs(t.app, 'budaboss');
    const rows = tableRows((await agent.get(`/statistics?${january}&group=institution`)).text);
    expect(rows.map((r) => r.slice(0, 3))).toEqual([
      ['Buda Clinic', '5', '2'],
      ['Total', '5', '2'],
    ]);
    const other = await agent.get(`/statistics?${january}&institution=${w.ny}`);
    expect(other.status).toBe(400);
    expect(other.text).toContain('Choose an institution from the list.');
  });
});

describe('partner users on /statistics', () => {
  it("shows alfa only Alfa's figures, whatever partner the URL names", async () => {
    const { agent } = await loginAs(t.app, 'alfa');
    for (const query of [
      `${january}&group=partner&partner=${w.beta}`,
      `${january}&group=channel`,
      `${january}&group=partner&partner_only=0`,
      `from=2025-12-01&to=2026-02-28&group=month&partner=${w.beta}`,
    ]) {
      const res = await agent.get(`/statistics?${query}`);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('Beta Corporate Care');
      expect(res.text).not.toContain('Gamma');
      expect(res.text).not.toContain('55,000');
      expect(res.text).not.toContain('3,000');
      expect(res.text).not.toContain('1,500');
      expect(res.text).not.toContain('11,375');
      expect(res.text).not.toContain('Reception');
    }
    const res = await agent.get(`/statistics?${january}&group=partner&partner=${w.beta}`);
    expect(tableRows(res.text).map((r) => [r[0], r[1], hufAmount(r[6])])).toEqual([
      ['Alfa Health Insurance', '2', '4,000'],
      ['Total', '2', '4,000'],
    ]);
    expect(tableRows(res.text, 'stats-commission').map((r) => r[0])).toEqual([
      'Alfa Health Insurance',
      'Total',
    ]);
    expect(res.text).not.toContain('id="stats-partner"');
  });

  it("refuses another partner's channel without naming it, and exports only Alfa in CSV", async () => {
    const { agent } = await loginAs(t.app, 'alfa');
    const res = await agent.get(`/statistics?${january}&channel=${w.betaChannel}`);
    expect(res.status).toBe(400);
    expect(res.text).toContain('Choose a channel from the list.');
    expect(res.text).not.toContain('Beta');
    const csv = await agent.get(`/statistics.csv?${january}&group=partner&partner=${w.beta}`);
    expect(csv.status).toBe(200);
    expect(csv.text).toBe(
      '\uFEFFPartner,Bookings,Cancellations,Net bookings,Partner bookings (net),Revenue,Partner commission,No-shows,Late cancellations\r\n' +
        'Alfa Health Insurance,2,0,2,2,40000.00,4000.00,0,0\r\n' +
        'Total,2,0,2,2,40000.00,4000.00,0,0\r\n',
    );
  });
});

describe('GET /statistics.csv', () => {
  it('exports exactly the table: BOM, header, quoted fields, plain amounts, totals, CRLF', async () => {
    const { agent } = await loginAs(t.app, 'boss');
    const res = await agent
      .get(`/statistics.csv?${january}&group=partner`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="traffic-statistics_2026-01-01_2026-01-31_by-partner.csv"',
    );
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toBe(
      '\uFEFFPartner,Bookings,Cancellations,Net bookings,Partner bookings (net),Revenue,Partner commission,No-shows,Late cancellations\r\n' +
        'Alfa Health Insurance,2,0,2,2,40000.00,4000.00,0,0\r\n' +
        'Beta Corporate Care,3,1,2,2,55000.00,3000.00,0,0\r\n' +
        '"Gamma ""Care"", Ltd.",2,1,1,1,35000.00,4375.00,0,0\r\n' +
        'Clinic channels (no partner),2,1,1,0,20000.00,0.00,0,0\r\n' +
        'Total,9,3,6,5,150000.00,11375.00,0,0\r\n',
    );
  });

  it('writes dates as YYYY-MM-DD and honours the same filters as the page', async () => {
    const { agent } = await loginAs(t.app, 'boss');
    const res = await agent.get(
      `/statistics.csv?from=2026-01-30&to=2026-02-01&group=day&partner_only=1&institution=${w.ny}`,
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toContain(
      'traffic-statistics_2026-01-30_2026-02-01_by-day.csv',
    );
    expect(res.text).toBe(
      '\uFEFFDay,Bookings,Cancellations,Net bookings,Partner bookings (net),Revenue,Partner commission,No-shows,Late cancellations\r\n' +
        '2026-01-30,0,0,0,0,0.00,0.00,0,0\r\n' +
        '2026-01-31,1,0,1,1,20000.00,2000.00,0,0\r\n' +
        '2026-02-01,0,0,0,0,0.00,0.00,0,0\r\n' +
        'Total,1,0,1,1,20000.00,2000.00,0,0\r\n',
    );
  });

  it('defuses a name that would run as a spreadsheet formula', async () => {
    await t.db('doctors').where({ id: w.drB }).update({ name: '=HYPERLINK("http://x.example","Dr")' });
    const { agent } = await loginAs(t.app, 'boss');
    const res = await agent.get(`/statistics.csv?${january}&group=doctor`);
    expect(res.status).toBe(200);
    const lines = res.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines).toContain(`"'=HYPERLINK(""http://x.example"",""Dr"")",2,0,2,2,55000.00,3000.00,0,0`);
    expect(lines).toContain('Dr Adams,7,3,4,3,95000.00,8375.00,0,0');
  });
});

describe('statistics helpers', () => {
  it('quotes and defuses CSV cells', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(['=1+2', '+1', '-1', '@SUM(A1)', 'Dr Who'].map(defuseFormula)).toEqual([
      "'=1+2",
      "'+1",
      "'-1",
      "'@SUM(A1)",
      'Dr Who',
    ]);
  });

  it('labels ISO weeks across year ends and lists every period key', () => {
    expect(isoWeekLabel('2027-01-01')).toBe('2026-W53');
    expect(isoWeekLabel('2024-12-30')).toBe('2025-W01');
    expect(isoWeekLabel('2026-11-25')).toBe('2026-W48');
    expect(periodKeys('2026-01-30', '2026-03-02', 'month')).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(periodKeys('2026-12-28', '2027-01-05', 'week')).toEqual(['2026-W53', '2027-W01']);
  });
});

describe('demo partner user alfa, given statistics', () => {
  it("sees Alfa's demo bookings and nothing of Beta's, whatever the query says", async () => {
    const demo = await makeTestApp({ demo: true });
    try {
      const alfaUser = await demo.db('users').where({ username: 'alfa' }).first();
      await demo.db('user_permissions').insert({ user_id: alfaUser.id, permission: 'statistics' });
      const beta = await demo.db('partners').where({ name: 'Beta Corporate Care' }).first();
      const betaChannel = await demo.db('traffic_channels').where({ partner_id: beta.id }).first();
      const range = await demo.db('bookings').min({ from: 'local_date' }).max({ to: 'local_date' }).first();
      const alfaBooked = await demo
        .db('bookings')
        .where({ partner_id: alfaUser.partner_id, status: 'booked' })
        .count({ n: '*' })
        .first();
      expect(Number(alfaBooked!.n)).toBeGreaterThan(0);
      const { agent } = await loginAs(demo.app, 'alfa');
      const base = `from=${range!.from}&to=${range!.to}`;
      const res = await agent.get(`/statistics?${base}&group=partner&partner=${beta.id}`);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('Beta Corporate Care');
      expect(tableRows(res.text).map((r) => [r[0], r[3]])).toEqual([
        ['Alfa Health Insurance', String(alfaBooked!.n)],
        ['Total', String(alfaBooked!.n)],
      ]);
      const csv = await agent.get(`/statistics.csv?${base}&group=channel&partner=${beta.id}`);
      expect(csv.text).not.toContain('Beta');
      expect((await agent.get(`/statistics?${base}&channel=${betaChannel.id}`)).status).toBe(400);
      // Without the grant the demo alfa has no statistics at all.
      await demo.db('user_permissions').where({ user_id: alfaUser.id, permission: 'statistics' }).del();
      expect((await agent.get(`/statistics?${base}`)).status).toBe(403);
    } finally {
      await demo.db.destroy();
    }
  });
});
