/**
 * The rules of user administration: who may hold which permission, lock-out protection,
 * and the audit trail of every change. Routes and other features (a partner's page creates
 * its partner users through createUser) go through here, never straight to the tables.
 */
import type { Knex } from 'knex';
import type { z } from 'zod';
import { audit } from '../lib/audit';
import { isUniqueViolation, writeTransaction } from '../lib/db';
import * as q from './users.queries';
import type { Clock } from '../lib/clock';
import { NotFound, Validation } from '../lib/errors';
import { hashPassword } from '../lib/passwords';
import {
  isPermission,
  permissionLabels,
  permissionsForbiddenFor,
  selfLockouts,
  type CurrentUser,
  type Permission,
} from '../lib/permissions';
import { fieldErrors, parseOr422 } from '../lib/validate';
import { formMessages, passwordFormSchema, userAccessSchema, userCreateSchema } from './users.forms';
import { languageInput } from '../i18n/language.forms';
import { userLanguage } from '../i18n/language.queries';

export const messages = {
  ...formMessages,
  invalid: 'Please correct the marked fields.',
  usernameTaken: 'This user name is already taken.',
  unknownInstitution: 'One of the chosen institutions does not exist.',
  noInstitution: 'Tick "All institutions" or at least one institution.',
  partnerPermissions: (labels: string[]) => `A partner user cannot hold: ${labels.join(', ')}.`,
  selfAdmin: 'You cannot remove the Admin users permission from yourself.',
  selfDeactivate: 'You cannot deactivate your own account.',
  selfPartner: 'You cannot bind your own account to a partner.',
  userNotFound: 'This user does not exist.',
};

export type UserAccessInput = {
  displayName: string;
  partnerId: number | null;
  permissions: Permission[];
  allInstitutions: boolean;
  institutionIds: number[];
  active?: boolean;
};

export type CreateUserInput = UserAccessInput & { username: string; password: string };
/** Saving the edit page: every field is explicit (an unticked Active box means inactive). */
export type UpdateUserInput = Required<UserAccessInput>;

type NormalisedAccess = Required<UserAccessInput>;

/**
 * The rules that need the database: the partner exists and is active (or is the user's
 * current one), institutions exist, a partner user holds only partner permissions.
 */
async function checkAccess(
  db: Knex,
  access: NormalisedAccess,
  current?: { partnerId: number | null; institutionIds: number[] },
): Promise<void> {
  const errors: Record<string, string> = {};
  if (access.partnerId !== null) {
    const partner = await q.partnerState(db, access.partnerId);
    const keepsCurrent = current?.partnerId === access.partnerId;
    if (!partner || (!partner.active && !keepsCurrent)) errors.partnerId = messages.unknownPartner;
    const forbidden = permissionsForbiddenFor(access, access.permissions);
    if (forbidden.length)
      errors.permissions = messages.partnerPermissions(forbidden.map((p) => permissionLabels[p]));
  }
  if (!access.allInstitutions) {
    if (access.institutionIds.length === 0) errors.institutionIds = messages.noInstitution;
    else {
      const found = await q.countInstitutions(db, access.institutionIds);
      if (found !== access.institutionIds.length) errors.institutionIds = messages.unknownInstitution;
    }
  }
  if (Object.keys(errors).length) throw new Validation(messages.invalid, errors);
}

function normalise(input: UserAccessInput): NormalisedAccess {
  return {
    displayName: input.displayName,
    partnerId: input.partnerId,
    permissions: [...new Set(input.permissions)].sort(),
    allInstitutions: input.allInstitutions,
    // Institution ids only mean something when access is limited.
    institutionIds: input.allInstitutions ? [] : [...new Set(input.institutionIds)].sort((a, b) => a - b),
    active: input.active ?? true,
  };
}

/** Every message a new-user form would get, without writing anything. */
export async function validateNewUser(
  db: Knex,
  input: unknown,
): Promise<{
  parsed: z.infer<typeof userCreateSchema> | null;
  access: NormalisedAccess | null;
  errors: Record<string, string>;
}> {
  const result = userCreateSchema.safeParse(input ?? {});
  if (!result.success) return { parsed: null, access: null, errors: fieldErrors(result.error) };
  const parsed = result.data;
  const access = normalise(parsed);
  const errors: Record<string, string> = {};
  if (await q.usernameTaken(db, parsed.username)) errors.username = messages.usernameTaken;
  try {
    await checkAccess(db, access);
  } catch (err) {
    if (!(err instanceof Validation)) throw err;
    Object.assign(errors, err.fieldErrors);
  }
  return { parsed, access, errors };
}

/**
 * Creates a user: validates (Validation 422 with fieldErrors), hashes the password with
 * Argon2id, inserts user, permissions and institutions in one transaction, audits user.created.
 */
export async function createUser(
  db: Knex,
  clock: Clock,
  actor: CurrentUser,
  input: CreateUserInput,
  ip?: string,
): Promise<number> {
  const { parsed, access, errors } = await validateNewUser(db, input);
  if (!parsed || !access || Object.keys(errors).length) throw new Validation(messages.invalid, errors);

  const language = languageInput(input, messages.invalid) ?? null;
  const passwordHash = await hashPassword(parsed.password);
  try {
    return await writeTransaction(db, async (trx) => {
      const now = clock.nowIso();
      const userId = await q.insertUser(trx, {
        username: parsed.username,
        display_name: access.displayName,
        password_hash: passwordHash,
        partner_id: access.partnerId,
        active: access.active,
        all_institutions: access.allInstitutions,
        language,
        created_at: now,
        updated_at: now,
      });
      await q.writeAccess(trx, userId, access);
      await audit(trx, clock, {
        actor,
        action: 'user.created',
        entityType: 'user',
        entityId: userId,
        ip,
        details: {
          username: parsed.username,
          displayName: access.displayName,
          permissions: access.permissions,
          partnerId: access.partnerId,
          allInstitutions: access.allInstitutions,
          institutionIds: access.institutionIds,
          active: access.active,
          language,
        },
      });
      return userId;
    });
  } catch (err) {
    // Two admins creating the same name at once: the unique index decides.
    if (isUniqueViolation(err)) throw new Validation(messages.invalid, { username: messages.usernameTaken });
    throw err;
  }
}

export { endSessionsOf } from './users.queries';

type StoredAccess = NormalisedAccess & { username: string };

export async function loadAccess(db: Knex, userId: number): Promise<StoredAccess | null> {
  const row = await q.findUserAccessRow(db, userId);
  if (!row) return null;
  const [perms, insts] = await q.accessListsOf(db, userId);
  return {
    username: row.username,
    displayName: row.display_name,
    partnerId: row.partner_id,
    permissions: perms.map((p: { permission: string }) => p.permission).filter(isPermission),
    allInstitutions: Boolean(row.all_institutions),
    institutionIds: insts.map((i: { institution_id: number }) => i.institution_id),
    active: Boolean(row.active),
  };
}

/**
 * Saves a user's display name, permissions, partner binding, institution access and active
 * flag. An administrator cannot lock themself out. Deactivation ends the user's sessions.
 */
export async function updateUser(
  db: Knex,
  clock: Clock,
  actor: CurrentUser,
  userId: number,
  input: UpdateUserInput | Record<string, unknown>,
  ip?: string,
): Promise<void> {
  const parsed = parseOr422(userAccessSchema, input, messages.invalid);
  // The Language select (absent from a form that lacks it: then the choice stays as it was).
  const language = languageInput(input, messages.invalid);
  const access = normalise(parsed);
  const before = await loadAccess(db, userId);
  if (!before) throw new NotFound(messages.userNotFound);

  const lockout = selfLockouts(actor, userId, access);
  const selfErrors: Record<string, string> = {};
  if (lockout.dropsAdmin) selfErrors.permissions = messages.selfAdmin;
  if (lockout.deactivates) selfErrors.active = messages.selfDeactivate;
  if (lockout.bindsToPartner) selfErrors.partnerId = messages.selfPartner;
  if (Object.keys(selfErrors).length) throw new Validation(messages.invalid, selfErrors);
  await checkAccess(db, access, before);

  await writeTransaction(db, async (trx) => {
    const languageBefore = language === undefined ? undefined : await userLanguage(trx, userId);
    await q.updateUserRow(trx, userId, {
      display_name: access.displayName,
      partner_id: access.partnerId,
      active: access.active,
      all_institutions: access.allInstitutions,
      ...(language === undefined ? {} : { language }),
      updated_at: clock.nowIso(),
    });
    await q.writeAccess(trx, userId, access);
    const { username: _username, ...beforeAccess } = before;
    await audit(trx, clock, {
      actor,
      action: 'user.updated',
      entityType: 'user',
      entityId: userId,
      ip,
      details: {
        username: before.username,
        before: beforeAccess,
        after: access,
        ...(language === undefined || language === languageBefore
          ? {}
          : { language: { before: languageBefore, after: language } }),
      },
    });
    if (before.active && !access.active) await q.endSessionsOf(trx, userId);
  });
}

/** Sets a new password (validated, hashed) and ends the user's other sessions. The audit entry never contains the password. */
/** Sets a user's password; returns the user name (its login throttle is the caller's to clear). */
export async function setPassword(
  db: Knex,
  clock: Clock,
  actor: CurrentUser,
  userId: number,
  input: { password: string; passwordConfirm: string },
  ip?: string,
): Promise<{ username: string }> {
  const parsed = parseOr422(passwordFormSchema, input, messages.invalid);
  const user = await q.findUsername(db, userId);
  if (!user) throw new NotFound(messages.userNotFound);
  const passwordHash = await hashPassword(parsed.password);
  await writeTransaction(db, async (trx) => {
    await q.updateUserRow(trx, userId, { password_hash: passwordHash, updated_at: clock.nowIso() });
    // A password is reset when it leaked or was forgotten: sessions opened with the old one end.
    // An administrator setting their own keeps the session they are using.
    const sessionsEnded = userId === actor.id ? 0 : await q.endSessionsOf(trx, userId);
    await audit(trx, clock, {
      actor,
      action: 'user.password_changed',
      entityType: 'user',
      entityId: userId,
      ip,
      details: { username: user.username, sessionsEnded },
    });
  });
  return { username: user.username };
}
