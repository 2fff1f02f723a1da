/**
 * The statistics page's export of the report's bookings with their reference numbers (issue 17):
 * linked next to the table's CSV, the same filters and partner scope as the report, the partner's
 * reference label beside the number, text cells defused against formula injection. On SQLite and
 * PostgreSQL (TEST_DATABASE_URL).
 */
import { FixedClock } from '../src/lib/clock';
import { makeTestApp, loginAs, type TestApp } from './helpers';
import { demoIds, type DemoIds } from './booking-helpers';
import { bookingFor } from './move-helpers';

let t: TestApp;
let ids: DemoIds;
let made: { alfa: number; beta: number; clinic: number; alfaNoRef: number };

const period = 'from=2027-01-18&to=2027-02-28';
const header =
  '\uFEFFBooking,Date and time,Booked on,Institution,Doctor,Service,Patient,Channel,Partner,Reference label,Reference,Status\r\n';

beforeEach(async () => {
  const clock = new FixedClock('2027-01-18T06:00:00.000Z');
  t = await makeTestApp({ demo: true, clock });
  ids = await demoIds(t.db);
  const alfa = (await bookingFor(t.db, ids, clock, { partner: 'alfa', daysAhead: 1 })).bookingId;
  const beta = (await bookingFor(t.db, ids, clock, { partner: 'beta', daysAhead: 1 })).bookingId;
  const clinic = (await bookingFor(t.db, ids, clock, { partner: null, daysAhead: 1 })).bookingId;
  const alfaNoRef = (await bookingFor(t.db, ids, clock, { partner: 'alfa', daysAhead: 2 })).bookingId;
  made = { alfa, beta, clinic, alfaNoRef };
  await t.db('partners').where({ id: ids.alfa }).update({ reference_label: 'Authorisation number' });
  await t.db('bookings').where({ id: alfa }).update({ reference: 'AB123456' });
  // A reference typed by a partner that would run as a spreadsheet formula.
  await t.db('bookings').where({ id: beta }).update({ reference: '=HYPERLINK("http://x","y")' });
  const alfaUser = await t.db('users').where({ username: 'alfa' }).first();
  await t.db('user_permissions').insert({ user_id: alfaUser.id, permission: 'statistics' });
});
afterEach(async () => {
  await t.db.destroy();
});

/** Data lines of a CSV (header and BOM dropped), split naively on "," (fine for these rows). */
const lines = (csv: string) => csv.split('\r\n').slice(1, -1);
const idOf = (line: string) => Number(line.split(',')[0]);

describe('GET /statistics/bookings.csv', () => {
  it('is linked from the report with the same filters, in every language', async () => {
    const admin = await loginAs(t.app, 'admin');
    const page = await admin.agent.get(`/statistics?${period}&group=partner&partner=${ids.alfa}`);
    expect(page.status).toBe(200);
    const link =
      /<a class="button secondary" href="(\/statistics\/bookings\.csv\?[^"]*)" download>([^<]*)<\/a>/.exec(
        page.text,
      );
    expect(link).not.toBeNull();
    expect(link![2]).toBe('Download these bookings with reference numbers (CSV)');
    expect(link![1].replace(/&amp;/g, '&')).toContain(`partner=${ids.alfa}`);
    const csv = await admin.agent.get(link![1].replace(/&amp;/g, '&'));
    expect(csv.status).toBe(200);
    const alfaInPeriod = await t
      .db('bookings')
      .where({ partner_id: ids.alfa })
      .whereBetween('local_date', ['2027-01-18', '2027-02-28'])
      .orderBy('id')
      .select('id');
    expect(alfaInPeriod.map((r: { id: number }) => Number(r.id))).toEqual(
      expect.arrayContaining([made.alfa, made.alfaNoRef]),
    );
    expect(
      lines(csv.text)
        .map(idOf)
        .sort((a, b) => a - b),
    ).toEqual(alfaInPeriod.map((r: { id: number }) => Number(r.id)));
    for (const [lang, text] of [
      ['hu', 'A foglalások letöltése hivatkozási számokkal (CSV)'],
      ['ro', 'Descărcați aceste programări cu numerele de referință (CSV)'],
    ]) {
      const admin2 = await loginAs(t.app, 'admin');
      await t.db('users').where({ username: 'admin' }).update({ language: lang });
      const res = await admin2.agent.get(`/statistics?${period}`);
      expect([lang, res.text.includes(text)]).toEqual([lang, true]);
    }
  });

  it('writes every booking of the period with its reference and the partner label, defused', async () => {
    const admin = await loginAs(t.app, 'admin');
    const res = await admin.agent.get(`/statistics/bookings.csv?${period}&group=day`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="traffic-statistics-bookings_2027-01-18_2027-02-28.csv"',
    );
    expect(res.text.startsWith(header)).toBe(true);
    const inPeriod = await t
      .db('bookings')
      .whereBetween('local_date', ['2027-01-18', '2027-02-28'])
      .select('id');
    expect(lines(res.text)).toHaveLength(inPeriod.length);
    const row = (id: number) => lines(res.text).find((l) => idOf(l) === id)!;
    expect(row(made.alfa)).toMatch(/,Alfa Health Insurance,Authorisation number,AB123456,Booked$/);
    // Beta set no label: the default; its formula-like reference is text, quoted for its quotes.
    expect(row(made.beta)).toMatch(
      /,Beta Corporate Care,Reference number,"'=HYPERLINK\(""http:\/\/x"",""y""\)",Booked$/,
    );
    expect(row(made.clinic)).toMatch(/,Reception,,,,Booked$/);
    expect(row(made.alfaNoRef)).toMatch(/,Alfa Health Insurance,Authorisation number,,Booked$/);
  });

  it('honours the filters and the date basis, and says how each booking ended', async () => {
    await t
      .db('bookings')
      .where({ id: made.alfaNoRef })
      .update({ status: 'cancelled', late_cancellation: true });
    const admin = await loginAs(t.app, 'admin');
    const byChannel = await admin.agent.get(`/statistics/bookings.csv?${period}&channel=${ids.reception}`);
    expect(lines(byChannel.text).map(idOf)).toContain(made.clinic);
    expect(lines(byChannel.text).map(idOf)).not.toContain(made.alfa);
    const partnerOnly = await admin.agent.get(`/statistics/bookings.csv?${period}&partner_only=1`);
    expect(lines(partnerOnly.text).map(idOf)).not.toContain(made.clinic);
    const late = lines(partnerOnly.text).find((l) => idOf(l) === made.alfaNoRef)!;
    expect(late).toMatch(/,Late cancellation$/);
    // By booking date: these were all made on 2027-01-18, so a period ending the day before has none of them.
    const before = await admin.agent.get(
      '/statistics/bookings.csv?from=2026-12-01&to=2027-01-17&basis=booking',
    );
    expect(before.status).toBe(200);
    for (const id of Object.values(made)) expect(lines(before.text).map(idOf)).not.toContain(id);
  });

  it("gives a partner user only its own partner's bookings, whatever the URL names", async () => {
    const alfa = await loginAs(t.app, 'alfa');
    for (const query of [`${period}`, `${period}&partner=${ids.beta}`, `${period}&group=channel`]) {
      const res = await alfa.agent.get(`/statistics/bookings.csv?${query}`);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('Beta');
      expect(res.text).not.toContain('HYPERLINK');
      expect(res.text).not.toContain('Reception');
      const ids2 = lines(res.text).map(idOf);
      expect(ids2).toEqual(expect.arrayContaining([made.alfa, made.alfaNoRef]));
      const own = await t.db('bookings').where({ partner_id: ids.alfa }).whereIn('id', ids2).select('id');
      expect(own).toHaveLength(ids2.length);
    }
    // Another partner's channel is refused as on the report, without naming it.
    const refused = await alfa.agent.get(`/statistics/bookings.csv?${period}&channel=${ids.betaChannel}`);
    expect(refused.status).toBe(400);
    expect(refused.text).not.toContain('Beta');
  });

  it('is refused without the statistics permission (403) and to visitors', async () => {
    const beta = await loginAs(t.app, 'beta');
    expect((await beta.agent.get(`/statistics/bookings.csv?${period}`)).status).toBe(403);
    const viewer = await loginAs(t.app, 'viewer');
    const res = await viewer.agent.get(`/statistics/bookings.csv?${period}`);
    expect(res.status).toBe(403);
    expect(res.text).not.toContain('AB123456');
    const anonymous = await (
      await import('supertest')
    )
      .default(t.app)
      .get(`/statistics/bookings.csv?${period}`);
    expect(anonymous.status).not.toBe(200);
    expect(anonymous.text).not.toContain('AB123456');
  });
});
