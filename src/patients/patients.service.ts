/**
 * Patients: search, visibility (partner tenancy) and registration.
 *
 * Who sees what:
 * - clinic staff see every patient;
 * - a partner user fully sees the patients their partner registered or has a standing booking
 *   for (a cancelled booking does not count: book, cancel at once, read the record), and, when the
 *   partner has `can_see_patient_records`, the clinic's own patients (registered by no partner);
 * - any other existing patient is found only by exact identifier and shown restricted: name and
 *   year of birth only, so a partner can book a known person without reading their record.
 * The scoping is part of each query's WHERE, never a filter applied afterwards.
 */
import type { Knex } from 'knex';
import { audit } from '../lib/audit';
import { isUniqueViolation, writeTransaction } from '../lib/db';
import type { Clock } from '../lib/clock';
import { NotFound } from '../lib/errors';
import { mayEditPatient, type CurrentUser } from '../lib/permissions';
import { foldName } from '../lib/text';
import {
  groupedIdentifier,
  identifierText,
  identifierTypes,
  normalizeIdentifier,
  type IdentifierType,
  noIdentifierReasons,
  type NoIdentifierReason,
} from './identifiers';
import { offeredIdentifierTypes, typesForForm } from './identifier-settings';
import type { Language, MessageKey, Translate } from '../i18n';
import { personNameIn } from '../i18n/formats';
import { formMessages, parsePatientInput } from './patients.forms';
import * as queries from './patients.queries';
import type { PatientRow } from './patients.queries';

export { parsePatientInput, type PatientInput } from './patients.forms';

export const messages = {
  tooShort: 'Type at least 2 letters',
  notFound: 'No such patient, or you may not see this patient.',
  ...formMessages,
  identifierTaken: 'A patient with this identifier is already registered.',
  chooseSameIdentifier: 'A patient with this identifier already exists. Choose them below.',
  chooseSameName:
    'A patient with the same name and date of birth exists. Choose them below, or tick Create anyway.',
};

export type PatientSummary = {
  id: number;
  familyName: string;
  givenName: string;
  birthYear: number;
  birthDate: string | null;
  /** null: no identifier (then noIdentifierReason says why), or restricted. */
  idType: IdentifierType | null;
  idNumber: string | null;
  noIdentifierReason: NoIdentifierReason | null;
  restricted: boolean;
};

/** A full record, for the details page (only ever built for a fully visible patient). */
export type PatientRecord = PatientSummary & {
  phone: string;
  email: string;
  postalCode: string;
  city: string;
  streetAddress: string;
  /** The language of the patient's e-mails; null: the clinic's default. */
  language: Language | null;
  registeredByPartner: string | null;
  createdAt: string;
};

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

const partnerScope = queries.patientScopeOf;

function toSummary(row: PatientRow): PatientSummary {
  const full = Boolean(Number(row.full_access));
  return {
    id: row.id,
    familyName: row.family_name,
    givenName: row.given_name,
    birthYear: Number(row.birth_date.slice(0, 4)),
    birthDate: full ? row.birth_date : null,
    idType: full ? row.id_type : null,
    idNumber: full ? row.id_number : null,
    noIdentifierReason: full ? row.no_identifier_reason : null,
    restricted: !full,
  };
}

/** The candidate spellings of an identifier typed into the search box (any type). */
function identifierCandidates(q: string): string[] {
  const compact = q.replace(/[\s-]/g, '');
  // Real identifiers have 6 to 20 characters; shorter input is a name being typed.
  if (compact.length < 6 || compact.length > 20) return [];
  return [...new Set([normalizeIdentifier('taj', compact), normalizeIdentifier('passport', compact)])];
}

/**
 * Name-prefix matches, first `limit`: one index-ordered range query per name column ("family
 * given" and "given family"), merged here by the matched folded text (accent- and case-insensitive
 * alphabetical), then id. A patient matching both ways keeps its first place. The first `limit` of
 * the merge are exactly the first `limit` of all matches in that order: each list holds its
 * column's first `limit`, and anything beyond comes after `limit` distinct patients.
 */
async function patientsByName(
  db: Knex,
  scope: queries.PatientScope,
  folded: string,
  limit: number,
): Promise<PatientRow[]> {
  const lists = await Promise.all(
    queries.nameKeys.map((key) => queries.patientsByNamePrefix(db, scope, key, folded, limit)),
  );
  const merged = lists
    .flat()
    .sort((a, b) => (a.match_key < b.match_key ? -1 : a.match_key > b.match_key ? 1 : a.id - b.id));
  const seen = new Set<number>();
  return merged.filter((r) => !seen.has(r.id) && (seen.add(r.id), true)).slice(0, limit);
}

/**
 * Search by name (prefix of "family given" or "given family", so of either name too; case- and
 * accent-insensitive) or by exact identifier. Identifier matches come first.
 */
export async function searchPatients(
  db: Knex,
  user: CurrentUser,
  q: string,
  opts: { limit?: number } = {},
): Promise<{ results: PatientSummary[]; message?: string }> {
  const query = typeof q === 'string' ? q.trim().slice(0, 200) : '';
  const folded = foldName(query);
  const ids = identifierCandidates(query);
  const nameOk = folded.length >= 2;
  if (!nameOk && ids.length === 0) return { results: [], message: query ? messages.tooShort : undefined };
  const limit = Math.min(Math.max(1, Math.floor(opts.limit ?? DEFAULT_LIMIT)), MAX_LIMIT);
  const scope = await partnerScope(db, user);
  // Two queries, each able to use its index; an OR across them would scan the table.
  // Name matches only among the patients this user may fully see.
  const byName = nameOk ? patientsByName(db, scope, folded, limit) : Promise.resolve([]);
  // An exact identifier finds anyone (restricted if not fully visible): it proves the user knows the person.
  const byIdentifier = ids.length ? queries.patientsByIdentifier(db, scope, ids, limit) : Promise.resolve([]);
  const [named, identified] = await Promise.all([byName, byIdentifier]);
  const seen = new Set<number>();
  const rows = [...identified, ...named]
    .filter((r) => !seen.has(r.id) && (seen.add(r.id), true))
    .slice(0, limit);
  return { results: rows.map(toSummary) };
}

/**
 * The patient as this user may see them, or null. Patients outside the user's full view come
 * back restricted: they can only have been found by exact identifier, and may still be booked.
 */
export async function findVisiblePatient(
  db: Knex,
  user: CurrentUser,
  patientId: number,
): Promise<PatientSummary | null> {
  if (!Number.isSafeInteger(patientId) || patientId <= 0) return null;
  const row = await queries.patientById(db, await partnerScope(db, user), patientId);
  return row ? toSummary(row) : null;
}

/** The full record, only if this user fully sees the patient (scope in the WHERE). */
export async function findPatientRecord(
  db: Knex,
  user: CurrentUser,
  patientId: number,
): Promise<PatientRecord | null> {
  const row = await queries.patientRecord(db, await partnerScope(db, user), patientId);
  if (!row) return null;
  return {
    ...toSummary({ ...row, full_access: 1 }),
    phone: row.phone,
    email: row.email,
    postalCode: row.postal_code,
    city: row.city,
    streetAddress: row.street_address,
    language: row.language ?? null,
    registeredByPartner: row.partner_name ?? null,
    createdAt: row.created_at,
  };
}

export type CreatePatientResult =
  | { status: 'created'; patient: PatientSummary }
  /** identifierTaken: the identifier exists already, which is always refused (confirming does not help). */
  | { status: 'duplicate'; duplicates: PatientSummary[]; identifierTaken?: boolean };

async function sameIdentifier(
  db: Knex,
  user: CurrentUser,
  idType: IdentifierType,
  idNumber: string,
): Promise<PatientSummary[]> {
  const rows = await queries.patientsWithIdentifier(db, await partnerScope(db, user), idType, idNumber);
  return rows.map(toSummary);
}

/** The stored columns of validated patient input: as typed, plus the folded search keys. */
function patientColumns(v: ReturnType<typeof parsePatientInput>) {
  return {
    family_name: v.family_name,
    given_name: v.given_name,
    search_name: foldName(`${v.family_name} ${v.given_name}`),
    search_name_reversed: foldName(`${v.given_name} ${v.family_name}`),
    birth_date: v.birth_date,
    id_type: v.identifier?.type ?? null,
    id_number: v.identifier?.number ?? null,
    no_identifier_reason: v.no_identifier_reason,
    phone: v.phone,
    email: v.email,
    postal_code: v.postal_code,
    city: v.city,
    street_address: v.street_address,
    language: v.language,
  };
}

/**
 * Registers a patient. Same identifier: always refused. Same name and date of birth: a warning
 * the user must confirm. The unique index on (id_type, id_number) decides a race.
 */
export async function createPatient(
  db: Knex,
  user: CurrentUser,
  input: Record<string, unknown>,
  opts: { confirmDuplicate: boolean; ip?: string | null; clock: Clock },
): Promise<CreatePatientResult> {
  const v = parsePatientInput(input, opts.clock.now(), await offeredIdentifierTypes(db));
  const identifier = v.identifier;
  const searchName = foldName(`${v.family_name} ${v.given_name}`);

  const byIdentifier = identifier ? await sameIdentifier(db, user, identifier.type, identifier.number) : [];
  if (byIdentifier.length) return { status: 'duplicate', duplicates: byIdentifier, identifierTaken: true };

  if (!opts.confirmDuplicate) {
    // Only name twins the user may see are shown; others would leak that a stranger exists.
    const twins = await queries.nameTwins(db, await partnerScope(db, user), searchName, v.birth_date);
    if (twins.length) return { status: 'duplicate', duplicates: twins.map(toSummary) };
  }

  try {
    const id = await writeTransaction(db, async (trx) => {
      const patientId = await queries.insertPatient(trx, {
        ...patientColumns(v),
        registered_by_partner_id: user.partnerId ?? null,
        created_by_user_id: user.id,
        created_at: opts.clock.nowIso(),
      });
      await audit(trx, opts.clock, {
        actor: user,
        action: 'patient.created',
        entityType: 'patient',
        entityId: patientId,
        details: {
          registeredByPartnerId: user.partnerId ?? null,
          idType: identifier?.type ?? null,
          ...(v.no_identifier_reason ? { noIdentifierReason: v.no_identifier_reason } : {}),
          ...(v.language ? { language: v.language } : {}),
        },
        ip: opts.ip ?? null,
      });
      return patientId;
    });
    return {
      status: 'created',
      patient: {
        id,
        familyName: v.family_name,
        givenName: v.given_name,
        birthYear: Number(v.birth_date.slice(0, 4)),
        birthDate: v.birth_date,
        idType: identifier?.type ?? null,
        idNumber: identifier?.number ?? null,
        noIdentifierReason: v.no_identifier_reason,
        restricted: false,
      },
    };
  } catch (err) {
    if (!isUniqueViolation(err) || !identifier) throw err;
    // Someone registered the same identifier a moment ago.
    return {
      status: 'duplicate',
      duplicates: await sameIdentifier(db, user, identifier.type, identifier.number),
      identifierTaken: true,
    };
  }
}

export type UpdatePatientResult =
  | { status: 'updated'; changed: string[] }
  | { status: 'duplicate'; duplicates: PatientSummary[]; identifierTaken?: boolean };

/**
 * Corrects a patient's record: the same validation as on registration, the same duplicate check
 * (another patient with this identifier: refused; same name and date of birth: confirm), audited
 * with the old and new value of every changed field. Only a record the user fully sees.
 */
export async function updatePatient(
  db: Knex,
  user: CurrentUser,
  patientId: number,
  input: Record<string, unknown>,
  opts: { confirmDuplicate: boolean; ip?: string | null; clock: Clock },
): Promise<UpdatePatientResult> {
  const before = await findPatientRecord(db, user, patientId);
  if (!before || !mayEditPatient(user, before)) throw new NotFound(messages.notFound);
  // The patient's own type stays allowed when the clinic no longer offers it.
  const offered = typesForForm(await offeredIdentifierTypes(db), before.idType);
  const v = parsePatientInput(input, opts.clock.now(), offered);
  const id = v.identifier;
  const searchName = foldName(`${v.family_name} ${v.given_name}`);
  const others = (list: PatientSummary[]) => list.filter((p) => p.id !== patientId);

  const byIdentifier = id ? others(await sameIdentifier(db, user, id.type, id.number)) : [];
  if (byIdentifier.length) return { status: 'duplicate', duplicates: byIdentifier, identifierTaken: true };
  const renamed =
    searchName !== foldName(`${before.familyName} ${before.givenName}`) || v.birth_date !== before.birthDate;
  if (renamed && !opts.confirmDuplicate) {
    const twins = others(
      (await queries.nameTwins(db, await partnerScope(db, user), searchName, v.birth_date)).map(toSummary),
    );
    if (twins.length) return { status: 'duplicate', duplicates: twins };
  }

  const old: Record<string, string> = {
    family_name: before.familyName,
    given_name: before.givenName,
    birth_date: before.birthDate ?? '',
    id_type: before.idType ?? '',
    id_number: before.idNumber ?? '',
    no_identifier_reason: before.noIdentifierReason ?? '',
    phone: before.phone,
    email: before.email,
    postal_code: before.postalCode,
    city: before.city,
    street_address: before.streetAddress,
    language: before.language ?? '',
  };
  const next: Record<string, string> = {
    family_name: v.family_name,
    given_name: v.given_name,
    birth_date: v.birth_date,
    id_type: id?.type ?? '',
    id_number: id?.number ?? '',
    no_identifier_reason: v.no_identifier_reason ?? '',
    phone: v.phone,
    email: v.email,
    postal_code: v.postal_code,
    city: v.city,
    street_address: v.street_address,
    language: v.language ?? '',
  };
  const changed = Object.keys(next).filter((k) => next[k] !== old[k]);
  if (!changed.length) return { status: 'updated', changed };
  try {
    await writeTransaction(db, async (trx) => {
      await queries.updatePatientRow(trx, patientId, patientColumns(v));
      await audit(trx, opts.clock, {
        actor: user,
        action: 'patient.updated',
        entityType: 'patient',
        entityId: patientId,
        details: {
          before: Object.fromEntries(changed.map((k) => [k, old[k]])),
          after: Object.fromEntries(changed.map((k) => [k, next[k]])),
        },
        ip: opts.ip ?? null,
      });
    });
  } catch (err) {
    if (!isUniqueViolation(err) || !id) throw err;
    return {
      status: 'duplicate',
      duplicates: others(await sameIdentifier(db, user, id.type, id.number)),
      identifierTaken: true,
    };
  }
  return { status: 'updated', changed };
}

/** What a view passes (its `locals`) to write a patient in the reader's language. */
export type PatientViewLocale = {
  lang?: string;
  t?: Translate;
  personName?: (given: string, family: string) => string;
  formatDay?: (localDate: string) => string;
};

const localized = (l?: PatientViewLocale): l is Required<PatientViewLocale> =>
  Boolean(l && l.lang && l.lang !== 'en' && l.t && l.personName && l.formatDay);

/** The name in the language's order (Formats.personName): hu "Kovács János", en and ro "János Kovács". */
export function patientName(p: { familyName: string; givenName: string }, l?: PatientViewLocale): string {
  return l?.personName
    ? l.personName(p.givenName, p.familyName)
    : personNameIn('en', p.givenName, p.familyName);
}

/** "TAJ 111 222 337", "Passport AB1234567" ("Útlevél", "Pașaport" in Hungarian and Romanian). */
export function identifierLabel(type: IdentifierType, number: string, l?: PatientViewLocale): string {
  if (!localized(l)) return identifierText(type, number);
  return `${l.t(`patients.idShort.${type}` as MessageKey)} ${groupedIdentifier(type, number)}`;
}

const englishReasons: Record<NoIdentifierReason, string> = {
  newborn: 'newborn',
  foreign: 'foreign',
  unknown: 'unknown',
};

/** The identifier as shown ("TAJ 111 222 337") or, without one, why not ("No identifier: newborn"). */
export function identifierOrReason(
  p: Pick<PatientSummary, 'idType' | 'idNumber' | 'noIdentifierReason'>,
  l?: PatientViewLocale,
): string {
  if (p.idType && p.idNumber) return identifierLabel(p.idType, p.idNumber, l);
  if (!p.noIdentifierReason) return '';
  if (!l?.t) return `No identifier: ${englishReasons[p.noIdentifierReason]}`;
  const reason = l.t(`patients.noIdReason.${p.noIdentifierReason}` as MessageKey);
  return l.t('patients.noIdentifierBecause', { reason });
}

/** "János Kovács, born 1968-03-14 (TAJ 111222333)" or, restricted, "János Kovács, born 1968". */
export function patientLabel(p: PatientSummary, l?: PatientViewLocale): string {
  if (localized(l)) {
    const name = patientName(p, l);
    if (p.restricted || !p.birthDate) return l.t('patients.label', { name, date: String(p.birthYear) });
    const date = l.formatDay(p.birthDate);
    return p.idType && p.idNumber
      ? l.t('patients.labelWithId', { name, date, identifier: identifierLabel(p.idType, p.idNumber, l) })
      : l.t('patients.label', { name, date });
  }
  const name = patientName(p, l);
  if (p.restricted || !p.birthDate) return `${name}, born ${p.birthYear}`;
  return `${name}, born ${p.birthDate}${p.idType && p.idNumber ? ` (${identifierText(p.idType, p.idNumber)})` : ''}`;
}

/** Did the Add new patient form tick "Create anyway"? */
export function confirmsDuplicate(form: Record<string, unknown>): boolean {
  const v = Array.isArray(form.confirm_duplicate) ? form.confirm_duplicate[0] : form.confirm_duplicate;
  return v === '1';
}

/** A duplicate answer as the form shows it: the message above the matches and the field errors. */
export function duplicateMessages(result: { identifierTaken?: boolean }): {
  message: string;
  errors: Record<string, string>;
} {
  return result.identifierTaken
    ? { message: messages.chooseSameIdentifier, errors: { id_number: messages.identifierTaken } }
    : { message: messages.chooseSameName, errors: {} };
}

/** Helpers the patient partials call; pass them with the locals of any page that includes them. */
export const patientViewHelpers = {
  patientLabel,
  patientName,
  identifierText,
  identifierLabel,
  identifierOrReason,
  identifierTypes,
  noIdentifierReasons,
};
