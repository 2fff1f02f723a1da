import { makeTestApp, loginAs, type TestApp } from './helpers';
import { fixtures } from './fixtures';

let t: TestApp;
afterEach(async () => {
  await t.db.destroy();
});

/** The labels of the tiles on the home page, in order. */
function tileLabels(html: string): string[] {
  return [...html.matchAll(/<a class="tile" href="[^"]*"><strong>([^<]*)<\/strong>/g)].map((m) => m[1]);
}

describe('GET /', () => {
  const expected: Record<string, string[]> = {
    admin: [
      'Book to partner',
      'Calendar',
      'Bookings',
      'Day list',
      'Patients',
      'Statistics',
      'Traffic channels',
      'Settings',
      'Admin users',
      'Audit log',
    ],
    desk: ['Book to partner', 'Calendar', 'Bookings', 'Day list', 'Patients'],
    viewer: ['Bookings', 'Day list'],
    alfa: ['Book to partner', 'Bookings', 'Day list'],
    beta: ['Book to partner', 'Bookings', 'Day list'],
  };

  it.each(Object.keys(expected))('shows %s exactly the tiles its permissions allow', async (username) => {
    t = await makeTestApp({ demo: true });
    const { agent } = await loginAs(t.app, username);
    const res = await agent.get('/');
    expect(res.status).toBe(200);
    expect(tileLabels(res.text)).toEqual(expected[username]);
  });

  it.each([
    ['viewer', 'List and filter bookings.'],
    ['alfa', 'List, filter and cancel bookings.'],
    ['desk', 'List, filter and cancel bookings.'],
  ])('describes the Bookings tile to %s as "%s"', async (username, description) => {
    t = await makeTestApp();
    await fixtures.staffOffice(t.db);
    const { agent } = await loginAs(t.app, username);
    const res = await agent.get('/');
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<strong>Bookings</strong><span>${description}</span>`);
    expect(res.text).not.toContain(
      description === 'List and filter bookings.' ? 'cancel bookings' : 'List and filter bookings.',
    );
  });

  it('leads each tile to a page the user may open', async () => {
    t = await makeTestApp({ demo: true });
    const { agent } = await loginAs(t.app, 'admin');
    const home = await agent.get('/');
    const hrefs = [...home.text.matchAll(/<a class="tile" href="([^"]*)">/g)].map((m) => m[1]);
    expect(hrefs).toHaveLength(10);
    for (const href of hrefs) expect([href, (await agent.get(href)).status]).toEqual([href, 200]);
  });

  it('never shows a partner user a clinic-only tile, even if the permission row exists', async () => {
    t = await makeTestApp();
    const { partnerId } = await fixtures.partner(t.db, 'Gamma Care');
    await fixtures.user(t.db, 'gamma', ['partner_booking', 'settings', 'users_admin', 'booking'], partnerId);
    const { agent } = await loginAs(t.app, 'gamma');
    const res = await agent.get('/');
    expect(tileLabels(res.text)).toEqual(['Book to partner']);
    expect((await agent.get('/settings')).status).toBe(403);
    expect((await agent.get('/admin/users')).status).toBe(403);
  });

  it('tells a user without any permission to ask an administrator', async () => {
    t = await makeTestApp();
    await fixtures.user(t.db, 'nobody', []);
    const { agent } = await loginAs(t.app, 'nobody');
    const res = await agent.get('/');
    expect(res.status).toBe(200);
    expect(tileLabels(res.text)).toEqual([]);
    expect(res.text).toContain('Admin users menu');
  });

  it('sends an anonymous visitor to the login page', async () => {
    t = await makeTestApp();
    const { default: request } = await import('supertest');
    const res = await request(t.app).get('/');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/login?next=%2F');
  });
});
