/**
 * The front desk's day in a real browser (issues 16, 17): desk moves a partner booking on the Move
 * calendar and marks an arrival and a no-show; alfa moves its own booking inside its cancellation
 * window and, once the window is longer than the time left, is refused. Screenshots of the move
 * calendar and the booking page are written to /tmp/shots/move-*.png.
 */
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { DateTime } from 'luxon';
import { openDb, writeTransaction } from '../../src/lib/db';
import { insertBookingRows } from '../../src/booking/booking.service';
import { foldName } from '../../src/lib/text';
import { browserProblems, loggedInPage, withScreenshot } from './support/browser';
import { pickFreeSlot } from './support/flow';
import { useE2E } from './support/suite';

const e2e = useE2E();
const shots = '/tmp/shots';

/** An Alfa Cardiology consultation at Buda for a new patient: on a free slot `daysAhead` days on, or today. */
async function alfaBooking(opts: { today?: boolean; daysAhead?: number }): Promise<number> {
  const db = openDb(e2e.server.database, { poolMax: 1 });
  try {
    const buda = await db('institutions').where({ name: 'Buda Health Centre' }).first();
    const service = await db('services').where({ name: 'Cardiology consultation' }).first();
    const alfa = await db('partners').where({ name: 'Alfa Health Insurance' }).first();
    const channel = await db('traffic_channels').where({ partner_id: alfa.id }).first();
    const user = await db('users').where({ username: 'alfa' }).first();
    const today = DateTime.now().setZone(buda.time_zone).toISODate()!;
    const free = db('slots as sl')
      .join('doctor_services as ds', function () {
        this.on('ds.doctor_id', '=', 'sl.doctor_id').andOn('ds.institution_id', '=', 'sl.institution_id');
      })
      .leftJoin('slot_occupancies as so', 'so.slot_id', 'sl.id')
      .leftJoin('hold_slots as hs', 'hs.slot_id', 'sl.id')
      .select('sl.*')
      .where({ 'sl.institution_id': buda.id, 'ds.service_id': service.id, 'sl.status': 'open' })
      .whereNull('so.slot_id')
      .whereNull('hs.slot_id')
      .orderBy('sl.starts_at');
    let slot = opts.today
      ? await free.clone().where('sl.local_date', today).first()
      : await free
          .clone()
          .where('sl.starts_at', '>', new Date(Date.now() + (opts.daysAhead ?? 2) * 86_400_000).toISOString())
          .first();
    if (!slot && opts.today) {
      // No slot left today (a day off, or every one taken): one at local midnight, which no schedule uses.
      const doctor = await db('doctor_services')
        .where({ institution_id: buda.id, service_id: service.id })
        .first();
      const start = DateTime.fromISO(today, { zone: buda.time_zone });
      const [row] = await db('slots')
        .insert({
          doctor_id: doctor.doctor_id,
          institution_id: buda.id,
          starts_at: start.toUTC().toISO(),
          ends_at: start.plus({ minutes: service.duration_minutes }).toUTC().toISO(),
          local_date: today,
          status: 'open',
          created_at: new Date().toISOString(),
        })
        .returning('*');
      slot = row;
    }
    const given = `Éva${Math.floor(Math.random() * 1e6)}`;
    const [patient] = await db('patients')
      .insert({
        family_name: 'Költöző',
        given_name: given,
        search_name: foldName(`Költöző ${given}`),
        search_name_reversed: foldName(`${given} Költöző`),
        birth_date: '1975-05-05',
        id_type: 'passport',
        id_number: `E2E${Math.floor(Math.random() * 1e8)}`,
        phone: '',
        email: '',
        registered_by_partner_id: alfa.id,
        created_at: new Date().toISOString(),
      })
      .returning('id');
    return await writeTransaction(db, (trx) =>
      insertBookingRows(trx, {
        institutionId: buda.id,
        doctorId: slot.doctor_id,
        serviceId: service.id,
        patientId: typeof patient === 'object' ? patient.id : patient,
        channelId: channel.id,
        partnerId: alfa.id,
        createdByUserId: user.id,
        slots: [slot],
        createdLocalDate: today,
        priceMinor: service.price_minor,
        commissionMinor: 0,
        idempotencyKey: `e2e-move-${slot.id}-${randomUUID()}`,
        createdAt: new Date().toISOString(),
      }),
    );
  } finally {
    await db.destroy();
  }
}

async function bookingInDb(id: number) {
  const db = openDb(e2e.server.database, { poolMax: 1 });
  try {
    return await db('bookings').where({ id }).first();
  } finally {
    await db.destroy();
  }
}

/** Booking page, Move, a free slot, Start the reservation, Move the booking. */
async function moveInBrowser(page: Page, bookingId: number, screenshot?: string): Promise<void> {
  await page.goto(`/bookings/${bookingId}`);
  await page.getByRole('link', { name: 'Move', exact: true }).click();
  await page.waitForURL(new RegExp(`/bookings/${bookingId}/move`));
  await expect(page.getByRole('heading', { name: 'Move the booking', level: 1 }).count()).resolves.toBe(1);
  await pickFreeSlot(page, true);
  if (screenshot) await page.screenshot({ path: `${shots}/${screenshot}`, fullPage: true });
  await Promise.all([
    page.waitForURL(new RegExp(`/bookings/${bookingId}/move/[\\w-]{43}$`)),
    page.getByRole('button', { name: 'Start the reservation' }).click(),
  ]);
  await Promise.all([
    page.waitForURL(new RegExp(`/bookings/${bookingId}$`)),
    page.getByRole('button', { name: 'Move the booking' }).click(),
  ]);
  await expect(page.getByText('The booking was moved.').count()).resolves.toBe(1);
}

beforeAll(() => fs.mkdirSync(shots, { recursive: true }));

test('desk moves a partner booking, marks an arrival and a no-show', async () => {
  const moving = await alfaBooking({ daysAhead: 2 });
  const arriving = await alfaBooking({ today: true });
  const missing = await alfaBooking({ today: true });
  const before = await bookingInDb(moving);
  const { context, page } = await loggedInPage(e2e.browser, e2e.server.url, 'desk');
  await withScreenshot(page, async () => {
    await moveInBrowser(page, moving, 'move-calendar.png');
    const after = await bookingInDb(moving);
    expect(after.starts_at).not.toBe(before.starts_at);
    expect([after.partner_id, after.channel_id, after.price_minor, after.patient_id]).toEqual([
      before.partner_id,
      before.channel_id,
      before.price_minor,
      before.patient_id,
    ]);
    expect(await page.locator('dl.facts').innerText()).toContain('Earlier times');

    await page.goto(`/bookings/${arriving}`);
    await Promise.all([
      page.waitForURL(/\/bookings\/\d+$/),
      page.getByRole('button', { name: 'Arrived' }).click(),
    ]);
    await expect(page.getByText('Marked as arrived.').count()).resolves.toBe(1);
    expect((await bookingInDb(arriving)).attendance).toBe('arrived');

    await page.goto(`/bookings/${missing}`);
    await Promise.all([
      page.waitForURL(/\/bookings\/\d+$/),
      page.getByRole('button', { name: 'No-show' }).click(),
    ]);
    await expect(page.getByText('Marked as a no-show.').count()).resolves.toBe(1);
    expect((await bookingInDb(missing)).attendance).toBe('no_show');
    expect(await page.locator('dl.facts').innerText()).toMatch(/Attendance\s+No-show/);
    await page.screenshot({ path: `${shots}/move-booking-page.png`, fullPage: true });
  });
  expect(browserProblems(context)).toEqual([]);
  await context.close();
}, 150000);

test('alfa moves its own booking inside the window and is refused outside it', async () => {
  const id = await alfaBooking({ daysAhead: 3 });
  const admin = await loggedInPage(e2e.browser, e2e.server.url, 'admin');
  const alfa = await loggedInPage(e2e.browser, e2e.server.url, 'alfa');
  const setWindow = async (hours: string) => {
    const page = admin.page;
    await page.goto('/settings/partners');
    await page.getByRole('link', { name: 'Alfa Health Insurance' }).click();
    await page.getByLabel('Hours before the appointment').fill(hours);
    await Promise.all([
      page.waitForURL(/\/settings\/partners\/\d+/),
      page.getByRole('button', { name: 'Save the cancellation window' }).click(),
    ]);
    await expect(page.getByText('The cancellation window was saved.').count()).resolves.toBe(1);
  };
  await withScreenshot(admin.page, () => setWindow('24'));
  await withScreenshot(alfa.page, async () => {
    const before = await bookingInDb(id);
    await moveInBrowser(alfa.page, id, 'move-alfa-calendar.png');
    expect((await bookingInDb(id)).starts_at).not.toBe(before.starts_at);
  });
  // A window longer than the time left: the booking is now inside it.
  await withScreenshot(admin.page, () => setWindow('8760'));
  await withScreenshot(alfa.page, async () => {
    const page = alfa.page;
    await page.goto(`/bookings/${id}`);
    expect(await page.getByRole('link', { name: 'Move', exact: true }).count()).toBe(0);
    await expect(page.getByText(/The cancellation window for this booking has closed/).count()).resolves.toBe(
      1,
    );
    await page.screenshot({ path: `${shots}/move-alfa-refused.png`, fullPage: true });
    const refused = await page.goto(`/bookings/${id}/move`);
    expect(refused!.status()).toBe(403);
  });
  await admin.context.close();
  await alfa.context.close();
}, 150000);
