/**
 * The Audit log viewer (issue 16): filters (dates, actor, partner, action, entity), stable keyset
 * paging, CSV export, partner admins scoped to their partner's entries (an entry belongs to a
 * partner through its actor), a booking's own history on its page, and the indexes behind it.
 */
import { makeTestApp, loginAs, type TestApp, type LoggedIn } from './helpers';
import { fixtures } from './fixtures';
import { demoIds, type DemoIds } from './booking-helpers';
import { FixedClock } from '../src/lib/clock';
import { listAuditEntries } from '../src/audit-log/audit-log.queries';
import { onPostgres } from './test-db';

let t: TestApp;
let ids: DemoIds;
let admin: LoggedIn;

beforeEach(async () => {
  t = await makeTestApp({ demo: true, clock: new FixedClock('2027-01-18T06:00:00.000Z') });
  ids = await demoIds(t.db);
  admin = await loginAs(t.app, 'admin');
});
afterEach(() => t.db.destroy());

type Row = {
  at: string;
  username: string | null;
  partner: number | null;
  action: string;
  type?: string;
  id?: number;
};
async function log(rows: Row[]): Promise<void> {
  for (const r of rows)
    await t.db('audit_log').insert({
      at: r.at,
      actor_user_id: null,
      actor_username: r.username,
      actor_partner_id: r.partner,
      action: r.action,
      entity_type: r.type ?? null,
      entity_id: r.id ?? null,
      details: '{}',
      ip: null,
    });
}

const auditIds = (html: string) => [...html.matchAll(/data-audit-id="(\d+)"/g)].map((m) => Number(m[1]));
const idsWhere = async (where: (q: ReturnType<TestApp['db']>) => unknown) => {
  const q = t.db('audit_log').select('id').orderBy('id', 'desc');
  where(q);
  return (await q).map((r: { id: number }) => Number(r.id));
};

describe('GET /audit-log', () => {
  it('lists entries newest first and filters by action, prefix, actor, partner, entity and dates', async () => {
    await log([
      {
        at: '2027-03-01T10:00:00.000Z',
        username: 'zed',
        partner: null,
        action: 'booking.moved',
        type: 'booking',
        id: 900001,
      },
      {
        at: '2027-03-02T10:00:00.000Z',
        username: 'zed',
        partner: ids.beta,
        action: 'mail.sent',
        type: 'booking',
        id: 900001,
      },
      {
        at: '2027-03-03T23:30:00.000Z',
        username: 'yan',
        partner: ids.alfa,
        action: 'booking.cancelled',
        type: 'booking',
        id: 900002,
      },
    ]);
    const all = await admin.agent.get('/audit-log');
    expect(all.status).toBe(200);
    const listed = auditIds(all.text);
    expect(listed).toEqual([...listed].sort((a, b) => b - a));
    expect(all.text).toContain('Moved');

    const get = async (q: string) => {
      const res = await admin.agent.get(`/audit-log?${q}`);
      expect([q, res.status]).toEqual([q, 200]);
      return auditIds(res.text);
    };
    expect(await get('action=booking.moved')).toEqual(
      await idsWhere((q) => q.where({ action: 'booking.moved' })),
    );
    expect(await get('action=booking.')).toEqual(
      await idsWhere((q) => q.where('action', 'like', 'booking.%')),
    );
    expect(await get('actor=zed')).toHaveLength(2);
    expect(await get(`partner=${ids.beta}`)).toEqual(
      await idsWhere((q) => q.where({ actor_partner_id: ids.beta })),
    );
    expect(await get('entity=booking&entity_id=900001')).toHaveLength(2);
    // Clinic-local days (Europe/Budapest): 23:30 UTC on 3 March is already 4 March there.
    expect(await get('from=2027-03-02&to=2027-03-03')).toHaveLength(1);
    expect(await get('from=2027-03-04&to=2027-03-04')).toHaveLength(1);
    expect(await get('from=2027-03-01&to=2027-03-04&actor=yan&action=booking.cancelled')).toHaveLength(1);
    expect(await get('action=no.such')).toEqual([]);
  });

  it('pages by keyset: every entry exactly once, in order, while new ones are added', async () => {
    const rows: Row[] = Array.from({ length: 120 }, (_, i) => ({
      at: `2027-02-01T10:${String(i % 60).padStart(2, '0')}:00.000Z`,
      username: 'pager',
      partner: null,
      action: 'booking.attendance',
      type: 'booking',
      id: 800000 + i,
    }));
    await log(rows);
    const seen: number[] = [];
    let url: string | null = '/audit-log?actor=pager';
    let pages = 0;
    while (url) {
      const res = await admin.agent.get(url);
      expect(res.status).toBe(200);
      const page = auditIds(res.text);
      expect(page.length).toBeLessThanOrEqual(50);
      seen.push(...page);
      pages++;
      // An entry added meanwhile does not shift the next page.
      if (pages === 1) await log([{ ...rows[0], at: '2027-02-02T00:00:00.000Z' }]);
      const older = /<a href="([^"]+)">Older entries<\/a>/.exec(res.text);
      url = older ? older[1].replace(/&amp;/g, '&') : null;
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
  });

  it('pages back up with Newer entries: the same pages as going down, the filter kept', async () => {
    await log(
      Array.from({ length: 120 }, (_, i) => ({
        at: `2027-02-01T11:${String(i % 60).padStart(2, '0')}:00.000Z`,
        username: 'upward',
        partner: null,
        action: 'booking.attendance',
        type: 'booking',
        id: 810000 + i,
      })),
    );
    const link = (html: string, name: string) => {
      const m = new RegExp(`<a href="([^"]+)"[^>]*>${name}</a>`).exec(html);
      return m ? m[1].replace(/&amp;/g, '&') : null;
    };
    const down: { html: string; ids: number[] }[] = [];
    let url: string | null = '/audit-log?actor=upward';
    while (url) {
      const res = await admin.agent.get(url);
      expect(res.status).toBe(200);
      down.push({ html: res.text, ids: auditIds(res.text) });
      url = link(res.text, 'Older entries');
    }
    expect(down.map((p) => p.ids.length)).toEqual([50, 50, 20]);
    // The first page has nothing newer; the others do.
    expect(link(down[0].html, 'Newer entries')).toBeNull();
    // From the last page back up: each Newer link shows exactly the page above it.
    let html = down[2].html;
    for (const above of [1, 0]) {
      const newer = link(html, 'Newer entries');
      expect(newer).toContain('actor=upward');
      const res = await admin.agent.get(newer!);
      expect(res.status).toBe(200);
      expect(auditIds(res.text)).toEqual(down[above].ids);
      // Coming up there are always older entries again, and the way back down is the same.
      expect(link(res.text, 'Older entries')).toBe(link(down[above].html, 'Older entries'));
      html = res.text;
    }
    // At the top again: no Newer link, unless entries were added meanwhile.
    expect(link(html, 'Newer entries')).toBeNull();
    await log([
      {
        at: '2027-02-02T00:00:00.000Z',
        username: 'upward',
        partner: null,
        action: 'booking.attendance',
        type: 'booking',
        id: 820000,
      },
    ]);
    const again = await admin.agent.get(link(down[1].html, 'Newer entries')!);
    expect(auditIds(again.text)).toHaveLength(50);
    const top = await admin.agent.get(link(again.text, 'Newer entries')!);
    expect(auditIds(top.text)).toEqual([
      Math.max(...(await idsWhere((q) => q.where({ actor_username: 'upward' })))),
    ]);
    expect((await admin.agent.get('/audit-log?after=x')).status).toBe(400);
  });

  it('exports the filtered entries as CSV (BOM, the language\u2019s separator)', async () => {
    await log([
      {
        at: '2027-03-01T10:00:00.000Z',
        username: 'csvuser',
        partner: ids.alfa,
        action: 'booking.moved',
        type: 'booking',
        id: 5,
      },
      {
        at: '2027-03-01T11:00:00.000Z',
        username: 'csvuser',
        partner: ids.alfa,
        action: '=cmd()',
        type: 'booking',
        id: 6,
      },
    ]);
    const res = await admin.agent.get('/audit-log.csv?actor=csvuser');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    const lines = res.text.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(
      '\uFEFFEntry,Time,Time (UTC),Actor,Partner,Action,Action code,Entity,Entity id,Details,IP address',
    );
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain(
      ',2027-03-01T10:00:00.000Z,csvuser,Alfa Health Insurance,Moved,booking.moved,booking,5,',
    );
    // Formula-looking text stays text.
    expect(lines[1]).toContain(",'=cmd(),");
    const hu = await admin.agent.get('/audit-log.csv?actor=csvuser').set('Accept-Language', 'hu');
    expect(hu.text.split('\r\n')[0]).toContain('Bejegyzés;Időpont;');
    expect(hu.text.split('\r\n')[2]).toContain(';Áthelyezve;booking.moved;');
  });

  it('refuses a bad filter with the message beside the field (422) and shows no entries', async () => {
    for (const [q, field] of [
      ['from=2027-13-01', 'from'],
      ['from=2027-03-05&to=2027-03-01', 'to'],
      ['entity_id=abc', 'entity_id'],
      ['action=DROP%20TABLE', 'action'],
    ]) {
      const res = await admin.agent.get(`/audit-log?${q}`);
      expect([q, res.status]).toEqual([q, 422]);
      expect(res.text).toContain(`id="${field}-error"`);
      expect(auditIds(res.text)).toEqual([]);
    }
    expect((await admin.agent.get('/audit-log?before=x')).status).toBe(400);
  });

  it('shows a partner admin only the entries of their own partner\u2019s users', async () => {
    await fixtures.user(t.db, 'alfaadmin', ['partner_admin', 'partner_booking', 'bookings_view'], ids.alfa);
    await log([
      { at: '2027-03-01T10:00:00.000Z', username: 'alfa', partner: ids.alfa, action: 'booking.moved' },
      { at: '2027-03-01T10:00:00.000Z', username: 'beta', partner: ids.beta, action: 'booking.moved' },
      { at: '2027-03-01T10:00:00.000Z', username: 'desk', partner: null, action: 'booking.moved' },
    ]);
    const u = await loginAs(t.app, 'alfaadmin');
    const home = await u.agent.get('/');
    expect(home.text).toContain('<strong>Audit log</strong>');
    const alfaOnly = await idsWhere((q) => q.where({ actor_partner_id: ids.alfa }));
    expect(alfaOnly.length).toBeGreaterThan(0);
    const res = await u.agent.get('/audit-log');
    expect(res.status).toBe(200);
    expect(auditIds(res.text)).toEqual(alfaOnly.slice(0, 50));
    expect(res.text).not.toContain('id="partner"');
    // Asking for another partner or actor does not widen it.
    expect(auditIds((await u.agent.get(`/audit-log?partner=${ids.beta}`)).text)).toEqual(
      alfaOnly.slice(0, 50),
    );
    expect(auditIds((await u.agent.get('/audit-log?actor=beta')).text)).toEqual([]);
    const csv = await u.agent.get('/audit-log.csv');
    expect(csv.text).not.toContain('Beta Corporate Care');
    expect(csv.text.split('\r\n').filter(Boolean)).toHaveLength(alfaOnly.length + 1);
    // Without Partner users, or once the clinic switches it off: 403.
    const alfa = await loginAs(t.app, 'alfa');
    expect((await alfa.agent.get('/audit-log')).status).toBe(403);
    await t.db('partners').where({ id: ids.alfa }).update({ partner_admin_enabled: false });
    expect((await u.agent.get('/audit-log')).status).toBe(403);
    for (const who of ['desk', 'viewer']) {
      const other = await loginAs(t.app, who);
      expect([who, (await other.agent.get('/audit-log')).status]).toEqual([who, 403]);
      expect([who, (await other.agent.get('/audit-log.csv')).status]).toEqual([who, 403]);
    }
  });
});

describe("a booking's page", () => {
  it('shows its own history, with translated names and a fallback for unknown actions', async () => {
    const booking = await t.db('bookings').where({ partner_id: ids.alfa }).orderBy('id').first();
    await log([
      {
        at: '2027-01-18T07:00:00.000Z',
        username: 'desk',
        partner: null,
        action: 'booking.moved',
        type: 'booking',
        id: booking.id,
      },
      {
        at: '2027-01-18T07:05:00.000Z',
        username: 'desk',
        partner: null,
        action: 'mail.sent',
        type: 'booking',
        id: booking.id,
      },
      {
        at: '2027-01-18T07:10:00.000Z',
        username: 'desk',
        partner: null,
        action: 'booking.teleported',
        type: 'booking',
        id: booking.id,
      },
      {
        at: '2027-01-18T07:15:00.000Z',
        username: 'desk',
        partner: null,
        action: 'booking.moved',
        type: 'booking',
        id: booking.id + 1000,
      },
    ]);
    const res = await admin.agent.get(`/bookings/${booking.id}`);
    expect(res.status).toBe(200);
    const items = [...res.text.matchAll(/<li data-action="([^"]+)">[\s\S]*?<strong>([^<]+)<\/strong>/g)].map(
      (m) => [m[1], m[2]],
    );
    expect(items.slice(-3)).toEqual([
      ['booking.moved', 'Moved'],
      ['mail.sent', 'E-mail sent'],
      ['booking.teleported', 'Other (booking.teleported)'],
    ]);
    expect(items.filter(([a]) => a === 'booking.moved')).toHaveLength(1);
    const hu = await admin.agent.get(`/bookings/${booking.id}`).set('Accept-Language', 'hu');
    expect(hu.text).toContain('<strong>Áthelyezve</strong>');
    expect(hu.text).toContain('<strong>Egyéb (booking.teleported)</strong>');
    // The partner whose booking it is sees the history too (the booking's page is scoped already).
    const alfa = await loginAs(t.app, 'alfa');
    const theirs = await alfa.agent.get(`/bookings/${booking.id}`);
    expect(theirs.text).toContain('data-action="mail.sent"');
  });

  it('shows the creation and cancellation made through the app', async () => {
    const booking = await t
      .db('bookings')
      .where({ partner_id: ids.alfa, status: 'booked' })
      .orderBy('id')
      .first();
    const cancel = await admin.agent
      .post(`/bookings/${booking.id}/cancel`)
      .type('form')
      .send({ _csrf: admin.csrf, reason: 'Called' });
    expect(cancel.status).toBe(303);
    const res = await admin.agent.get(`/bookings/${booking.id}`);
    expect(res.text).toContain('<li data-action="booking.cancelled">');
    expect(res.text).toMatch(/<strong>Cancelled<\/strong> · admin/);
  });
});

describe('the audit_log indexes', () => {
  const filters = [
    ['partner', { scopePartnerId: 1 }, 'audit_log_partner_id_index'],
    ['actor', { actor: 'desk' }, 'audit_log_actor_id_index'],
    ['action', { action: 'booking.moved' }, 'audit_log_action_id_index'],
    ['entity', { entityType: 'booking', entityId: 1 }, 'audit_log_entity_id_index'],
  ] as const;

  it.each(filters)('reads the %s filter off its index (EXPLAIN)', async (_name, extra, index) => {
    const captured: { sql: string; bindings: unknown[] }[] = [];
    const listen = (q: { sql: string; bindings?: unknown[] }) =>
      captured.push({ sql: q.sql, bindings: q.bindings ?? [] });
    t.db.on('query', listen);
    await listAuditEntries(t.db, { limit: 50, scopePartnerId: null, ...extra });
    t.db.removeListener('query', listen);
    const q = captured.find((c) => /audit_log/.test(c.sql))!;
    let plan: string;
    if (onPostgres) {
      plan = await t.db.transaction(async (trx) => {
        // The test tables are tiny, so PostgreSQL would scan them: ask whether the index can serve.
        await trx.raw('set local enable_seqscan = off');
        const sql = q.sql.replace(/\$\d+/g, '?');
        const rows = await trx.raw(`explain ${sql}`, q.bindings as never[]);
        return rows.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
      });
    } else {
      const rows: { detail: string }[] = await t.db.raw(`explain query plan ${q.sql}`, q.bindings as never[]);
      plan = rows.map((r) => r.detail).join('\n');
    }
    expect(plan).toContain(index);
    expect(plan).not.toMatch(/TEMP B-TREE|Sort\b/);
  });
});
