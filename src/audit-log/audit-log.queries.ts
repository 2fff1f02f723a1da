/**
 * Reading the audit log (the viewer, its CSV and a booking's history). Newest first by id, which
 * only ever grows (append-only table), so keyset paging (`id < before`) is stable while entries
 * are added; the partner scope sits in the WHERE (an entry belongs to a partner through its
 * actor: actor_partner_id).
 */
import type { Knex } from 'knex';

export type AuditFilter = {
  /** UTC ISO bounds: at >= fromAt, at < toAt. */
  fromAt?: string;
  toAt?: string;
  /** The actor's user name, exactly. */
  actor?: string;
  /** Entries of one partner's users (clinic viewers' filter). */
  partnerId?: number;
  /** An action code, or a prefix ending in "." (`booking.`). */
  action?: string;
  entityType?: string;
  entityId?: number;
  /** Keyset: entries older than this id. */
  before?: number;
  /** Keyset: entries newer than this id (the page just above it; ignored with `before`). */
  after?: number;
  limit: number;
  /** The viewer's scope: null all entries, else only this partner's (auditScopeOf). */
  scopePartnerId: number | null;
};

export type AuditEntryRow = {
  id: number;
  at: string;
  actorUsername: string | null;
  actorPartnerId: number | null;
  partnerName: string | null;
  action: string;
  entityType: string | null;
  entityId: number | null;
  details: string;
  ip: string | null;
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw Knex row
const toRow = (r: Record<string, any>): AuditEntryRow => ({
  id: Number(r.id),
  at: r.at instanceof Date ? r.at.toISOString() : String(r.at),
  actorUsername: r.actor_username ?? null,
  actorPartnerId: r.actor_partner_id ?? null,
  partnerName: r.partner_name ?? null,
  action: r.action,
  entityType: r.entity_type ?? null,
  entityId: r.entity_id === null || r.entity_id === undefined ? null : Number(r.entity_id),
  details: typeof r.details === 'string' ? r.details : JSON.stringify(r.details ?? {}),
  ip: r.ip ?? null,
});

const columns = [
  'audit_log.id',
  'audit_log.at',
  'audit_log.actor_username',
  'audit_log.actor_partner_id',
  'partners.name as partner_name',
  'audit_log.action',
  'audit_log.entity_type',
  'audit_log.entity_id',
  'audit_log.details',
  'audit_log.ip',
];

/** LIKE's own characters in a prefix are literal. */
const likePrefix = (s: string) => `${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * One page of entries, newest first. limit + 1 are read, so the caller knows whether there is
 * another page beyond it: older ones, or with `after` newer ones (that page is read oldest first
 * from `after` upwards and turned round, so the extra entry is the one past its newest end).
 */
export async function listAuditEntries(db: Knex, f: AuditFilter): Promise<AuditEntryRow[]> {
  const q = db('audit_log').leftJoin('partners', 'partners.id', 'audit_log.actor_partner_id').select(columns);
  if (f.scopePartnerId !== null) q.where('audit_log.actor_partner_id', f.scopePartnerId);
  if (f.partnerId !== undefined) q.where('audit_log.actor_partner_id', f.partnerId);
  if (f.fromAt) q.where('audit_log.at', '>=', f.fromAt);
  if (f.toAt) q.where('audit_log.at', '<', f.toAt);
  // Exactly as stored (so audit_log_actor_id_index answers it).
  if (f.actor) q.where('audit_log.actor_username', f.actor);
  if (f.action?.endsWith('.')) q.whereRaw(`audit_log.action like ? escape '\\'`, [likePrefix(f.action)]);
  else if (f.action) q.where('audit_log.action', f.action);
  if (f.entityType) q.where('audit_log.entity_type', f.entityType);
  if (f.entityId !== undefined) q.where('audit_log.entity_id', f.entityId);
  if (f.before !== undefined) q.where('audit_log.id', '<', f.before);
  else if (f.after !== undefined) {
    const rows = await q
      .where('audit_log.id', '>', f.after)
      .orderBy('audit_log.id', 'asc')
      .limit(f.limit + 1);
    return rows.map(toRow).reverse();
  }
  const rows = await q.orderBy('audit_log.id', 'desc').limit(f.limit + 1);
  return rows.map(toRow);
}

/** Every entry about one booking, oldest first (created, moved, status marks, e-mails, cancelled). */
export async function bookingHistory(db: Knex, bookingId: number): Promise<AuditEntryRow[]> {
  const rows = await db('audit_log')
    .leftJoin('partners', 'partners.id', 'audit_log.actor_partner_id')
    .select(columns)
    .where({ 'audit_log.entity_type': 'booking', 'audit_log.entity_id': bookingId })
    .orderBy('audit_log.id')
    .limit(500);
  return rows.map(toRow);
}

/** The partners a clinic viewer may filter by. */
export async function auditPartnerOptions(db: Knex): Promise<{ id: number; name: string }[]> {
  return db('partners').select('id', 'name').orderBy('name');
}
