import request from 'supertest';
import { makeTestApp, loginAs, type TestApp } from './helpers';

let t: TestApp;
let destroyed = false;
beforeEach(async () => {
  t = await makeTestApp({ staff: true });
  destroyed = false;
});
afterEach(async () => {
  if (!destroyed) await t.db.destroy();
});

describe('error pages', () => {
  it('renders the 404 page for an unknown URL', async () => {
    const { agent } = await loginAs(t.app, 'desk');
    const res = await agent.get('/no/such/page');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('<h1>Not found</h1>');
    expect(res.text).toContain('This page does not exist.');
    expect(res.text).toContain('href="/"');
  });

  it('renders the 404 page to anonymous visitors too', async () => {
    const res = await request(t.app).get('/no/such/page');
    expect(res.status).toBe(404);
    expect(res.text).toContain('<h1>Not found</h1>');
  });

  it('renders the 403 page for a function the user may not use', async () => {
    const { agent } = await loginAs(t.app, 'viewer');
    const res = await agent.get('/admin/users');
    expect(res.status).toBe(403);
    expect(res.text).toContain('<h1>Not allowed</h1>');
    expect(res.text).toContain('You do not have permission to do this.');
  });

  it('answers htmx with a message fragment aimed at the message area', async () => {
    const { agent } = await loginAs(t.app, 'viewer');
    const res = await agent.get('/admin/users').set('HX-Request', 'true');
    expect(res.status).toBe(403);
    expect(res.headers['hx-retarget']).toBe('#messages');
    expect(res.text).not.toContain('<html');
    expect(res.text).toContain('You do not have permission to do this.');
  });

  it('refuses a form without a CSRF token with a clear 403 page', async () => {
    const { agent } = await loginAs(t.app, 'admin');
    const res = await agent.post('/admin/users').type('form').send({ username: 'x' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('Your form has expired');
    expect(await t.db('users').where({ username: 'x' })).toHaveLength(0);
  });

  it('answers a badly encoded form with the form and its messages (422), not a 500', async () => {
    const { agent, csrf } = await loginAs(t.app, 'admin');
    const before = await t.db('users').count({ n: '*' }).first();
    const res = await agent
      .post('/admin/users')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send(`_csrf=${csrf}&username=%E0%A4%A&displayName=%FF`);
    expect(res.status).toBe(422);
    expect(res.text).toContain('Please correct the marked fields.');
    expect(await t.db('users').count({ n: '*' }).first()).toEqual(before);
  });

  it('renders a generic 500 page with no stack trace when something unexpected fails', async () => {
    await t.db.destroy();
    destroyed = true;
    const res = await request(t.app).get('/healthz');
    expect(res.status).toBe(500);
    expect(res.text).toContain('<h1>Something went wrong</h1>');
    expect(res.text).toContain('Something went wrong on our side. Nothing was changed.');
    expect(res.text).not.toMatch(/\bat .*\(.*:\d+:\d+\)|node_modules|Error:|knex|pool/i);
  });
});
