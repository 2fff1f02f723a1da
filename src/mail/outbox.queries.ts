/**
 * The e-mail outbox (migration 032) and the clinic's on/off switch for e-mail confirmations
 * (app_meta). A worker claims a row with one conditional UPDATE (the row is pending, due and not
 * leased by a live lease): of two workers racing for a row, the database lets exactly one update
 * it, so a message is never handed to SMTP twice at once, on SQLite or PostgreSQL.
 */
import type { Knex } from 'knex';

export type OutboxKind = 'booked' | 'moved' | 'cancelled';
export type OutboxStatus = 'pending' | 'sent' | 'failed';

export type OutboxRow = {
  id: number;
  booking_id: number;
  kind: OutboxKind;
  recipient: string;
  language: string | null;
  facts: string;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
};

const enabledKey = 'mail_confirmations';

export async function mailConfirmationsEnabled(db: Knex): Promise<boolean> {
  const row = (await db('app_meta').select('value').where({ key: enabledKey }).first()) as
    { value: string } | undefined;
  return row?.value === '1';
}

export async function saveMailConfirmationsEnabled(db: Knex, on: boolean): Promise<void> {
  await db('app_meta')
    .insert({ key: enabledKey, value: on ? '1' : '0' })
    .onConflict('key')
    .merge();
}

export async function insertOutboxRow(
  db: Knex,
  row: Pick<OutboxRow, 'booking_id' | 'kind' | 'recipient' | 'language' | 'facts' | 'created_at'>,
): Promise<void> {
  await db('mail_outbox').insert({
    ...row,
    status: 'pending',
    attempts: 0,
    next_attempt_at: row.created_at,
  });
}

/** Leases that may be taken at `now`: none, or one that has run out. */
function claimable(q: Knex.QueryBuilder, now: string): Knex.QueryBuilder {
  return q
    .where('status', 'pending')
    .where('next_attempt_at', '<=', now)
    .where((w) => w.whereNull('lease_until').orWhere('lease_until', '<', now));
}

/** Ids of rows due for sending, the longest waiting first (index status, next_attempt_at). */
export async function dueOutboxIds(db: Knex, now: string, limit: number): Promise<number[]> {
  const rows: { id: number }[] = await claimable(db('mail_outbox').select('id'), now)
    .orderBy([{ column: 'next_attempt_at' }, { column: 'id' }])
    .limit(limit);
  return rows.map((r) => r.id);
}

/** Takes the row for `owner` until `leaseUntil` and counts the attempt; false when another worker has it. */
export async function claimOutboxRow(
  db: Knex,
  a: { id: number; owner: string; now: string; leaseUntil: string },
): Promise<OutboxRow | null> {
  const changed = await claimable(db('mail_outbox').where('id', a.id), a.now).update({
    lease_owner: a.owner,
    lease_until: a.leaseUntil,
    attempts: db.raw('attempts + 1'),
  });
  if (changed !== 1) return null;
  const row = (await db('mail_outbox').where({ id: a.id, lease_owner: a.owner }).first()) as
    OutboxRow | undefined;
  return row ?? null;
}

/** The worker holding the lease records delivery. */
export async function markOutboxSent(db: Knex, a: { id: number; owner: string; now: string }): Promise<void> {
  await db('mail_outbox').where({ id: a.id, lease_owner: a.owner }).update({
    status: 'sent',
    sent_at: a.now,
    lease_owner: null,
    lease_until: null,
    last_error: null,
  });
}

/** The worker holding the lease records a failed attempt: tried again at `nextAt`, or given up. */
export async function markOutboxFailed(
  db: Knex,
  a: { id: number; owner: string; error: string; nextAt: string; giveUp: boolean },
): Promise<void> {
  await db('mail_outbox')
    .where({ id: a.id, lease_owner: a.owner })
    .update({
      status: a.giveUp ? 'failed' : 'pending',
      next_attempt_at: a.nextAt,
      lease_owner: null,
      lease_until: null,
      last_error: a.error,
    });
}

/** Retry from the admin page: a failed or waiting row is due now with fresh attempts. */
export async function retryOutboxRow(db: Knex, id: number, now: string): Promise<number> {
  return db('mail_outbox').where('id', id).whereIn('status', ['pending', 'failed']).update({
    status: 'pending',
    attempts: 0,
    next_attempt_at: now,
    lease_owner: null,
    lease_until: null,
  });
}

export async function outboxRowExists(db: Knex, id: number): Promise<boolean> {
  return Boolean(await db('mail_outbox').select('id').where({ id }).first());
}

export type OutboxListRow = Omit<OutboxRow, 'facts' | 'lease_owner' | 'lease_until'>;

/** The admin page's list, newest first, paged. */
export async function listOutbox(
  db: Knex,
  f: { status: OutboxStatus | 'all'; page: number; perPage: number },
): Promise<{ rows: OutboxListRow[]; total: number; page: number; pages: number }> {
  const filtered = () => {
    const q = db('mail_outbox');
    if (f.status !== 'all') q.where('status', f.status);
    return q;
  };
  const countRow = await filtered().count({ n: '*' }).first();
  const total = Number(countRow?.n ?? 0);
  const pages = Math.max(1, Math.ceil(total / f.perPage));
  const page = Math.min(Math.max(1, f.page), pages);
  const rows = (await filtered()
    .select(
      'id',
      'booking_id',
      'kind',
      'recipient',
      'language',
      'status',
      'attempts',
      'next_attempt_at',
      'last_error',
      'created_at',
      'sent_at',
    )
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(f.perPage)
    .offset((page - 1) * f.perPage)) as OutboxListRow[];
  return { rows, total, page, pages };
}
