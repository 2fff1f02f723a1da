/**
 * Delivers the outbox (./outbox.ts) over SMTP, inside the app process. Safe with several
 * processes on one database: each row is claimed with a lease (outbox.queries claimOutboxRow) and
 * only the lease holder records the outcome. A failed attempt (refused, timed out, server down)
 * records its error and waits: 1, 2, 4, ... minutes, at most 6 hours, and after 12 attempts the
 * row is marked failed for an administrator's Retry. A process that dies mid-send leaves a lease
 * that runs out, and another worker sends the row then. The SMTP timeouts are far shorter than
 * the lease, so a slow send is not taken over while it is still running.
 *
 * The worker reads "now" from the clock it is given (the app's), so tests move time forward.
 */
import crypto from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Knex } from 'knex';
import type pino from 'pino';
import type { Clock } from '../lib/clock';
import type { Config } from '../config';
import type { BookingFacts } from '../bookings/slip';
import { uidDomain } from '../bookings/slip';
import { mailLanguage, renderBookingMail } from './outbox';
import {
  claimOutboxRow,
  dueOutboxIds,
  markOutboxFailed,
  markOutboxSent,
  type OutboxRow,
} from './outbox.queries';

export const retryPolicy = { baseMs: 60_000, maxMs: 6 * 3_600_000, maxAttempts: 12, leaseMs: 5 * 60_000 };

/** The wait after the n-th failed attempt (n >= 1). */
export function backoffMs(attempts: number): number {
  return Math.min(retryPolicy.baseMs * 2 ** Math.max(0, attempts - 1), retryPolicy.maxMs);
}

export type MailConfig = Pick<Config, 'smtpUrl' | 'mailFrom' | 'currency' | 'locale' | 'defaultLanguage'>;

export type OutboxWorker = {
  /** Sends what is due now; resolves with the counts of this round. */
  runOnce(): Promise<{ sent: number; failed: number }>;
  /** Stops polling and waits for a round in progress (SIGTERM drain). */
  stop(): Promise<void>;
};

function errorText(err: unknown): string {
  const e = err as { responseCode?: number; code?: string; message?: string };
  const code = e?.responseCode ?? e?.code;
  return `${code ? `${code}: ` : ''}${e?.message ?? String(err)}`.slice(0, 1000);
}

export function startOutboxWorker(o: {
  db: Knex;
  clock: Clock;
  config: MailConfig;
  logger?: pino.Logger;
  /** How often to look for due e-mails; 0: never by itself (tests call runOnce). */
  pollMs?: number;
  /** This worker's lease name (unique per process by default). */
  owner?: string;
  batch?: number;
}): OutboxWorker {
  if (!o.config.smtpUrl) throw new Error('The outbox worker needs SMTP_URL');
  const owner = o.owner ?? `${process.pid}-${crypto.randomBytes(6).toString('hex')}`;
  const transport = nodemailer.createTransport({
    url: o.config.smtpUrl,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
  const pollMs = o.pollMs ?? 5_000;
  let running: Promise<{ sent: number; failed: number }> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  async function deliver(row: OutboxRow): Promise<boolean> {
    const facts = JSON.parse(row.facts) as BookingFacts;
    const lang = mailLanguage(row.language, o.config.defaultLanguage);
    const mail = renderBookingMail(facts, row.kind, lang, o.config, o.clock.nowIso(), row.recipient);
    try {
      await transport.sendMail({
        from: o.config.mailFrom,
        to: row.recipient,
        subject: mail.subject,
        text: mail.text,
        // One id per queued e-mail: a receiving system can tell a resend after a crash for what it is.
        messageId: `<outbox-${row.id}@${uidDomain(o.config)}>`,
        headers: { 'Content-Language': lang },
        attachments: [
          {
            filename: `booking-${facts.bookingId}.ics`,
            content: mail.ics,
            contentType: `text/calendar; charset=utf-8; method=${mail.method}`,
          },
        ],
      });
    } catch (err) {
      const giveUp = row.attempts >= retryPolicy.maxAttempts;
      const nextAt = o.clock
        .now()
        .plus({ milliseconds: backoffMs(row.attempts) })
        .toISO()!;
      await markOutboxFailed(o.db, { id: row.id, owner, error: errorText(err), nextAt, giveUp });
      o.logger?.warn({ outboxId: row.id, attempts: row.attempts, giveUp }, 'e-mail not delivered');
      return false;
    }
    await markOutboxSent(o.db, { id: row.id, owner, now: o.clock.nowIso() });
    return true;
  }

  async function round(): Promise<{ sent: number; failed: number }> {
    const counts = { sent: 0, failed: 0 };
    const now = o.clock.nowIso();
    for (const id of await dueOutboxIds(o.db, now, o.batch ?? 20)) {
      if (stopped) break;
      const at = o.clock.now();
      const row = await claimOutboxRow(o.db, {
        id,
        owner,
        now: at.toISO()!,
        leaseUntil: at.plus({ milliseconds: retryPolicy.leaseMs }).toISO()!,
      });
      if (!row) continue; // another worker has it
      if (await deliver(row)) counts.sent++;
      else counts.failed++;
    }
    return counts;
  }

  function runOnce(): Promise<{ sent: number; failed: number }> {
    // One round at a time in this process; a second caller waits for the same round's end first.
    const previous = running ?? Promise.resolve({ sent: 0, failed: 0 });
    const next = previous.catch(() => undefined).then(round);
    running = next;
    void next
      .finally(() => {
        if (running === next) running = null;
      })
      .catch(() => undefined);
    return next;
  }

  function schedule() {
    if (stopped || pollMs <= 0) return;
    timer = setTimeout(() => {
      runOnce()
        .catch((err: unknown) => o.logger?.error({ err }, 'outbox round failed'))
        .finally(schedule);
    }, pollMs);
    timer.unref();
  }
  schedule();

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
      transport.close();
    },
  };
}

/** The app process's worker (src/server.ts): none without SMTP_URL; stop() is the SIGTERM drain. */
export function startMailWorker(db: Knex, config: Config, clock: Clock, logger?: pino.Logger): OutboxWorker {
  if (!config.smtpUrl)
    return {
      runOnce: () => Promise.resolve({ sent: 0, failed: 0 }),
      stop: () => Promise.resolve(),
    };
  return startOutboxWorker({ db, clock, config, logger });
}
