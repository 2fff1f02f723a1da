/**
 * Name search at scale (issue 11): two index-ordered range queries merged in JS. These tests pin
 * which patients come back and in what order against a brute-force oracle, the partner scope
 * before the LIMIT, and the htmx search fragment answering without the dialog's queries.
 */
import { makeTestApp, loginAs, type TestApp } from './helpers';
import { fixtures } from './fixtures';
import { demoIds, holdCardioConsult } from './booking-helpers';
import { loadCurrentUser } from '../src/users/users.queries';
import { searchPatients } from '../src/patients/patients.service';
import { foldName } from '../src/lib/text';
import type { CurrentUser } from '../src/lib/permissions';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp({ demo: true });
});
afterEach(() => t.db.destroy());

async function userNamed(username: string): Promise<CurrentUser> {
  const row = await t.db('users').select('id').where({ username }).first();
  return (await loadCurrentUser(t.db, row.id))!;
}

/** Every patient whose "family given" or "given family" starts with q, by first matched text, then id. */
async function oracle(q: string, visible: (p: { registered_by_partner_id: number | null }) => boolean) {
  const prefix = foldName(q);
  const all: {
    id: number;
    search_name: string;
    search_name_reversed: string;
    registered_by_partner_id: number | null;
  }[] = await t
    .db('patients')
    .select('id', 'search_name', 'search_name_reversed', 'registered_by_partner_id');
  return all
    .filter(visible)
    .map((p) => ({
      id: p.id,
      key: [p.search_name, p.search_name_reversed].filter((k) => k.startsWith(prefix)).sort()[0],
    }))
    .filter((p) => p.key !== undefined)
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id - b.id))
    .map((p) => p.id);
}

describe('name search order and limit', () => {
  it('returns the first 20 matches of either name, accent- and case-insensitively in alphabetical order', async () => {
    const desk = await userNamed('desk');
    const families = ['Balázs', 'BALOGH', 'Bálint', 'balog', 'Kiss', 'Nagy', 'Bakó', 'Zala'];
    const givens = ['Bálint', 'Anna', 'Balázs', 'Éva', 'bal'];
    for (const f of families) for (const g of givens) await fixtures.patient(t.db, f, g);
    for (const q of ['bal', 'BÁL', 'balo', 'ba', 'kiss b', 'bal k']) {
      const expected = (await oracle(q, () => true)).slice(0, 20);
      const got = (await searchPatients(t.db, desk, q)).results.map((p) => p.id);
      expect({ q, got }).toEqual({ q, got: expected });
    }
    // More than 20 match "ba": the list is cut at 20, in the oracle's order.
    expect((await oracle('ba', () => true)).length).toBeGreaterThan(20);
  });

  it('applies the partner scope before the limit: invisible matches do not use up the 20', async () => {
    const beta = await userNamed('beta');
    const betaId = beta.partnerId!;
    // 30 clinic patients that sort first (beta may not see clinic records), then beta's own.
    for (let i = 0; i < 30; i++) await fixtures.patient(t.db, 'Aaron', `Clinic${String(i).padStart(2, '0')}`);
    const own: number[] = [];
    for (let i = 0; i < 5; i++)
      own.push(await fixtures.patient(t.db, 'Aaronova', `Own${i}`, { registeredByPartnerId: betaId }));
    const got = (await searchPatients(t.db, beta, 'aaron')).results;
    expect(got.map((p) => p.id)).toEqual(own);
    expect(got.every((p) => !p.restricted)).toBe(true);
  });
});

describe('htmx search fragment in the reservation dialog', () => {
  it('answers with the results list only, without the dialog model queries', async () => {
    const ids = await demoIds(t.db);
    const u = await loginAs(t.app, 'alfa');
    const { token } = await holdCardioConsult(t.db, u, ids);
    const sql: string[] = [];
    const listen = (q: { sql: string }) => sql.push(q.sql);
    t.db.on('query', listen);
    const search = await u.agent.get(`/reservations/${token}?q=kovacs`).set('HX-Request', 'true');
    t.db.removeListener('query', listen);
    expect(search.status).toBe(200);
    expect(search.text).toContain(`id="patient-${ids.janos}"`);
    expect(search.text).not.toContain('Choose the patient');
    // The dialog model reads the hold's slots and the names of doctor, service and channel.
    expect(sql.filter((s) => /hold_slots|from [`"]doctors[`"]|from [`"]services[`"]/.test(s))).toEqual([]);
    // Two name ranges and (6 letters may be a passport number) the identifier lookup.
    expect(sql.filter((s) => /from [`"]patients[`"]/.test(s))).toHaveLength(3);
  });
});
