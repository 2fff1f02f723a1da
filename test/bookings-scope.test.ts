/** One booking scope for every path: partner AND institution limits (src/lib/scope.ts). */
import { fixtures } from './fixtures';
import { makeTestApp, loginAs, type TestApp } from './helpers';
import { demoIds } from './booking-helpers';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp({ demo: true });
});
afterEach(async () => {
  await t.db.destroy();
});

const rowIds = (html: string) => [...html.matchAll(/data-booking-id="(\d+)"/g)].map((m) => Number(m[1]));

describe('a partner user limited to one institution', () => {
  it("does not see, open or cancel its partner's booking at another institution", async () => {
    const i = await demoIds(t.db);
    const atBuda = (
      await t.db('bookings').where({ partner_id: i.alfa, institution_id: i.buda, status: 'booked' }).first()
    ).id as number;
    const atVienna = (
      await t.db('bookings').where({ partner_id: i.alfa, institution_id: i.vienna, status: 'booked' }).first()
    ).id as number;
    await fixtures.user(t.db, 'alfa-buda', ['partner_booking', 'bookings_view'], i.alfa, {
      institutionIds: [i.buda],
    });
    const { agent, csrf } = await loginAs(t.app, 'alfa-buda');

    const list = await agent.get('/bookings?from=2000-01-01&to=2100-12-31&status=all');
    expect(list.status).toBe(200);
    expect(rowIds(list.text)).toContain(atBuda);
    expect(rowIds(list.text)).not.toContain(atVienna);
    // The institution filter offers only Buda.
    expect(list.text).not.toContain('Vienna Day Clinic');

    expect((await agent.get(`/bookings/${atBuda}`)).status).toBe(200);
    expect((await agent.get(`/bookings/${atVienna}`)).status).toBe(404);
    expect((await agent.get(`/booking/confirmation/${atVienna}`)).status).toBe(404);

    const cancel = await agent
      .post(`/bookings/${atVienna}/cancel`)
      .type('form')
      .send({ reason: 'Not mine', _csrf: csrf });
    expect(cancel.status).toBe(404);
    expect((await t.db('bookings').where({ id: atVienna }).first()).status).toBe('booked');
    expect(await t.db('audit_log').where({ action: 'booking.cancelled', entity_id: atVienna })).toHaveLength(
      0,
    );
  });
});
