import { makeTestApp, loginAs, type TestApp } from './helpers';
import { demoIds, freeSlot, reserve, save, tokenOf } from './booking-helpers';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp({ demo: true });
});
afterEach(async () => {
  await t.db.destroy();
});

// Beta may not see clinic patient records: a clinic patient is reachable only by exact identifier.
describe('POST /reservations/:token/book (restricted patients)', () => {
  async function betaHold() {
    const ids = await demoIds(t.db);
    const beta = await loginAs(t.app, 'beta');
    const slot = await freeSlot(t.db, ids.buda, ids.ecg);
    const res = await reserve(beta, {
      institution: ids.buda,
      service: ids.ecg,
      doctor: slot.doctor_id,
      slot: slot.id,
    });
    expect(res.status).toBe(303);
    return { ids, beta, token: tokenOf(res.headers.location) };
  }

  it('refuses a clinic patient picked by guessing the id, and books nothing', async () => {
    const { ids, beta, token } = await betaHold();
    const guessed = await beta.agent.get(`/reservations/${token}?selected=${ids.janos}`);
    expect(guessed.status).toBe(200);
    expect(guessed.text).not.toContain('János');
    const res = await save(beta, token, ids.janos);
    expect(res.status).toBe(422);
    expect(await t.db('bookings').where({ patient_id: ids.janos, partner_id: ids.beta })).toHaveLength(0);
  });

  it('books a clinic patient found by exact identifier', async () => {
    const { ids, beta, token } = await betaHold();
    const janos = await t.db('patients').select('id_number').where({ id: ids.janos }).first();
    const search = await beta.agent.get(`/reservations/${token}?q=${janos.id_number}`);
    expect(search.status).toBe(200);
    expect(search.text).toContain('János');
    expect(search.text).not.toContain('1968-03-14');
    const res = await save(beta, token, ids.janos);
    expect(res.status).toBe(303);
    expect(await t.db('bookings').where({ patient_id: ids.janos, partner_id: ids.beta })).toHaveLength(1);
  });
});

describe('patient visibility after a partner booking', () => {
  it('does not open a clinic record to a partner that booked the patient, nor after it cancelled', async () => {
    const ids = await demoIds(t.db);
    const betaUser = await t.db('users').where({ username: 'beta' }).first();
    await t.db('user_permissions').insert({ user_id: betaUser.id, permission: 'patients' });
    const beta = await loginAs(t.app, 'beta');
    const janos = await t.db('patients').where({ id: ids.janos }).first();
    const slot = await freeSlot(t.db, ids.buda, ids.ecg);
    const token = tokenOf(
      (
        await reserve(beta, {
          institution: ids.buda,
          service: ids.ecg,
          doctor: slot.doctor_id,
          slot: slot.id,
        })
      ).headers.location,
    );
    expect((await beta.agent.get(`/reservations/${token}?q=${janos.id_number}`)).text).toContain('János');
    const saved = await save(beta, token, ids.janos);
    expect(saved.status).toBe(303);
    const booking = await t.db('bookings').where({ patient_id: ids.janos, partner_id: ids.beta }).first();

    // Even while the booking stands, Beta (no clinic records) sees name and year of birth only.
    const whileBooked = await beta.agent.get(`/patients/${ids.janos}`);
    expect(whileBooked.status).toBe(200);
    expect(whileBooked.text).toContain('Year of birth');
    expect(whileBooked.text).not.toContain('1968-03-14');

    const cancelled = await beta.agent
      .post(`/bookings/${booking.id}/cancel`)
      .type('form')
      .send({ reason: 'Changed my mind', _csrf: beta.csrf });
    expect(cancelled.status).toBe(303);
    const after = await beta.agent.get(`/patients/${ids.janos}`);
    expect(after.status).toBe(200);
    expect(after.text).toContain('Year of birth');
    expect(after.text).not.toContain('1968-03-14');
    expect(after.text).not.toContain(janos.id_number);
    expect(await beta.agent.get(`/patients?q=kovacs`).then((r) => r.text)).toContain('No patient found');
  });
});

// Issue 15, finding 4: knowing an identifier must not be enough for a restricted partner to read the
// record. Beta finds a clinic patient by exact TAJ, books them, and every page still shows only the
// family name, given name and year of birth; cancelling gives nothing more either.
describe('a restricted partner and a clinic patient it booked', () => {
  it('never shows birth date, identifier, phone, e-mail or registering partner, booked or cancelled', async () => {
    const ids = await demoIds(t.db);
    const betaUser = await t.db('users').where({ username: 'beta' }).first();
    await t.db('user_permissions').insert({ user_id: betaUser.id, permission: 'patients' });
    await t
      .db('patients')
      .where({ id: ids.janos })
      .update({ phone: '+36 1 555 0101', email: 'janos.kovacs@example.test' });
    const janos = await t.db('patients').where({ id: ids.janos }).first();
    expect(janos.registered_by_partner_id).toBeNull();
    const secrets = ['1968-03-14', janos.id_number, '555 0101', 'janos.kovacs@example.test', 'Registered by'];
    const showsNoSecret = (html: string) => {
      for (const secret of secrets) expect(html).not.toContain(secret);
    };
    const beta = await loginAs(t.app, 'beta');

    // Found by exact TAJ: name and year of birth only.
    const found = await beta.agent.get(`/patients?q=${janos.id_number}`);
    expect(found.status).toBe(200);
    expect(found.text).toContain('János Kovács');
    expect(found.text).toContain('1968');
    showsNoSecret(found.text.replace(`value="${janos.id_number}"`, ''));

    const slot = await freeSlot(t.db, ids.buda, ids.ecg, 1, t.clock);
    const reserved = await reserve(beta, {
      institution: ids.buda,
      service: ids.ecg,
      doctor: slot.doctor_id,
      slot: slot.id,
    });
    expect(reserved.status).toBe(303);
    const token = tokenOf(reserved.headers.location);
    const dialog = await beta.agent.get(`/reservations/${token}?q=${janos.id_number}`);
    expect(dialog.status).toBe(200);
    expect(dialog.text).toContain('János');
    showsNoSecret(dialog.text.replace(`value="${janos.id_number}"`, ''));
    const saved = await save(beta, token, ids.janos);
    expect(saved.status).toBe(303);
    const booking = await t.db('bookings').where({ patient_id: ids.janos, partner_id: ids.beta }).first();
    expect(saved.headers.location).toBe(`/booking/confirmation/${booking.id}`);

    const pages = async () => {
      const list = `/bookings?from=${slot.local_date}&to=${slot.local_date}&status=all`;
      for (const path of [
        `/booking/confirmation/${booking.id}`,
        `/bookings/${booking.id}`,
        list,
        `/patients/${ids.janos}`,
      ]) {
        const res = await beta.agent.get(path);
        expect([path, res.status]).toEqual([path, 200]);
        // The bookings pages write names in the reader's language's order (English: given name
        // first); the booking and patient pages follow once they are converted (issue 12).
        expect(res.text).toContain('János Kovács');
        showsNoSecret(res.text);
      }
      const patientPage = await beta.agent.get(`/patients/${ids.janos}`);
      expect(patientPage.text).toContain('<dt>Year of birth</dt><dd>1968</dd>');
    };
    await pages();
    const details = await beta.agent.get(`/bookings/${booking.id}`);
    expect(details.text).toContain('János Kovács, born 1968<');

    const cancelled = await beta.agent
      .post(`/bookings/${booking.id}/cancel`)
      .type('form')
      .send({ reason: 'Read and cancel', _csrf: beta.csrf });
    expect(cancelled.status).toBe(303);
    expect((await t.db('bookings').where({ id: booking.id }).first()).status).toBe('cancelled');
    await pages();
  });
});
