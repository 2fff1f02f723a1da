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
import { DateTime } from 'luxon';
import { z } from 'zod';
import { audit } from '../lib/audit';
import { insertId, isUniqueViolation, writeTransaction } from '../lib/db';
import type { Clock } from '../lib/clock';
import { isPartnerUser, type CurrentUser } from '../lib/permissions';
import { escapeLike, foldName } from '../lib/text';
import { parseOr422, text } from '../lib/validate';
import {
  identifierProblem,
  identifierText,
  identifierTypes,
  normalizeIdentifier,
  type IdentifierType,
} from './identifiers';

export const messages = {
  tooShort: 'Type at least 2 letters',
  familyNameRequired: 'Please enter the family name.',
  givenNameRequired: 'Please enter the given name.',
  nameLetters: 'Use letters, spaces, hyphens and apostrophes only.',
  birthDateRequired: 'Please enter the date of birth.',
  birthDateFormat: 'Use the format YYYY-MM-DD, for example 1980-04-23.',
  birthDateFuture: 'The date of birth must be in the past.',
  birthDateTooOld: 'The date of birth cannot be before 1900.',
  idTypeRequired: 'Please choose the identifier type.',
  idNumberRequired: 'Please enter the identifier.',
  phoneFormat: 'Use 6 to 20 digits, spaces, +, - or brackets.',
  emailFormat: 'This is not a valid e-mail address.',
  invalidForm: 'Please correct the marked fields.',
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
  idType: IdentifierType;
  idNumber: string | null;
  restricted: boolean;
};

/** A full record, for the details page (only ever built for a fully visible patient). */
export type PatientRecord = PatientSummary & {
  phone: string;
  email: string;
  registeredByPartner: string | null;
  createdAt: string;
};

type PatientRow = {
  id: number;
  family_name: string;
  given_name: string;
  birth_date: string;
  id_type: IdentifierType;
  id_number: string;
  full_access: number | boolean;
};

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

/** Partner user's scope: their partner and whether it may see clinic patient records. */
async function partnerScope(
  db: Knex,
  user: CurrentUser,
): Promise<{ partnerId: number; canSeeClinic: boolean } | null> {
  if (!isPartnerUser(user)) return null;
  const partner = await db('partners')
    .select('can_see_patient_records')
    .where({ id: user.partnerId })
    .first();
  return { partnerId: user.partnerId!, canSeeClinic: Boolean(partner?.can_see_patient_records) };
}

/**
 * SQL condition "this user fully sees patients.*", as a raw fragment with bindings.
 * Staff: always true. Partner: registered by them, with a standing (not cancelled) booking by them,
 * or (if allowed) a clinic patient.
 */
function fullAccessSql(db: Knex, scope: { partnerId: number; canSeeClinic: boolean } | null): Knex.Raw {
  if (!scope) return db.raw('1 = 1');
  const own =
    "patients.registered_by_partner_id = ? OR EXISTS (SELECT 1 FROM bookings b WHERE b.patient_id = patients.id AND b.partner_id = ? AND b.status = 'booked')";
  return scope.canSeeClinic
    ? db.raw(`(${own} OR patients.registered_by_partner_id IS NULL)`, [scope.partnerId, scope.partnerId])
    : db.raw(`(${own})`, [scope.partnerId, scope.partnerId]);
}

function baseSelect(db: Knex, full: Knex.Raw) {
  return db('patients').select(
    'patients.id',
    'patients.family_name',
    'patients.given_name',
    'patients.birth_date',
    'patients.id_type',
    'patients.id_number',
    db.raw(`CASE WHEN ${full.toSQL().sql} THEN 1 ELSE 0 END AS full_access`, full.toSQL().bindings),
  );
}

function toSummary(row: PatientRow): PatientSummary {
  const full = Boolean(Number(row.full_access));
  return {
    id: row.id,
    familyName: row.family_name,
    givenName: row.given_name,
    birthYear: Number(row.birth_date.slice(0, 4)),
    birthDate: full ? row.birth_date : null,
    idType: row.id_type,
    idNumber: full ? row.id_number : null,
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
  const full = fullAccessSql(db, scope);

  const order = [
    { column: 'patients.family_name' },
    { column: 'patients.given_name' },
    { column: 'patients.birth_date' },
    { column: 'patients.id' },
  ];
  // Two queries, each able to use its index; an OR across them would scan the table.
  const byName: Promise<PatientRow[]> = nameOk
    ? baseSelect(db, full)
        .where((m) => {
          for (const column of ['patients.search_name', 'patients.search_name_reversed']) {
            // The range lets SQLite use the index (LIKE cannot on a BINARY column); LIKE keeps it exact.
            m.orWhere((c) =>
              c
                .where(column, '>=', folded)
                .andWhere(column, '<', folded + '\uffff')
                .andWhereRaw(`${column} LIKE ? ESCAPE '\\'`, [`${escapeLike(folded)}%`]),
            );
          }
        })
        // Name matches only among the patients this user may fully see.
        .andWhere(full)
        .orderBy(order)
        .limit(limit)
    : Promise.resolve([]);
  // An exact identifier finds anyone (restricted if not fully visible): it proves the user knows the person.
  const byIdentifier: Promise<PatientRow[]> = ids.length
    ? baseSelect(db, full).whereIn('patients.id_number', ids).orderBy(order).limit(limit)
    : Promise.resolve([]);
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
  const scope = await partnerScope(db, user);
  const row: PatientRow | undefined = await baseSelect(db, fullAccessSql(db, scope))
    .where('patients.id', patientId)
    .first();
  return row ? toSummary(row) : null;
}

/** The full record, only if this user fully sees the patient (scope in the WHERE). */
export async function findPatientRecord(
  db: Knex,
  user: CurrentUser,
  patientId: number,
): Promise<PatientRecord | null> {
  const scope = await partnerScope(db, user);
  const full = fullAccessSql(db, scope);
  const row = await db('patients')
    .leftJoin('partners', 'partners.id', 'patients.registered_by_partner_id')
    .select(
      'patients.id',
      'patients.family_name',
      'patients.given_name',
      'patients.birth_date',
      'patients.id_type',
      'patients.id_number',
      'patients.phone',
      'patients.email',
      'patients.created_at',
      'partners.name as partner_name',
    )
    .where('patients.id', patientId)
    .andWhere(full)
    .first();
  if (!row) return null;
  return {
    ...toSummary({ ...row, full_access: 1 }),
    phone: row.phone,
    email: row.email,
    registeredByPartner: row.partner_name ?? null,
    createdAt: row.created_at,
  };
}

const nameField = (required: string) =>
  text(100, { required }).refine(
    (s) => s === '' || /^[\p{L}\p{M}]+(?:[ '’-]+[\p{L}\p{M}]+)*[.]?$/u.test(s),
    messages.nameLetters,
  );

/** The Add new patient form; `now` decides what "in the future" means for the date of birth. */
const patientSchema = (now: DateTime) =>
  z
    .object({
      family_name: nameField(messages.familyNameRequired),
      given_name: nameField(messages.givenNameRequired),
      birth_date: text(10, { required: messages.birthDateRequired }).superRefine((s, ctx) => {
        if (s === '') return;
        const d = DateTime.fromISO(s, { zone: 'utc' });
        if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || !d.isValid)
          return void ctx.addIssue({ code: 'custom', message: messages.birthDateFormat });
        if (s < '1900-01-01') return void ctx.addIssue({ code: 'custom', message: messages.birthDateTooOld });
        // A date that has not begun anywhere on earth yet (UTC+14) is in the future wherever the clinic is.
        if (s > now.toUTC().plus({ hours: 14 }).toISODate()!)
          ctx.addIssue({ code: 'custom', message: messages.birthDateFuture });
      }),
      id_type: z.preprocess(
        (v) => (Array.isArray(v) ? v[0] : v),
        z.enum(Object.keys(identifierTypes) as [IdentifierType, ...IdentifierType[]], {
          message: messages.idTypeRequired,
        }),
      ),
      id_number: text(30, { required: messages.idNumberRequired }),
      phone: text(20).refine(
        (s) => s === '' || (/^[0-9 +\-()]{6,20}$/.test(s) && /\d{6}/.test(s.replace(/\D/g, ''))),
        messages.phoneFormat,
      ),
      email: text(254).refine((s) => s === '' || z.email().safeParse(s).success, messages.emailFormat),
    })
    .superRefine((v, ctx) => {
      if (!v.id_type || !v.id_number) return;
      const problem = identifierProblem(v.id_type, normalizeIdentifier(v.id_type, v.id_number));
      if (problem) ctx.addIssue({ code: 'custom', path: ['id_number'], message: problem });
    });

export type PatientInput = z.infer<ReturnType<typeof patientSchema>>;

export type CreatePatientResult =
  | { status: 'created'; patient: PatientSummary }
  /** identifierTaken: the identifier exists already, which is always refused (confirming does not help). */
  | { status: 'duplicate'; duplicates: PatientSummary[]; identifierTaken?: boolean };

/** Validates the Add new patient form; throws Validation (422) with per-field messages. */
export function parsePatientInput(input: Record<string, unknown>, now: DateTime): PatientInput {
  return parseOr422(patientSchema(now), input, messages.invalidForm);
}

async function sameIdentifier(
  db: Knex,
  user: CurrentUser,
  idType: IdentifierType,
  idNumber: string,
): Promise<PatientSummary[]> {
  const scope = await partnerScope(db, user);
  const rows: PatientRow[] = await baseSelect(db, fullAccessSql(db, scope)).where({
    'patients.id_type': idType,
    'patients.id_number': idNumber,
  });
  return rows.map(toSummary);
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
  const v = parsePatientInput(input, opts.clock.now());
  const idNumber = normalizeIdentifier(v.id_type, v.id_number);
  const searchName = foldName(`${v.family_name} ${v.given_name}`);

  const byIdentifier = await sameIdentifier(db, user, v.id_type, idNumber);
  if (byIdentifier.length) return { status: 'duplicate', duplicates: byIdentifier, identifierTaken: true };

  if (!opts.confirmDuplicate) {
    // Only name twins the user may see are shown; others would leak that a stranger exists.
    const scope = await partnerScope(db, user);
    const full = fullAccessSql(db, scope);
    const twins: PatientRow[] = await baseSelect(db, full)
      .where({ 'patients.search_name': searchName, 'patients.birth_date': v.birth_date })
      .andWhere(full)
      .limit(10);
    if (twins.length) return { status: 'duplicate', duplicates: twins.map(toSummary) };
  }

  try {
    const id = await writeTransaction(db, async (trx) => {
      const patientId = await insertId(trx, 'patients', {
        family_name: v.family_name,
        given_name: v.given_name,
        search_name: searchName,
        search_name_reversed: foldName(`${v.given_name} ${v.family_name}`),
        birth_date: v.birth_date,
        id_type: v.id_type,
        id_number: idNumber,
        phone: v.phone,
        email: v.email,
        registered_by_partner_id: user.partnerId ?? null,
        created_by_user_id: user.id,
        created_at: opts.clock.nowIso(),
      });
      await audit(trx, {
        actor: user,
        action: 'patient.created',
        entityType: 'patient',
        entityId: patientId,
        details: { registeredByPartnerId: user.partnerId ?? null, idType: v.id_type },
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
        idType: v.id_type,
        idNumber,
        restricted: false,
      },
    };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    // Someone registered the same identifier a moment ago.
    return {
      status: 'duplicate',
      duplicates: await sameIdentifier(db, user, v.id_type, idNumber),
      identifierTaken: true,
    };
  }
}

/** "Family Given, born 1968-03-14 (TAJ 111222333)" or, restricted, "Family Given, born 1968". */
export function patientLabel(p: PatientSummary): string {
  const name = `${p.familyName} ${p.givenName}`;
  if (p.restricted || !p.birthDate) return `${name}, born ${p.birthYear}`;
  return `${name}, born ${p.birthDate}${p.idNumber ? ` (${identifierText(p.idType, p.idNumber)})` : ''}`;
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
export const patientViewHelpers = { patientLabel, identifierText, identifierTypes };
