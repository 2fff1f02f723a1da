/**
 * Attendance marks (Arrived, Completed, No-show, Undo the same day), the bookings list's status
 * filter, the partner's cancellation window on cancelling (late cancellations), and statistics:
 * no-shows and late cancellations counted, earning no commission (issues 16, 17).
 */
import { FixedClock } from '../src/lib/clock';
import { buildReport } from '../src/statistics/statistics.service';
import type { StatisticsFilters } from '../src/statistics/statistics.types';
import { makeTestApp, loginAs, type TestApp, type LoggedIn } from './helpers';
import { demoIds, type DemoIds } from './booking-helpers';
import { bookingFor } from './move-helpers';

let t: TestApp;
let ids: DemoIds;
let clock: FixedClock;
let desk: LoggedIn;

beforeEach(async () => {
  clock = new FixedClock('2027-01-18T06:00:00.000Z');
  t = await makeTestApp({ demo: true, clock });
  ids = await demoIds(t.db);
  desk = await loginAs(t.app, 'desk');
});
afterEach(async () => {
  await t.db.destroy();
});

const row = (id: number) => t.db('bookings').where({ id }).first();
const mark = (u: LoggedIn, id: number, value: unknown) =>
  u.agent.post(`/bookings/${id}/attendance`).type('form').send({ mark: value, _csrf: u.csrf });
const undo = (u: LoggedIn, id: number) =>
  u.agent.post(`/bookings/${id}/attendance/undo`).type('form').send({ _csrf: u.csrf });
const cancel = (u: LoggedIn, id: number) =>
  u.agent.post(`/bookings/${id}/cancel`).type('form').send({ reason: 'Patient called', _csrf: u.csrf });

describe('POST /bookings/:id/attendance', () => {
  it('marks Arrived then Completed, audited, and shows the buttons by their names', async () => {
    const b = await bookingFor(t.db, ids, clock, { daysAhead: 0 });
    const page = await desk.agent.get(`/bookings/${b.bookingId}`);
    for (const label of ['Arrived', 'Completed', 'No-show'])
      expect(page.text).toContain(`>${label}</button>`);
    expect((await mark(desk, b.bookingId, 'arrived')).status).toBe(303);
    expect(await row(b.bookingId)).toMatchObject({ attendance: 'arrived', status: 'booked' });
    expect((await mark(desk, b.bookingId, 'completed')).status).toBe(303);
    expect((await row(b.bookingId)).attendance).toBe('completed');
    const audits = await t
      .db('audit_log')
      .where({ action: 'booking.attendance', entity_id: b.bookingId })
      .orderBy('id');
    expect(audits.map((a) => JSON.parse(a.details))).toMatchObject([
      { from: null, to: 'arrived' },
      { from: 'arrived', to: 'completed' },
    ]);
    expect(audits[0].actor_username).toBe('desk');
  });

  it('undoes a mistaken mark the same institution-local day, not the next day', async () => {
    const b = await bookingFor(t.db, ids, clock, { daysAhead: 0 });
    expect((await mark(desk, b.bookingId, 'no_show')).status).toBe(303);
    const page = await desk.agent.get(`/bookings/${b.bookingId}`);
    expect(page.text).toContain('>Undo the mark</button>');
    expect((await undo(desk, b.bookingId)).status).toBe(303);
    expect(await row(b.bookingId)).toMatchObject({ attendance: null, attendance_marked_at: null });
    expect(
      await t.db('audit_log').where({ action: 'booking.attendance_undone', entity_id: b.bookingId }),
    ).toHaveLength(1);
    expect((await mark(desk, b.bookingId, 'no_show')).status).toBe(303);
    // The next day (Budapest): too late to undo.
    clock.advance({ days: 1 });
    desk = await loginAs(t.app, 'desk');
    const late = await undo(desk, b.bookingId);
    expect(late.status).toBe(409);
    expect(late.text).toContain('A mark can only be undone on the day it was made.');
    expect((await row(b.bookingId)).attendance).toBe('no_show');
    expect((await desk.agent.get(`/bookings/${b.bookingId}`)).text).not.toContain('Undo the mark');
  });

  it('refuses a second different mark without undo, a future booking and a cancelled one (409)', async () => {
    const today = await bookingFor(t.db, ids, clock, { daysAhead: 0 });
    expect((await mark(desk, today.bookingId, 'no_show')).status).toBe(303);
    expect((await mark(desk, today.bookingId, 'arrived')).status).toBe(409);
    expect((await row(today.bookingId)).attendance).toBe('no_show');
    const future = await bookingFor(t.db, ids, clock, { daysAhead: 2 });
    const early = await mark(desk, future.bookingId, 'arrived');
    expect(early.status).toBe(409);
    expect(early.text).toContain('Attendance can be marked from the day of the appointment on.');
    const gone = await bookingFor(t.db, ids, clock, { daysAhead: 0 });
    expect((await cancel(desk, gone.bookingId)).status).toBe(303);
    expect((await mark(desk, gone.bookingId, 'arrived')).status).toBe(409);
    expect((await row(future.bookingId)).attendance).toBeNull();
    expect((await row(gone.bookingId)).attendance).toBeNull();
  });

  it('answers bad input with 422 and changes nothing', async () => {
    const b = await bookingFor(t.db, ids, clock, { daysAhead: 0 });
    for (const bad of ['', 'late', 'ARRIVED'])
      expect([bad, (await mark(desk, b.bookingId, bad)).status]).toEqual([bad, 422]);
    const res = await mark(desk, b.bookingId, 'nonsense');
    expect(res.text).toContain('Choose Arrived, Completed or No-show.');
    expect((await row(b.bookingId)).attendance).toBeNull();
    expect(await t.db('audit_log').where({ action: 'booking.attendance' })).toHaveLength(0);
  });

  it('refuses the viewer (403) and a moved-then-marked booking cannot be moved', async () => {
    const viewer = await loginAs(t.app, 'viewer');
    const b = await bookingFor(t.db, ids, clock, { daysAhead: 0 });
    expect((await mark(viewer, b.bookingId, 'arrived')).status).toBe(403);
    expect((await row(b.bookingId)).attendance).toBeNull();
    expect((await mark(desk, b.bookingId, 'arrived')).status).toBe(303);
    expect((await desk.agent.get(`/bookings/${b.bookingId}/move`)).status).toBe(409);
  });
});

describe('GET /bookings?status=', () => {
  it('filters by booked, cancelled, arrived, completed and no-show', async () => {
    const arrived = await bookingFor(t.db, ids, clock, { daysAhead: 0 });
    const noShow = await bookingFor(t.db, ids, clock, { daysAhead: 0 });
    const completed = await bookingFor(t.db, ids, clock, { daysAhead: 0 });
    const plain = await bookingFor(t.db, ids, clock, { daysAhead: 0 });
    const cancelled = await bookingFor(t.db, ids, clock, { daysAhead: 0 });
    expect((await mark(desk, arrived.bookingId, 'arrived')).status).toBe(303);
    expect((await mark(desk, noShow.bookingId, 'no_show')).status).toBe(303);
    expect((await mark(desk, completed.bookingId, 'completed')).status).toBe(303);
    expect((await cancel(desk, cancelled.bookingId)).status).toBe(303);
    const listed = async (status: string) => {
      const res = await desk.agent.get(`/bookings?status=${status}&from=2027-01-18&to=2027-01-25`);
      expect(res.status).toBe(200);
      const mine = [arrived, noShow, completed, plain, cancelled].map((b) => b.bookingId);
      return [...res.text.matchAll(/href="\/bookings\/(\d+)"/g)]
        .map((m) => Number(m[1]))
        .filter((id) => mine.includes(id));
    };
    expect(await listed('arrived')).toEqual([arrived.bookingId]);
    expect(await listed('no_show')).toEqual([noShow.bookingId]);
    expect(await listed('completed')).toEqual([completed.bookingId]);
    expect(await listed('cancelled')).toEqual([cancelled.bookingId]);
    expect((await listed('booked')).sort()).toEqual(
      [arrived.bookingId, noShow.bookingId, completed.bookingId, plain.bookingId].sort(),
    );
    const page = await desk.agent.get('/bookings?status=no_show&from=2027-01-18&to=2027-01-25');
    expect(page.text).toContain('<option value="no_show" selected>No-show</option>');
    expect(page.text).toContain('<span class="badge attendance-no_show">No-show</span>');
    expect((await desk.agent.get('/bookings?status=late')).status).toBe(400);
  });
});

describe('cancellation window on cancelling', () => {
  beforeEach(async () => {
    await t.db('partners').where({ id: ids.alfa }).update({ cancel_window_hours: 24 });
  });

  it('lets alfa cancel before the window closes, refuses it after; the desk then cancels late', async () => {
    const alfa = await loginAs(t.app, 'alfa');
    const early = await bookingFor(t.db, ids, clock, { daysAhead: 2 });
    expect((await cancel(alfa, early.bookingId)).status).toBe(303);
    expect(await row(early.bookingId)).toMatchObject({ status: 'cancelled' });
    expect(Boolean((await row(early.bookingId)).late_cancellation)).toBe(false);

    const soon = await bookingFor(t.db, ids, clock, { daysAhead: 0 });
    // Within 24 hours of the appointment: no cancel form for alfa, and the POST is refused.
    const page = await alfa.agent.get(`/bookings/${soon.bookingId}`);
    expect(page.text).not.toContain('id="cancel-booking"');
    const refused = await cancel(alfa, soon.bookingId);
    expect(refused.status).toBe(403);
    expect((await row(soon.bookingId)).status).toBe('booked');
    expect((await t.db('slot_occupancies').where({ booking_id: soon.bookingId })).length).toBe(1);

    expect((await cancel(desk, soon.bookingId)).status).toBe(303);
    const after = await row(soon.bookingId);
    expect(after.status).toBe('cancelled');
    expect(Boolean(after.late_cancellation)).toBe(true);
    const audit = await t
      .db('audit_log')
      .where({ action: 'booking.cancelled', entity_id: soon.bookingId })
      .first();
    expect(JSON.parse(audit.details)).toMatchObject({ lateCancellation: true });
    const shown = await desk.agent.get(`/bookings/${soon.bookingId}`);
    expect(shown.text).toContain('Late cancellation');
  });

  it('marks no late cancellation for a clinic booking or a partner without a window', async () => {
    await t.db('partners').where({ id: ids.alfa }).update({ cancel_window_hours: null });
    const a = await bookingFor(t.db, ids, clock, { daysAhead: 0 });
    const c = await bookingFor(t.db, ids, clock, { daysAhead: 0, partner: null });
    expect((await cancel(desk, a.bookingId)).status).toBe(303);
    expect((await cancel(desk, c.bookingId)).status).toBe(303);
    expect(Boolean((await row(a.bookingId)).late_cancellation)).toBe(false);
    expect(Boolean((await row(c.bookingId)).late_cancellation)).toBe(false);
  });
});

describe('settings: the partner cancellation window', () => {
  it('is shown, edited, validated (422 beside the field, nothing saved) and audited', async () => {
    const admin = await loginAs(t.app, 'admin');
    const page = await admin.agent.get(`/settings/partners/${ids.alfa}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Cancellation window');
    expect(page.text).toContain('Late cancellations and no-shows earn no commission.');
    const post = (value: string) =>
      admin.agent
        .post(`/settings/partners/${ids.alfa}/cancellation-window`)
        .type('form')
        .send({ cancel_window_hours: value, _csrf: admin.csrf });
    for (const bad of ['-1', '1.5', 'abc', '9000']) {
      const res = await post(bad);
      expect([bad, res.status]).toEqual([bad, 422]);
      expect(res.text).toMatch(/id="cancel_window_hours-error">Enter a whole number of hours from 0 to 8760/);
    }
    expect((await t.db('partners').where({ id: ids.alfa }).first()).cancel_window_hours).toBeNull();
    expect((await post('48')).status).toBe(303);
    expect(Number((await t.db('partners').where({ id: ids.alfa }).first()).cancel_window_hours)).toBe(48);
    const shown = await admin.agent.get(`/settings/partners/${ids.alfa}`);
    expect(shown.text).toContain('Partner users may cancel and move until 48 hours before the appointment.');
    expect((await post('')).status).toBe(303);
    expect((await t.db('partners').where({ id: ids.alfa }).first()).cancel_window_hours).toBeNull();
    const audits = await t
      .db('audit_log')
      .where({ action: 'settings.partner.cancellation_window' })
      .orderBy('id');
    expect(audits.map((a) => JSON.parse(a.details))).toEqual([
      { before: null, after: 48 },
      { before: 48, after: null },
    ]);
    // Not a partner user's nor the desk's setting.
    expect(
      (
        await desk.agent
          .post(`/settings/partners/${ids.alfa}/cancellation-window`)
          .type('form')
          .send({ cancel_window_hours: '1', _csrf: desk.csrf })
      ).status,
    ).toBe(403);
  });
});

describe('statistics: no-shows and late cancellations', () => {
  const filters = (): StatisticsFilters => ({
    from: '2027-01-18',
    to: '2027-01-31',
    basis: 'appointment',
    group: 'partner',
    institutionId: null,
    channelId: null,
    partnerId: ids.alfa,
    serviceId: null,
    doctorId: null,
    partnerOnly: false,
  });

  it('counts them per partner and gives them no commission', async () => {
    await t.db('partners').where({ id: ids.alfa }).update({ cancel_window_hours: 24 });
    const scope = { partnerId: null, institutionIds: null };
    const before = await buildReport(t.db, filters(), scope);
    const base = before.commissions.find((c) => c.partnerId === ids.alfa)!;
    const attended = await bookingFor(t.db, ids, clock, { daysAhead: 0 });
    const noShow = await bookingFor(t.db, ids, clock, { daysAhead: 0 });
    const late = await bookingFor(t.db, ids, clock, { daysAhead: 0 });
    expect((await mark(desk, attended.bookingId, 'arrived')).status).toBe(303);
    expect((await mark(desk, noShow.bookingId, 'no_show')).status).toBe(303);
    expect((await cancel(desk, late.bookingId)).status).toBe(303);
    const report = await buildReport(t.db, filters(), scope);
    const alfaRow = report.rows.find((r) => r.label === 'Alfa Health Insurance')!;
    const baseRow = before.rows.find((r) => r.label === 'Alfa Health Insurance');
    expect(alfaRow.noShows - (baseRow?.noShows ?? 0)).toBe(1);
    expect(alfaRow.lateCancellations - (baseRow?.lateCancellations ?? 0)).toBe(1);
    // Each test booking carries a 2000.00 commission snapshot: only the attended one earns it.
    expect(alfaRow.commissionMinor - (baseRow?.commissionMinor ?? 0)).toBe(200000);
    const commission = report.commissions.find((c) => c.partnerId === ids.alfa)!;
    expect(commission.commissionMinor - base.commissionMinor).toBe(200000);
    expect(commission.bookings - base.bookings).toBe(1);
    expect(report.totals.noShows).toBe(alfaRow.noShows);
    // The page and the CSV show the columns.
    const admin = await loginAs(t.app, 'admin');
    const page = await admin.agent.get('/statistics?from=2027-01-18&to=2027-01-31&group=partner');
    expect(page.status).toBe(200);
    expect(page.text).toContain('No-shows');
    expect(page.text).toContain('Late cancellations');
    const csv = await admin.agent.get('/statistics.csv?from=2027-01-18&to=2027-01-31&group=partner');
    expect(csv.text.split('\r\n')[0]).toMatch(/No-shows,Late cancellations$/);
  });
});

describe('access matrix: move and attendance routes x demo roles, on a real Alfa booking', () => {
  it('answers each role as its permissions and tenancy say, and changes nothing for the refused', async () => {
    const b = await bookingFor(t.db, ids, clock, { daysAhead: 0 });
    const expected: Record<string, { calendar: number; reserve: number; mark: number }> = {
      viewer: { calendar: 403, reserve: 403, mark: 403 },
      beta: { calendar: 404, reserve: 404, mark: 403 },
      alfa: { calendar: 200, reserve: 422, mark: 403 },
      desk: { calendar: 200, reserve: 422, mark: 422 },
      admin: { calendar: 200, reserve: 422, mark: 422 },
    };
    for (const [role, want] of Object.entries(expected)) {
      const u = role === 'desk' ? desk : await loginAs(t.app, role);
      const calendar = await u.agent.get(`/bookings/${b.bookingId}/move`);
      // No slot: 422 beside the calendar for those who may move it.
      const reserve = await u.agent
        .post(`/bookings/${b.bookingId}/move`)
        .type('form')
        .send({ _csrf: u.csrf });
      const marked = await mark(u, b.bookingId, '');
      expect([role, calendar.status, reserve.status, marked.status]).toEqual([
        role,
        want.calendar,
        want.reserve,
        want.mark,
      ]);
    }
    expect(Number((await t.db('holds').count({ n: '*' }).first())!.n)).toBe(0);
    expect(await row(b.bookingId)).toMatchObject({ attendance: null, starts_at: b.startsAt });
  });
});
