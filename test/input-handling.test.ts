/**
 * The shared ways of reading input and answering a POST (src/lib/validate.ts, src/lib/render.ts):
 * one path from an invalid form to a 422 keyed by form field, and one redirect after an htmx POST.
 */
import { z } from 'zod';
import { makeTestApp, loginAs, type TestApp } from './helpers';
import { makeTaj } from '../src/patients/identifiers';
import {
  checkbox,
  fieldErrors,
  fieldText,
  fieldTextList,
  isTicked,
  parseOr422,
  single,
} from '../src/lib/validate';
import { Validation } from '../src/lib/errors';

describe('parseOr422 and fieldErrors', () => {
  const schema = z.object({
    name: z.string().min(1, 'Enter a name.'),
    tags: z.array(z.enum(['a', 'b'], { message: 'Unknown tag.' })),
  });

  it('keys a message by the form field, not by the position in a list', () => {
    const result = schema.safeParse({ name: '', tags: ['a', 'b', 'x'] });
    expect(result.success).toBe(false);
    expect(fieldErrors(result.error!)).toEqual({ name: 'Enter a name.', tags: 'Unknown tag.' });
  });

  it('throws a Validation (422) with those messages, and returns the data when fine', () => {
    let thrown: unknown;
    try {
      parseOr422(schema, { name: 'x', tags: ['x'] }, 'Fix it.');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(Validation);
    expect((thrown as Validation).status).toBe(422);
    expect((thrown as Validation).message).toBe('Fix it.');
    expect((thrown as Validation).fieldErrors).toEqual({ tags: 'Unknown tag.' });
    expect(parseOr422(schema, { name: 'x', tags: ['a'] })).toEqual({ name: 'x', tags: ['a'] });
  });
});

describe('single-value helpers', () => {
  it('reads one checkbox the same way everywhere: on, 1, true ticked; the last of a repeated field counts', () => {
    for (const v of ['on', '1', 'true', true, ['0', 'on']]) expect(isTicked(v)).toBe(true);
    for (const v of [undefined, '', '0', 'off', 'false', 'yes', ['on', '0'], { a: 'on' }])
      expect(isTicked(v)).toBe(false);
    expect(checkbox.parse('1')).toBe(true);
    expect(checkbox.parse(undefined)).toBe(false);
  });

  it('takes the first value of a repeated field, as text or checked by a schema', () => {
    expect(single().parse(['a', 'b'])).toBe('a');
    expect(single(z.enum(['x', 'y'])).safeParse(['z', 'x']).success).toBe(false);
    expect(fieldText(['abc', 'd'], 2)).toBe('ab');
    expect(fieldText({ a: 'b' })).toBe('');
    expect(fieldTextList(['a', { b: 1 }, 'c'])).toEqual(['a', 'c']);
    expect(fieldTextList('a')).toEqual(['a']);
    expect(fieldTextList(undefined)).toEqual([]);
  });
});

describe('an unknown ticked permission on the new-user form', () => {
  let t: TestApp;
  afterEach(() => t.db.destroy());

  it('is shown beside the Permissions field (422) and creates nothing', async () => {
    t = await makeTestApp({ demo: true });
    const { agent, csrf } = await loginAs(t.app, 'admin');
    const res = await agent
      .post('/admin/users')
      .type('form')
      .send({
        _csrf: csrf,
        username: 'nurse',
        displayName: 'Nurse',
        password: 'long-enough-1',
        passwordConfirm: 'long-enough-1',
        allInstitutions: 'on',
        active: 'on',
        permissions: ['booking', 'bookings_view', 'no_such_permission'],
      });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Unknown permission.');
    expect(res.text).not.toContain('permissions.2');
    expect(await t.db('users').where({ username: 'nurse' }).first()).toBeUndefined();
  });
});

describe('redirect after a successful htmx POST', () => {
  let t: TestApp;
  afterEach(() => t.db.destroy());

  it('answers 200 with HX-Redirect for a new patient, and 303 without htmx', async () => {
    t = await makeTestApp({ demo: true });
    const { agent, csrf } = await loginAs(t.app, 'desk');
    const form = {
      family_name: 'Kiss',
      given_name: 'Réka',
      birth_date: '1991-02-03',
      id_type: 'taj',
      phone: '+36 20 555 1234',
      email: 'reka@example.com',
      _csrf: csrf,
    };
    const htmx = await agent
      .post('/patients/new')
      .set('HX-Request', 'true')
      .type('form')
      .send({ ...form, id_number: makeTaj('12312312') });
    expect(htmx.status).toBe(200);
    const first = await t
      .db('patients')
      .where({ id_number: makeTaj('12312312') })
      .first();
    expect(htmx.headers['hx-redirect']).toBe(`/patients/${first.id}`);
    const plain = await agent
      .post('/patients/new')
      .type('form')
      .send({ ...form, given_name: 'Anna', id_number: makeTaj('32132132') });
    expect(plain.status).toBe(303);
    const second = await t
      .db('patients')
      .where({ id_number: makeTaj('32132132') })
      .first();
    expect(plain.headers.location).toBe(`/patients/${second.id}`);
    expect(plain.headers['hx-redirect']).toBeUndefined();
  });

  it('answers 200 with HX-Redirect after cancelling a booking', async () => {
    t = await makeTestApp({ demo: true });
    const booking = await t.db('bookings').whereNull('partner_id').where({ status: 'booked' }).first();
    const { agent, csrf } = await loginAs(t.app, 'desk');
    const res = await agent
      .post(`/bookings/${booking.id}/cancel`)
      .set('HX-Request', 'true')
      .type('form')
      .send({ reason: 'Patient is ill', _csrf: csrf });
    expect(res.status).toBe(200);
    expect(res.headers['hx-redirect']).toBe(`/bookings/${booking.id}`);
    expect((await t.db('bookings').where({ id: booking.id }).first()).status).toBe('cancelled');
  });
});
