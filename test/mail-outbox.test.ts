/**
 * E-mail confirmations through the outbox (issue 16), against a real SMTP server in this process
 * (smtp-server): the message's language and its .ics attachment; a refused delivery or a server
 * that is down records the error and backs off, and the worker delivers exactly once when the
 * server is back and the clock has moved on; a booking succeeds while SMTP is down; two workers on
 * one database never send one message twice; the admin page lists and retries; others get 403.
 */
import type net from 'node:net';
import ical from 'node-ical';
import { SMTPServer } from 'smtp-server';
import { FixedClock } from '../src/lib/clock';
import { writeTransaction } from '../src/lib/db';
import { listRoutes } from '../src/lib/router';
import { queueBookingMail } from '../src/mail/outbox';
import { claimOutboxRow } from '../src/mail/outbox.queries';
import { backoffMs, retryPolicy, startOutboxWorker, type OutboxWorker } from '../src/mail/outbox.worker';
import { makeTestApp, loginAs, type TestApp, type LoggedIn } from './helpers';
import { fixtures } from './fixtures';
import { demoIds, holdCardioConsult, save, type DemoIds } from './booking-helpers';

type Received = { to: string[]; raw: string };

/** A real SMTP server on a local port; `refuse` makes it answer RCPT TO with that code. */
class TestSmtp {
  received: Received[] = [];
  refuse: number | null = null;
  private server: SMTPServer | null = null;
  constructor(public port = 0) {}

  async start(): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo: (_address, _session, callback) => {
        if (this.refuse === null) return callback();
        const err = new Error(this.refuse >= 500 ? 'Mailbox unavailable' : 'Try again later') as Error & {
          responseCode: number;
        };
        err.responseCode = this.refuse;
        callback(err);
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          this.received.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as net.AddressInfo).port;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

/** A MIME message's parts (one level of multipart), bodies decoded. */
function parts(raw: string): { headers: string; body: string }[] {
  const boundary = /boundary="?([^"\r\n;]+)"?/i.exec(raw)?.[1];
  if (!boundary) return [];
  return raw
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((p) => {
      const [headers, ...rest] = p.replace(/^\r\n/, '').split('\r\n\r\n');
      const body = rest.join('\r\n\r\n');
      const decoded = /content-transfer-encoding:\s*base64/i.test(headers)
        ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
        : /content-transfer-encoding:\s*quoted-printable/i.test(headers)
          ? Buffer.from(
              body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => `%${h}`),
              'latin1',
            )
              .toString('latin1')
              .replace(/(%[0-9A-F]{2})+/gi, (m) => decodeURIComponent(m))
          : body;
      return { headers, body: decoded };
    });
}

/** The decoded subject (RFC 2047 encoded-words). */
function subjectOf(raw: string): string {
  const header = /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(raw)![1].replace(/\r\n[ \t]/g, ' ');
  return header.replace(/=\?utf-8\?([BQ])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : decodeURIComponent(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, '%$1')),
  );
}

function mailOf(r: Received) {
  const all = parts(r.raw);
  const text = all.find((p) => /content-type:\s*text\/plain/i.test(p.headers));
  const ics = all.find((p) => /content-type:\s*text\/calendar/i.test(p.headers));
  return {
    subject: subjectOf(r.raw),
    text: text?.body ?? '',
    ics,
    messageId: /^Message-ID: (.*)$/im.exec(r.raw)?.[1],
  };
}

let t: TestApp;
let ids: DemoIds;
let clock: FixedClock;
let smtp: TestSmtp;
let workers: OutboxWorker[] = [];

function worker(owner?: string): OutboxWorker {
  const w = startOutboxWorker({ db: t.db, clock, config: t.config, pollMs: 0, owner });
  workers.push(w);
  return w;
}

beforeEach(async () => {
  smtp = new TestSmtp();
  await smtp.start();
  clock = new FixedClock('2027-01-18T06:00:00.000Z');
  t = await makeTestApp({ demo: true, clock, config: { smtpUrl: `smtp://127.0.0.1:${smtp.port}` } });
  ids = await demoIds(t.db);
  workers = [];
});
afterEach(async () => {
  for (const w of workers) await w.stop();
  await smtp.stop();
  await t.db.destroy();
});

async function enableMail(on = true) {
  const admin = await loginAs(t.app, 'admin');
  const res = await admin.agent
    .post('/settings/outbox/enabled')
    .type('form')
    .send(on ? { _csrf: admin.csrf, enabled: '1' } : { _csrf: admin.csrf });
  expect(res.status).toBe(303);
}

/** A new patient with an e-mail address (and language), booked by the desk at Reception. */
async function book(
  desk: LoggedIn,
  opts: { email?: string; language?: 'en' | 'hu' | 'ro' | null } = {},
): Promise<{ bookingId: number; patientId: number; status: number }> {
  const patientId = await fixtures.patient(t.db, 'Szabó', 'Ilona');
  await t
    .db('patients')
    .where({ id: patientId })
    .update({ email: opts.email ?? `ilona${patientId}@example.org`, language: opts.language ?? null });
  const held = await holdCardioConsult(t.db, desk, ids, { channel: ids.reception }, clock);
  const saved = await save(desk, held.token, patientId);
  const m = /\/booking\/confirmation\/(\d+)$/.exec(saved.headers.location ?? '');
  return { bookingId: m ? Number(m[1]) : 0, patientId, status: saved.status };
}

const outbox = () => t.db('mail_outbox').select('*').orderBy('id');

describe('queueing e-mail confirmations', () => {
  it('queues nothing while the clinic has them off, or for a patient without an address', async () => {
    const desk = await loginAs(t.app, 'desk');
    expect((await book(desk)).status).toBe(303);
    expect(await outbox()).toEqual([]);
    await enableMail();
    expect((await book(desk, { email: '' })).status).toBe(303);
    expect(await outbox()).toEqual([]);
    const { bookingId } = await book(desk);
    const rows = await outbox();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ booking_id: bookingId, kind: 'booked', status: 'pending', attempts: 0 });
    expect(rows[0].next_attempt_at).toBe(clock.nowIso());
  });

  it('writes the e-mail in the booking transaction: a rolled-back change queues nothing', async () => {
    await enableMail();
    const desk = await loginAs(t.app, 'desk');
    const { bookingId } = await book(desk);
    await expect(
      writeTransaction(t.db, async (trx) => {
        await queueBookingMail(trx, clock, bookingId, 'moved');
        throw new Error('the move failed');
      }),
    ).rejects.toMatchObject({ message: 'the move failed' });
    expect((await outbox()).map((r) => r.kind)).toEqual(['booked']);
  });
});

describe('the outbox worker', () => {
  it('delivers the booking e-mail in the patient language with the .ics attached, then the cancellation', async () => {
    await enableMail();
    const desk = await loginAs(t.app, 'desk');
    const { bookingId } = await book(desk, { email: 'ilona@example.org', language: 'hu' });
    const w = worker();
    expect(await w.runOnce()).toEqual({ sent: 1, failed: 0 });
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0].to).toEqual(['ilona@example.org']);
    const mail = mailOf(smtp.received[0]);
    expect(mail.subject).toMatch(
      /^Az Ön időpontja: Cardiology consultation, \d{4}\. \d\d\. \d\d\. \d\d:\d\d–\d\d:\d\d$/,
    );
    expect(mail.text).toContain('Kedves Szabó Ilona!');
    expect(mail.text).toContain('Időpontját rögzítettük.');
    expect(mail.text).toContain(`Foglalási szám: ${bookingId}`);
    expect(mail.ics?.headers).toMatch(/text\/calendar; charset=utf-8; method=REQUEST/i);
    expect(mail.ics?.headers).toMatch(/filename="?booking-\d+\.ics"?/);
    const booking = await t.db('bookings').where({ id: bookingId }).first();
    const ev = Object.values(ical.sync.parseICS(mail.ics!.body)).find(
      (c) => c?.type === 'VEVENT',
    ) as ical.VEvent;
    expect(ev.start.toISOString()).toBe(new Date(booking.starts_at).toISOString());
    expect(ev.uid).toBe(`booking-${bookingId}@clinic.example`);
    expect(mail.ics!.body).toContain('METHOD:REQUEST\r\n');
    const sent = (await outbox())[0];
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, sent_at: clock.nowIso(), lease_owner: null });
    // Nothing more to send.
    expect(await w.runOnce()).toEqual({ sent: 0, failed: 0 });

    const cancel = await desk.agent
      .post(`/bookings/${bookingId}/cancel`)
      .type('form')
      .send({ _csrf: desk.csrf, reason: 'Beteg' });
    expect(cancel.status).toBe(303);
    expect(await w.runOnce()).toEqual({ sent: 1, failed: 0 });
    const cancelled = mailOf(smtp.received[1]);
    expect(cancelled.subject).toMatch(/^Időpontját lemondták: /);
    expect(cancelled.ics!.body).toContain('METHOD:CANCEL\r\n');
    expect(cancelled.ics!.body).toContain('STATUS:CANCELLED\r\n');
    expect(cancelled.ics!.body).toContain(`UID:booking-${bookingId}@clinic.example\r\n`);
  });

  it('writes in the clinic default when the patient has no language (English, then Romanian)', async () => {
    await enableMail();
    const desk = await loginAs(t.app, 'desk');
    await book(desk);
    await book(desk, { language: 'ro' });
    await worker().runOnce();
    expect(smtp.received).toHaveLength(2);
    const [en, ro] = smtp.received.map(mailOf);
    expect(en.subject).toMatch(/^Your appointment: Cardiology consultation, \d{4}-\d\d-\d\d /);
    expect(en.text).toContain('Dear Ilona Szabó,');
    expect(ro.subject).toMatch(/^Programarea dumneavoastră: /);
    expect(ro.text).toContain('programarea dumneavoastră a fost înregistrată.');
  });

  it('records a refused delivery (451, 550), backs off, and delivers exactly once when the server accepts again', async () => {
    await enableMail();
    const desk = await loginAs(t.app, 'desk');
    await book(desk);
    const w = worker();
    smtp.refuse = 451;
    expect(await w.runOnce()).toEqual({ sent: 0, failed: 1 });
    let row = (await outbox())[0];
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lease_owner: null });
    expect(row.last_error).toMatch(/451/);
    expect(row.next_attempt_at).toBe(clock.now().plus({ minutes: 1 }).toISO());
    // Not due yet: the worker waits.
    smtp.refuse = null;
    expect(await w.runOnce()).toEqual({ sent: 0, failed: 0 });
    smtp.refuse = 550;
    clock.advance({ minutes: 1 });
    expect(await w.runOnce()).toEqual({ sent: 0, failed: 1 });
    row = (await outbox())[0];
    expect(row.last_error).toMatch(/550/);
    expect(row.attempts).toBe(2);
    expect(row.next_attempt_at).toBe(clock.now().plus({ minutes: 2 }).toISO());
    expect(smtp.received).toHaveLength(0);

    smtp.refuse = null;
    clock.advance({ minutes: 1 });
    expect(await w.runOnce()).toEqual({ sent: 0, failed: 0 });
    clock.advance({ minutes: 1 });
    expect(await w.runOnce()).toEqual({ sent: 1, failed: 0 });
    clock.advance({ hours: 1 });
    expect(await w.runOnce()).toEqual({ sent: 0, failed: 0 });
    expect(smtp.received).toHaveLength(1);
    expect((await outbox())[0]).toMatchObject({ status: 'sent', attempts: 3 });
  });

  it('books while the SMTP server is down, and sends once it is back', async () => {
    await enableMail();
    const port = smtp.port;
    await smtp.stop();
    const desk = await loginAs(t.app, 'desk');
    const { status, bookingId } = await book(desk);
    expect(status).toBe(303);
    expect(await t.db('bookings').where({ id: bookingId, status: 'booked' }).first()).toBeTruthy();
    const w = worker();
    expect(await w.runOnce()).toEqual({ sent: 0, failed: 1 });
    expect((await outbox())[0].last_error).toMatch(/ECONNREFUSED/);
    smtp = new TestSmtp(port);
    await smtp.start();
    clock.advance({ minutes: 1 });
    expect(await w.runOnce()).toEqual({ sent: 1, failed: 0 });
    expect(await w.runOnce()).toEqual({ sent: 0, failed: 0 });
    expect(smtp.received).toHaveLength(1);
  });

  it('marks an e-mail failed after the last attempt; Retry on the admin page sends it', async () => {
    await enableMail();
    const desk = await loginAs(t.app, 'desk');
    await book(desk);
    const id = (await outbox())[0].id as number;
    await t
      .db('mail_outbox')
      .where({ id })
      .update({ attempts: retryPolicy.maxAttempts - 1 });
    smtp.refuse = 550;
    const w = worker();
    expect(await w.runOnce()).toEqual({ sent: 0, failed: 1 });
    expect((await outbox())[0]).toMatchObject({ status: 'failed', attempts: retryPolicy.maxAttempts });
    clock.advance({ days: 2 });
    expect(await w.runOnce()).toEqual({ sent: 0, failed: 0 });

    const admin = await loginAs(t.app, 'admin');
    const page = await admin.agent.get('/settings/outbox?status=failed');
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<tr data-outbox-id="${id}" data-status="failed">`);
    expect(page.text).toContain('550: ');
    expect(page.text).toContain('>Retry</button>');
    smtp.refuse = null;
    const retry = await admin.agent
      .post(`/settings/outbox/${id}/retry`)
      .type('form')
      .send({ _csrf: admin.csrf });
    expect(retry.status).toBe(303);
    expect((await outbox())[0]).toMatchObject({
      status: 'pending',
      attempts: 0,
      next_attempt_at: clock.nowIso(),
    });
    expect(await t.db('audit_log').where({ action: 'mail.retried', entity_id: id })).toHaveLength(1);
    expect(await w.runOnce()).toEqual({ sent: 1, failed: 0 });
    const sentPage = await admin.agent.get('/settings/outbox');
    expect(sentPage.text).toContain(`<tr data-outbox-id="${id}" data-status="sent">`);
    expect(sentPage.text).not.toContain('>Retry</button>');
    // A sent e-mail is not sent again by Retry.
    await admin.agent.post(`/settings/outbox/${id}/retry`).type('form').send({ _csrf: admin.csrf });
    expect((await outbox())[0].status).toBe('sent');
    expect(smtp.received).toHaveLength(1);
  });

  it('never sends one message twice with two workers on one database', async () => {
    await enableMail();
    const desk = await loginAs(t.app, 'desk');
    const n = 12;
    for (let i = 0; i < n; i++) await book(desk);
    expect(await outbox()).toHaveLength(n);
    const a = worker('worker-a');
    const b = worker('worker-b');
    const rounds = await Promise.all([a.runOnce(), b.runOnce(), a.runOnce(), b.runOnce()]);
    expect(rounds.reduce((s, r) => s + r.sent, 0)).toBe(n);
    // They really raced for the same rows: each sent some of them.
    expect(rounds[0].sent + rounds[2].sent).toBeGreaterThan(0);
    expect(rounds[1].sent + rounds[3].sent).toBeGreaterThan(0);
    expect(smtp.received).toHaveLength(n);
    const messageIds = smtp.received.map((r) => mailOf(r).messageId);
    expect(new Set(messageIds).size).toBe(n);
    expect((await outbox()).every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
  });

  it('resends with the same Message-ID after a crash between SMTP acceptance and marking the row sent', async () => {
    await enableMail();
    const desk = await loginAs(t.app, 'desk');
    await book(desk);
    const [row] = await outbox();
    expect(await worker('worker-a').runOnce()).toEqual({ sent: 1, failed: 0 });
    // The crash: the server accepted the message, but the row never got marked sent and the
    // crashed worker's lease runs out (delivery is at-least-once).
    await t
      .db('mail_outbox')
      .where({ id: row.id })
      .update({ status: 'pending', sent_at: null, lease_owner: 'crashed', lease_until: clock.nowIso() });
    clock.advance({ minutes: 10 });
    expect(await worker('worker-b').runOnce()).toEqual({ sent: 1, failed: 0 });
    expect(smtp.received).toHaveLength(2);
    const [first, again] = smtp.received.map((r) => mailOf(r).messageId);
    expect(first).toMatch(new RegExp(`^<outbox-${row.id}@[^>]+>$`));
    expect(again).toBe(first);
  });

  it('lets one worker hold a row: a second claim fails until the lease runs out', async () => {
    await enableMail();
    const desk = await loginAs(t.app, 'desk');
    await book(desk);
    const id = (await outbox())[0].id as number;
    const lease = (ms: number) => clock.now().plus({ milliseconds: ms }).toISO()!;
    const now = clock.nowIso();
    expect(
      await claimOutboxRow(t.db, { id, owner: 'a', now, leaseUntil: lease(retryPolicy.leaseMs) }),
    ).toMatchObject({
      id,
      lease_owner: 'a',
      attempts: 1,
    });
    expect(
      await claimOutboxRow(t.db, { id, owner: 'b', now, leaseUntil: lease(retryPolicy.leaseMs) }),
    ).toBeNull();
    // Worker a died mid-send: after its lease another worker sends the e-mail.
    clock.advance({ milliseconds: retryPolicy.leaseMs + 1000 });
    expect(await worker('b').runOnce()).toEqual({ sent: 1, failed: 0 });
    expect((await outbox())[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('backs off exponentially up to six hours', () => {
    expect([1, 2, 3, 4, 10, 20].map((n) => backoffMs(n) / 60_000)).toEqual([1, 2, 4, 8, 360, 360]);
  });
});

describe('/settings/outbox', () => {
  it('declares the settings permission on its routes', () => {
    const routes = listRoutes(t.app).filter((r) => r.path.startsWith('/settings/outbox'));
    expect(routes).toEqual([
      { method: 'GET', path: '/settings/outbox', access: 'settings' },
      { method: 'POST', path: '/settings/outbox/enabled', access: 'settings' },
      { method: 'POST', path: '/settings/outbox/:id/retry', access: 'settings' },
    ]);
  });

  it('switches e-mail confirmations on and off (audited) and lists e-mails by status', async () => {
    const admin = await loginAs(t.app, 'admin');
    const page = await admin.agent.get('/settings/outbox');
    expect(page.status).toBe(200);
    expect(page.text).toContain('No e-mails here.');
    expect(page.text).not.toContain('name="enabled" value="1" aria-describedby="enabled-hint" checked');
    await enableMail();
    expect(await t.db('audit_log').where({ action: 'settings.mail_confirmations' })).toHaveLength(1);
    const desk = await loginAs(t.app, 'desk');
    await book(desk, { email: 'list@example.org' });
    const listed = await admin.agent.get('/settings/outbox');
    expect(listed.text).toContain('checked>');
    expect(listed.text).toContain('<td>list@example.org</td>');
    expect(listed.text).toContain('data-status="pending"');
    expect((await admin.agent.get('/settings/outbox?status=sent')).text).toContain('No e-mails here.');
    expect((await admin.agent.get('/settings/outbox?status=bogus')).status).toBe(400);
    const hu = await admin.agent.get('/settings/outbox').set('Accept-Language', 'hu');
    expect(hu.text).toContain('<h1>Kimenő e-mailek</h1>');
    expect(hu.text).toContain('>Újraküldés</button>');
    await enableMail(false);
    expect((await admin.agent.get('/settings/outbox')).text).not.toContain('checked>');
    expect((await admin.agent.get('/settings')).text).toContain('href="/settings/outbox"');
  });

  it.each(['desk', 'viewer', 'alfa'])('refuses %s (403) and changes nothing', async (username) => {
    await enableMail();
    const desk = await loginAs(t.app, 'desk');
    await book(desk);
    const id = (await outbox())[0].id as number;
    await t.db('mail_outbox').where({ id }).update({ status: 'failed', attempts: 12 });
    const u = await loginAs(t.app, username);
    expect((await u.agent.get('/settings/outbox')).status).toBe(403);
    expect((await u.agent.post('/settings/outbox/enabled').type('form').send({ _csrf: u.csrf })).status).toBe(
      403,
    );
    expect(
      (await u.agent.post(`/settings/outbox/${id}/retry`).type('form').send({ _csrf: u.csrf })).status,
    ).toBe(403);
    expect((await outbox())[0]).toMatchObject({ status: 'failed', attempts: 12 });
    expect(await t.db('app_meta').where({ key: 'mail_confirmations' }).first()).toMatchObject({ value: '1' });
  });
});
