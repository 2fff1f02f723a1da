import { makeTestApp, loginAs, type TestApp } from './helpers';
import { fixtures } from './fixtures';
import { loadCurrentUser } from '../src/users/users.queries';
import { createUser } from '../src/users/users.service';
import { Validation } from '../src/lib/errors';
import type { CurrentUser } from '../src/lib/permissions';

let t: TestApp;
afterEach(async () => {
  await t.db.destroy();
});

async function admin(): Promise<CurrentUser> {
  const row = await t.db('users').where({ username: 'admin' }).first();
  return (await loadCurrentUser(t.db, row.id))!;
}

describe('createUser (service)', () => {
  it('creates a partner user who can log in, and audits it without the password', async () => {
    t = await makeTestApp({ demo: true });
    const alfa = await t.db('partners').where({ name: 'Alfa Health Insurance' }).first();
    const id = await createUser(t.db, await admin(), { username: 'alfa2', displayName: 'Alfa Two', password: 'secret-pass-1', partnerId: alfa.id, permissions: ['partner_booking', 'bookings_view'], allInstitutions: true, institutionIds: [] }, '127.0.0.1');
    const user = await loadCurrentUser(t.db, id);
    expect(user?.partnerId).toBe(alfa.id);
    expect([...user!.permissions].sort()).toEqual(['bookings_view', 'partner_booking']);
    const entry = await t.db('audit_log').where({ action: 'user.created', entity_id: id }).first();
    expect(entry.actor_username).toBe('admin');
    expect(entry.details).not.toContain('secret-pass-1');
    expect(JSON.parse(entry.details).permissions).toEqual(['bookings_view', 'partner_booking']);
    const { agent } = await loginAs(t.app, 'alfa2', 'secret-pass-1');
    expect((await agent.get('/')).text).toContain('Book to partner');
  });

  it('refuses settings for a partner user and a taken user name, writing nothing', async () => {
    t = await makeTestApp({ demo: true });
    const alfa = await t.db('partners').where({ name: 'Alfa Health Insurance' }).first();
    const before = await t.db('users').count({ n: '*' }).first();
    const err = await createUser(t.db, await admin(), { username: 'Desk', displayName: 'X', password: 'secret-pass-1', partnerId: alfa.id, permissions: ['partner_booking', 'settings'], allInstitutions: true, institutionIds: [] }).catch((e) => e);
    expect(err).toBeInstanceOf(Validation);
    expect(err.status).toBe(422);
    expect(err.fieldErrors.username).toMatch(/already taken/);
    expect(err.fieldErrors.permissions).toContain('Settings');
    expect(await t.db('users').count({ n: '*' }).first()).toEqual(before);
  });

  it('refuses unknown partner and institution ids and a short password', async () => {
    t = await makeTestApp();
    const actorId = await fixtures.user(t.db, 'root', ['users_admin']);
    const actor = (await loadCurrentUser(t.db, actorId))!;
    const err = await createUser(t.db, actor, { username: 'newbie', displayName: 'New', password: 'secret-pass-1', partnerId: 999, permissions: [], allInstitutions: false, institutionIds: [12345] }).catch((e) => e);
    expect(err.fieldErrors).toEqual({ partnerId: expect.any(String), institutionIds: expect.any(String) });
    const short = await createUser(t.db, actor, { username: 'newbie', displayName: 'New', password: 'short', partnerId: null, permissions: [], allInstitutions: true, institutionIds: [] }).catch((e) => e);
    expect(short.fieldErrors.password).toMatch(/at least 8/);
    expect(await t.db('users').where({ username: 'newbie' })).toHaveLength(0);
  });
});
