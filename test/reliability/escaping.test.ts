/** Stored values are shown escaped: an XSS payload in a patient name renders as text. */
import { makeTestApp, loginAs, type TestApp } from '../helpers';
import { fixtures } from '../fixtures';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp({ demo: true });
});
afterEach(async () => {
  await t.db.destroy();
});

describe('stored values are shown escaped', () => {
  it('renders an XSS payload in a patient name as text in search results and the bookings list', async () => {
    const xss = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    const patientId = await fixtures.patient(t.db, `Xss${xss}`, `Given${xss}`, { id_number: 'XSS000001' });
    // Give the patient a booking so the bookings list shows the name.
    const booking = await t.db('bookings').where({ status: 'booked' }).first();
    await t.db('bookings').where({ id: booking.id }).update({ patient_id: patientId });
    const { agent } = await loginAs(t.app, 'admin');
    const escaped = /&lt;script&gt;alert\((?:&#34;|&quot;)x(?:&#34;|&quot;)\)&lt;\/script&gt;/;
    const seenOn: string[] = [];
    for (const url of ['/patients?q=xss', '/bookings', `/bookings/${booking.id}`, `/patients/${patientId}`]) {
      for (const hx of [false, true]) {
        const res = hx ? await agent.get(url).set('HX-Request', 'true') : await agent.get(url);
        expect(res.status).toBe(200);
        expect(res.text).not.toContain('<script>alert');
        expect(res.text).not.toContain('<img src=x');
        if (escaped.test(res.text)) seenOn.push(`${url}${hx ? ' (htmx)' : ''}`);
      }
    }
    // The name is on screen, as text, on the search results and the bookings list.
    expect(seenOn).toEqual(
      expect.arrayContaining([
        '/patients?q=xss',
        '/bookings',
        `/bookings/${booking.id}`,
        `/patients/${patientId}`,
      ]),
    );
  });
});
