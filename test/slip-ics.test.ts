/**
 * The printed slip and the calendar file (.ics) of a booking (issue 16): RFC 5545 form, the right
 * instant across both daylight-saving changes in Europe/Budapest when parsed back with node-ical,
 * a stable UID, SEQUENCE counting the moves, METHOD:CANCEL after a cancel, and partner scope.
 */
import ical from 'node-ical';
import { FixedClock } from '../src/lib/clock';
import { audit } from '../src/lib/audit';
import { bookingIcs, foldLine, escapeText } from '../src/bookings/ics';
import { makeTestApp, loginAs, type TestApp, type LoggedIn } from './helpers';
import { fixtures } from './fixtures';
import { demoIds, holdCardioConsult, save, type DemoIds } from './booking-helpers';

let t: TestApp;
let ids: DemoIds;
let clock: FixedClock;
// One demo clinic for the file: every test books its own new bookings and patients.
beforeAll(async () => {
  clock = new FixedClock('2027-01-18T06:00:00.000Z');
  t = await makeTestApp({ demo: true, clock });
  ids = await demoIds(t.db);
});
afterAll(() => t.db.destroy());

/** Books a Cardiology consultation at Buda through the flow for a new patient; returns its id. */
async function book(
  u: LoggedIn,
  opts: { partner?: number; partnerOwned?: number; partnerUser?: boolean } = {},
): Promise<number> {
  const patient = await fixtures.patient(t.db, 'Kovács', 'Éva', {
    registeredByPartnerId: opts.partnerOwned ?? null,
  });
  const extra: Record<string, number> = opts.partnerUser
    ? {}
    : opts.partner
      ? { partner: opts.partner }
      : { channel: ids.reception };
  const held = await holdCardioConsult(t.db, u, ids, extra, t.clock);
  const saved = await save(u, held.token, patient);
  expect(saved.status).toBe(303);
  return Number(/\/booking\/confirmation\/(\d+)$/.exec(saved.headers.location)![1]);
}

async function icsOf(u: LoggedIn, id: number, lang = 'en') {
  const res = await u.agent.get(`/bookings/${id}/calendar.ics`).set('Accept-Language', lang);
  return res;
}

function eventOf(text: string) {
  const parsed = ical.sync.parseICS(text);
  const events = Object.values(parsed).filter((c) => c?.type === 'VEVENT') as ical.VEvent[];
  expect(events).toHaveLength(1);
  return events[0];
}

/** Unfolds and finds a property line of the VEVENT (name up to ':' or ';'), or of the calendar. */
function property(text: string, name: string): string | undefined {
  const unfolded = text.replace(/\r\n[ \t]/g, '');
  const event = name === 'METHOD' ? unfolded : unfolded.slice(unfolded.indexOf('BEGIN:VEVENT'));
  return event.split('\r\n').find((l) => l.startsWith(`${name}:`) || l.startsWith(`${name};`));
}

describe('GET /bookings/:id/calendar.ics', () => {
  it('is an RFC 5545 calendar: CRLF lines of at most 75 octets, VTIMEZONE, DTSTART in the institution zone', async () => {
    const desk = await loginAs(t.app, 'desk');
    const id = await book(desk);
    const res = await icsOf(desk, id);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar; charset=utf-8; method=REQUEST/);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="booking-${id}.ics"`);
    const text = res.text;
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(text).toContain('BEGIN:VTIMEZONE\r\nTZID:Europe/Budapest\r\n');
    expect(text).toContain('METHOD:REQUEST\r\n');
    const row = await t.db('bookings').where({ id }).first();
    const ev = eventOf(text);
    expect(ev.start.toISOString()).toBe(new Date(row.starts_at).toISOString());
    expect(ev.end?.toISOString()).toBe(new Date(row.ends_at).toISOString());
    expect(property(text, 'DTSTART')).toMatch(/^DTSTART;TZID=Europe\/Budapest:2027\d{4}T\d{6}$/);
    expect(ev.summary).toBe(
      `Cardiology consultation – ${(await t.db('doctors').where({ id: row.doctor_id }).first()).name}`,
    );
    expect(property(text, 'STATUS')).toBe('STATUS:CONFIRMED');
  });

  // Budapest: summer time ends 2027-10-31 03:00 CEST -> 02:00 CET and begins 2027-03-28 02:00 CET -> 03:00 CEST.
  it.each([
    [
      'the day before the autumn change (CEST)',
      '2027-10-30T07:00:00.000Z',
      'TZID=Europe/Budapest:20271030T090000',
    ],
    [
      'the autumn change day, after it (CET)',
      '2027-10-31T08:00:00.000Z',
      'TZID=Europe/Budapest:20271031T090000',
    ],
    [
      'the day after the autumn change (CET)',
      '2027-11-01T08:00:00.000Z',
      'TZID=Europe/Budapest:20271101T090000',
    ],
    ['the first 02:30 of the repeated hour', '2027-10-31T00:30:00.000Z', ':20271031T003000Z'],
    ['the second 02:30 of the repeated hour', '2027-10-31T01:30:00.000Z', ':20271031T013000Z'],
    [
      'the day before the spring change (CET)',
      '2027-03-27T08:00:00.000Z',
      'TZID=Europe/Budapest:20270327T090000',
    ],
    [
      'the spring change day, before it (CET)',
      '2027-03-28T00:30:00.000Z',
      'TZID=Europe/Budapest:20270328T013000',
    ],
    [
      'the spring change day, after it (CEST)',
      '2027-03-28T07:00:00.000Z',
      'TZID=Europe/Budapest:20270328T090000',
    ],
  ])('gives the right UTC instant on %s', async (_label, startsAt, dtstart) => {
    const desk = await loginAs(t.app, 'desk');
    const id = await book(desk);
    const endsAt = new Date(Date.parse(startsAt) + 30 * 60_000).toISOString();
    // The stored instants are what the file must say; the calendar flow is tested elsewhere.
    await t.db('bookings').where({ id }).update({ starts_at: startsAt, ends_at: endsAt });
    const text = (await icsOf(desk, id)).text;
    expect(property(text, 'DTSTART')).toBe(`DTSTART${dtstart.startsWith(':') ? '' : ';'}${dtstart}`);
    const ev = eventOf(text);
    expect(ev.start.toISOString()).toBe(startsAt);
    expect(ev.end?.toISOString()).toBe(endsAt);
  });

  it('keeps one UID per booking, counts moves in SEQUENCE and says CANCEL after a cancel', async () => {
    const desk = await loginAs(t.app, 'desk');
    const id = await book(desk);
    const first = (await icsOf(desk, id)).text;
    expect(property(first, 'UID')).toBe(`UID:booking-${id}@clinic.example`);
    expect(property(first, 'SEQUENCE')).toBe('SEQUENCE:0');
    clock.advance({ hours: 1 });
    expect(property((await icsOf(desk, id, 'hu')).text, 'UID')).toBe(`UID:booking-${id}@clinic.example`);

    // Two moves (the audit entries Move writes): SEQUENCE 2; another booking's move does not count.
    const other = await book(desk);
    for (const entity of [id, id, other])
      await audit(t.db, t.clock, {
        actor: null,
        action: 'booking.moved',
        entityType: 'booking',
        entityId: entity,
      });
    const moved = (await icsOf(desk, id)).text;
    expect(property(moved, 'SEQUENCE')).toBe('SEQUENCE:2');
    expect(Number(eventOf(moved).sequence)).toBe(2);
    expect(property(moved, 'UID')).toBe(`UID:booking-${id}@clinic.example`);

    const cancel = await desk.agent
      .post(`/bookings/${id}/cancel`)
      .type('form')
      .send({ _csrf: desk.csrf, reason: 'Patient called' });
    expect(cancel.status).toBe(303);
    const res = await icsOf(desk, id);
    expect(res.headers['content-type']).toMatch(/method=CANCEL/);
    expect(res.text).toContain('METHOD:CANCEL\r\n');
    expect(property(res.text, 'STATUS')).toBe('STATUS:CANCELLED');
    expect(property(res.text, 'UID')).toBe(`UID:booking-${id}@clinic.example`);
    expect(property(res.text, 'SEQUENCE')).toBe('SEQUENCE:2');
    expect(eventOf(res.text).status).toBe('CANCELLED');
  });

  it("lets a partner user fetch only its own partner's files and slips (beta gets 404 for alfa's)", async () => {
    const alfa = await loginAs(t.app, 'alfa');
    const id = await book(alfa, { partnerOwned: ids.alfa, partnerUser: true });
    expect((await t.db('bookings').where({ id }).first()).partner_id).toBe(ids.alfa);
    expect((await icsOf(alfa, id)).status).toBe(200);
    expect((await alfa.agent.get(`/bookings/${id}/slip`)).status).toBe(200);
    const beta = await loginAs(t.app, 'beta');
    const refused = await icsOf(beta, id);
    expect(refused.status).toBe(404);
    expect(refused.text).not.toContain('BEGIN:VCALENDAR');
    const slip = await beta.agent.get(`/bookings/${id}/slip`);
    expect(slip.status).toBe(404);
    expect(slip.text).not.toContain('Éva');
    // Clinic staff with the bookings list see it.
    const viewer = await loginAs(t.app, 'viewer');
    expect((await icsOf(viewer, id)).status).toBe(200);
    // Not logged in: the login page.
    const anonymous = (await import('supertest')).default(t.app);
    expect((await anonymous.get(`/bookings/${id}/calendar.ics`)).status).toBe(302);
  });
});

describe('Print and Add to calendar (.ics)', () => {
  it('are on the confirmation and on the booking page', async () => {
    const desk = await loginAs(t.app, 'desk');
    const id = await book(desk, { partner: ids.alfa });
    for (const page of [`/booking/confirmation/${id}`, `/bookings/${id}`]) {
      const res = await desk.agent.get(page);
      expect(res.status).toBe(200);
      expect(res.text).toContain(`<a class="button" href="/bookings/${id}/slip">Print</a>`);
      expect(res.text).toContain(
        `<a class="button" href="/bookings/${id}/calendar.ics" download>Add to calendar (.ics)</a>`,
      );
    }
    const hu = await desk.agent.get(`/bookings/${id}`).set('Accept-Language', 'hu');
    expect(hu.text).toContain('>Nyomtatás</a>');
    expect(hu.text).toContain('>Hozzáadás a naptárhoz (.ics)</a>');
  });

  it('shows the slip: clinic, address, doctor, service, local date and time, patient, partner, reference, what to bring', async () => {
    const desk = await loginAs(t.app, 'desk');
    const id = await book(desk, { partner: ids.alfa });
    // 09:00 in Budapest on the day after the autumn change.
    await t.db('bookings').where({ id }).update({
      starts_at: '2027-11-01T08:00:00.000Z',
      ends_at: '2027-11-01T08:30:00.000Z',
      local_date: '2027-11-01',
    });
    const inst = await t.db('institutions').where({ id: ids.buda }).first();
    const res = await desk.agent.get(`/bookings/${id}/slip`);
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<strong>${inst.name}</strong>`);
    if (inst.address) expect(res.text).toContain(inst.address);
    expect(res.text).toContain('<dd class="slip-when">2027-11-01, Monday</dd>');
    expect(res.text).toContain('09:00–09:30');
    expect(res.text).toContain('<dd>Cardiology consultation</dd>');
    expect(res.text).toContain('<dd>Éva Kovács</dd>');
    expect(res.text).toContain('<dd>Alfa Health Insurance</dd>');
    expect(res.text).toContain(`<dd class="slip-reference">${id}</dd>`);
    expect(res.text).toContain('<h2>What to bring</h2>');
    expect(res.text).not.toMatch(/\sstyle=/);
    const hu = await desk.agent.get(`/bookings/${id}/slip`).set('Accept-Language', 'hu');
    expect(hu.text).toContain('<html lang="hu">');
    expect(hu.text).toContain('<dd>Kovács Éva</dd>');
    expect(hu.text).toContain('<dd class="slip-when">2027. 11. 01., hétfő</dd>');
    expect(hu.text).toContain('<h2>Mit hozzon magával</h2>');
  });
});

describe('the .ics writer', () => {
  it('escapes TEXT values and folds at 75 octets without splitting a character', () => {
    expect(escapeText('a,b;c\\d\ne')).toBe('a\\,b\\;c\\\\d\\ne');
    const long = `SUMMARY:${'ő'.repeat(60)}`;
    const folded = foldLine(long);
    const lines = folded.split('\r\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(Buffer.byteLength(l, 'utf8')).toBeLessThanOrEqual(75);
    expect(lines.slice(1).every((l) => l.startsWith(' '))).toBe(true);
    expect(lines.map((l, i) => (i ? l.slice(1) : l)).join('')).toBe(long);
  });

  it('writes a zone without daylight saving as one STANDARD observance', () => {
    const text = bookingIcs({
      uid: 'booking-1@x.example',
      sequence: 0,
      cancelled: false,
      startsAt: '2027-06-01T01:00:00.000Z',
      endsAt: '2027-06-01T01:30:00.000Z',
      timeZone: 'Asia/Tokyo',
      stampAt: '2027-01-18T06:00:00.000Z',
      summary: 'x',
      location: 'y',
      description: 'z',
      organizer: { name: 'Clinic', email: 'a@x.example' },
    });
    expect(text).toContain(
      'BEGIN:STANDARD\r\nDTSTART:20260101T090000\r\nTZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900\r\n',
    );
    expect(text).not.toContain('DAYLIGHT');
    expect(text).toContain('DTSTART;TZID=Asia/Tokyo:20270601T100000\r\n');
    expect(eventOf(text).start.toISOString()).toBe('2027-06-01T01:00:00.000Z');
  });
});
