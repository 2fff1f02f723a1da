/**
 * The Audit log viewer (issue 16): clinic administrators (Admin users) read every entry, a partner
 * admin (Partner users) only their own partner's, i.e. entries whose actor is one of that
 * partner's users (audit_log.actor_partner_id); auditScopeOf decides. Filter by date range
 * (clinic-local days), actor, partner, action and entity; newest first, keyset paged; CSV export.
 */
import type { Request, Response } from 'express';
import { DateTime } from 'luxon';
import { guardedRouter } from '../lib/router';
import { Forbidden } from '../lib/errors';
import { auditScopeOf, type AuditScope } from '../lib/permissions';
import { fieldErrors, parseOr400 } from '../lib/validate';
import { clinicTimeZone } from '../settings/institutions.queries';
import { csvConventionOf, csvLine, defuseFormula } from '../statistics/statistics.csv';
import type { Translate } from '../i18n';
import { auditFilterSchema, auditLinkSchema, auditValuesFromQuery } from './audit-log.forms';
import {
  auditPartnerOptions,
  bookingHistory,
  listAuditEntries,
  type AuditEntryRow,
  type AuditFilter,
} from './audit-log.queries';
import { knownAuditActions } from './audit-log.actions';

export const PAGE_SIZE = 50;
/** At most this many entries in one CSV file; narrow the filter for more. */
export const CSV_MAX = 10_000;

export const messages = { fixFilter: 'Fix the filter above to see entries.' };

/** An action's name in the reader's language; an action without a name shows its code. */
export function actionLabel(t: Translate, action: string): string {
  return knownAuditActions.has(action)
    ? t(`audit.action.${action}` as Parameters<Translate>[0])
    : t('audit.action.unknown', { action });
}

/** The details as short key / value pairs for the table (the CSV has them whole). */
function detailsParts(details: string): { key: string; value: string }[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(details);
  } catch {
    return [{ key: '', value: details.slice(0, 240) }];
  }
  if (!parsed || typeof parsed !== 'object') return [];
  return Object.entries(parsed as Record<string, unknown>)
    .slice(0, 12)
    .map(([key, v]) => {
      const value = typeof v === 'string' ? v : JSON.stringify(v);
      return { key, value: value.length > 120 ? `${value.slice(0, 120)}\u2026` : value };
    });
}

function presentRow(req: Request, zone: string, row: AuditEntryRow) {
  return {
    ...row,
    atLocal: req.formats.formatDateTime(row.at, zone),
    actionName: actionLabel(req.t, row.action),
    details: detailsParts(row.details),
    entityHref: row.entityType === 'booking' && row.entityId ? `/bookings/${row.entityId}` : null,
  };
}

/** A booking's own history for its page: every audit entry about it, oldest first. */
export async function bookingHistoryModel(req: Request, bookingId: number, zone: string) {
  const rows = await bookingHistory(req.ctx.db, bookingId);
  return rows.map((row) => presentRow(req, zone, row));
}

function dayStartUtc(date: string, zone: string): string {
  return DateTime.fromISO(date, { zone }).startOf('day').toUTC().toISO()!;
}

async function auditPage(req: Request, res: Response, csv: boolean): Promise<void> {
  const scope: AuditScope | null = auditScopeOf(req.user);
  if (!scope) throw new Forbidden();
  const query = (req.query ?? {}) as Record<string, unknown>;
  const links = parseOr400(auditLinkSchema, query);
  const values = auditValuesFromQuery(query);
  const clinicView = scope.partnerId === null;
  if (!clinicView) values.partner = '';
  const parsed = auditFilterSchema.safeParse(query);
  const db = req.ctx.db;
  const zone = await clinicTimeZone(db);
  const base = {
    title: 'Audit log',
    values,
    clinicView,
    partners: clinicView ? await auditPartnerOptions(db) : [],
    actions: [...knownAuditActions],
  };
  if (!parsed.success) {
    res.status(422);
    return res.render('audit-log/index', {
      ...base,
      rows: [],
      olderLink: null,
      newerLink: null,
      newestLink: null,
      csvLink: null,
      invalid: messages.fixFilter,
      errors: fieldErrors(parsed.error),
    });
  }
  const f = parsed.data;
  const filter: AuditFilter = {
    fromAt: f.from ? dayStartUtc(f.from, zone) : undefined,
    // The end date's whole day: up to the next day's start, in the clinic's zone.
    toAt: f.to ? dayStartUtc(DateTime.fromISO(f.to).plus({ days: 1 }).toISODate()!, zone) : undefined,
    actor: f.actor || undefined,
    partnerId: clinicView ? links.partner : undefined,
    action: f.action || undefined,
    entityType: f.entity || undefined,
    entityId: f.entity_id ? Number(f.entity_id) : undefined,
    before: csv ? undefined : links.before,
    after: csv || links.before !== undefined ? undefined : links.after,
    limit: csv ? CSV_MAX : PAGE_SIZE,
    scopePartnerId: scope.partnerId,
  };
  const found = await listAuditEntries(db, filter);
  // The page one beyond: older entries (newest-first paging) or, coming back up, newer ones.
  const more = found.length > filter.limit;
  const goingUp = filter.after !== undefined;
  const rows = goingUp ? found.slice(-filter.limit) : found.slice(0, filter.limit);
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v) params.set(k, v);
  if (csv) return sendAuditCsv(req, res, zone, rows);
  const withParams = (path: string, extra: Record<string, string> = {}) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(extra)) p.set(k, v);
    const s = p.toString();
    return s ? `${path}?${s}` : path;
  };
  res.render('audit-log/index', {
    ...base,
    rows: rows.map((row) => presentRow(req, zone, row)),
    // Coming back up there are always older entries: the page this one was reached from.
    olderLink:
      rows.length > 0 && (goingUp || more)
        ? withParams('/audit-log', { before: String(rows[rows.length - 1].id) })
        : null,
    // Going down, the page above is newer; coming up, only if one more was found past the top.
    newerLink:
      rows.length > 0 && (goingUp ? more : links.before !== undefined)
        ? withParams('/audit-log', { after: String(rows[0].id) })
        : null,
    newestLink: links.before !== undefined || goingUp ? withParams('/audit-log') : null,
    csvLink: withParams('/audit-log.csv'),
    invalid: null,
    errors: {},
  });
}

function sendAuditCsv(req: Request, res: Response, zone: string, rows: AuditEntryRow[]): void {
  const { separator } = csvConventionOf(req.lang);
  const t = req.t;
  let out =
    '\uFEFF' +
    csvLine(
      [
        t('audit.col.id'),
        t('audit.col.at'),
        t('audit.col.atUtc'),
        t('audit.col.actor'),
        t('audit.col.partner'),
        t('audit.col.action'),
        t('audit.col.actionCode'),
        t('audit.col.entity'),
        t('audit.col.entityId'),
        t('audit.col.details'),
        t('audit.col.ip'),
      ],
      separator,
    );
  for (const r of rows)
    out += csvLine(
      [
        String(r.id),
        req.formats.formatDateTime(r.at, zone),
        r.at,
        defuseFormula(r.actorUsername ?? ''),
        defuseFormula(r.partnerName ?? ''),
        defuseFormula(actionLabel(t, r.action)),
        defuseFormula(r.action),
        defuseFormula(r.entityType ?? ''),
        r.entityId === null ? '' : String(r.entityId),
        defuseFormula(r.details),
        defuseFormula(r.ip ?? ''),
      ],
      separator,
    );
  res.set('Content-Type', 'text/csv; charset=utf-8');
  res.set('Content-Disposition', 'attachment; filename="audit-log.csv"');
  res.send(out);
}

export function auditLogRoutes() {
  const r = guardedRouter();
  // Clinic administrators and partner admins; auditScopeOf then decides what each may read.
  r.get('/audit-log', ['users_admin', 'partner_admin'], (req, res) => auditPage(req, res, false));
  r.get('/audit-log.csv', ['users_admin', 'partner_admin'], (req, res) => auditPage(req, res, true));
  return r;
}
