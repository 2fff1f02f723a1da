/** Save re-checks inside its transaction what may have changed since the hold was placed. */
import { makeTestApp, loginAs, type TestApp, type LoggedIn } from './helpers';
import { demoIds, freeSlot, reserve, save, tokenOf, type DemoIds } from './booking-helpers';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp({ demo: true });
});
afterEach(async () => {
  await t.db.destroy();
});

/** desk holds a slot at Buda, for Alfa (partner) or at the reception (clinic). */
async function deskHold(
  kind: 'partner' | 'clinic',
): Promise<{ ids: DemoIds; desk: LoggedIn; token: string; deskId: number }> {
  const ids = await demoIds(t.db);
  const desk = await loginAs(t.app, 'desk');
  const slot = await freeSlot(t.db, ids.buda, ids.cardioConsult);
  const fields: Record<string, number> =
    kind === 'partner'
      ? { partner: ids.alfa, institution: ids.buda, service: ids.cardioConsult, slot: slot.id }
      : { channel: ids.reception, institution: ids.buda, service: ids.cardioConsult, slot: slot.id };
  const res = await reserve(desk, fields);
  expect(res.status).toBe(303);
  const deskId = (await t.db('users').where({ username: 'desk' }).first()).id as number;
  return { ids, desk, token: tokenOf(res.headers.location), deskId };
}

const bookingsOf = (patientId: number) => t.db('bookings').where({ patient_id: patientId, status: 'booked' });

describe('POST /reservations/:token/book (re-checks)', () => {
  it('refuses a partner hold once the user lost partner_booking (403, nothing booked)', async () => {
    const { ids, desk, token, deskId } = await deskHold('partner');
    const before = (await bookingsOf(ids.janos)).length;
    await t.db('user_permissions').where({ user_id: deskId, permission: 'partner_booking' }).del();
    const res = await save(desk, token, ids.janos);
    expect(res.status).toBe(403);
    expect(res.text).toContain('You may no longer book here.');
    expect(await bookingsOf(ids.janos)).toHaveLength(before);
    expect(await t.db('holds').where({ token })).toHaveLength(1);
  });

  it('refuses a hold placed for the partner a partner user was moved away from (403, nothing booked)', async () => {
    // Issue 15, finding 5: alfa starts a reservation for Alfa, is moved to Beta, then presses Save.
    const ids = await demoIds(t.db);
    const alfa = await loginAs(t.app, 'alfa');
    const slot = await freeSlot(t.db, ids.buda, ids.cardioConsult, 1, t.clock);
    const res = await reserve(alfa, { institution: ids.buda, service: ids.cardioConsult, slot: slot.id });
    expect(res.status).toBe(303);
    const token = tokenOf(res.headers.location);
    const hold = await t.db('holds').where({ token }).first();
    expect(hold.partner_id).toBe(ids.alfa);
    await t.db('users').where({ username: 'alfa' }).update({ partner_id: ids.beta });
    const before = await t.db('bookings').count({ n: '*' }).first();
    // Varga is Beta's patient, so the moved user sees him in full: only the partner check can refuse.
    const varga = await t.db('patients').where({ family_name: 'Varga' }).first();
    const saved = await save(alfa, token, varga.id);
    expect(saved.status).toBe(403);
    expect(saved.text).toContain(
      'This reservation was made for another partner than the one you now belong to.',
    );
    expect(await t.db('bookings').count({ n: '*' }).first()).toEqual(before);
    expect(await t.db('slot_occupancies').where({ slot_id: slot.id })).toHaveLength(0);

    // Moved back, the same hold saves: only the partner change refused it.
    await t.db('users').where({ username: 'alfa' }).update({ partner_id: ids.alfa });
    const again = await save(alfa, token, ids.janos);
    expect(again.status).toBe(303);
  });

  it('refuses a clinic hold once the user lost booking (403, nothing booked)', async () => {
    const { ids, desk, token, deskId } = await deskHold('clinic');
    const before = (await bookingsOf(ids.janos)).length;
    await t.db('user_permissions').where({ user_id: deskId, permission: 'booking' }).del();
    const res = await save(desk, token, ids.janos);
    expect(res.status).toBe(403);
    expect(await bookingsOf(ids.janos)).toHaveLength(before);
  });

  it('refuses a hold at an institution the user may no longer act in (403, nothing booked)', async () => {
    const { ids, desk, token, deskId } = await deskHold('partner');
    const before = (await bookingsOf(ids.janos)).length;
    await t.db('users').where({ id: deskId }).update({ all_institutions: false });
    await t.db('user_institutions').insert({ user_id: deskId, institution_id: ids.vienna });
    const res = await save(desk, token, ids.janos);
    expect(res.status).toBe(403);
    expect(await bookingsOf(ids.janos)).toHaveLength(before);
  });

  it('refuses a service whose qualification was deactivated (409, nothing booked)', async () => {
    const { ids, desk, token } = await deskHold('partner');
    const before = (await bookingsOf(ids.janos)).length;
    await t.db('qualifications').where({ id: ids.cardiology }).update({ active: false });
    const res = await save(desk, token, ids.janos);
    expect(res.status).toBe(409);
    expect(res.text).toContain('no longer available for booking');
    expect(await bookingsOf(ids.janos)).toHaveLength(before);
  });

  it('still books when nothing changed', async () => {
    const { ids, desk, token } = await deskHold('partner');
    const res = await save(desk, token, ids.janos);
    expect(res.status).toBe(303);
    expect(
      await t
        .db('bookings')
        .where({ idempotency_key: token, partner_id: ids.alfa, institution_id: ids.buda }),
    ).toHaveLength(1);
  });
});
