/**
 * The partner's own user administration (issue 17, permission Partner users / partner_admin): a
 * partner admin creates, edits (name, permissions, active) and resets the password of their own
 * partner's users only, granting only partner permissions they hold themselves. The rules of who
 * may grant what are in lib/permissions.ts; the writing, hashing and auditing is users.service's.
 */
import type { Knex } from 'knex';
import type { Clock } from '../lib/clock';
import { Forbidden, NotFound, Validation } from '../lib/errors';
import {
  mayAdministerPartnerUsers,
  partnerAdminGrantable,
  partnerAdminInstitutionAccess,
  partnerAdminManages,
  partnerAdminRefusedGrants,
  permissionLabels,
  isPermission,
  type CurrentUser,
  type Permission,
} from '../lib/permissions';
import { fieldText, fieldTextList, isTicked } from '../lib/validate';
import { createUser, loadAccess, setPassword, updateUser, validateNewUser } from '../users/users.service';
import { passwordInputFromBody } from '../users/users.forms';
import { messages as userMessages } from '../users/users.service';

export const messages = {
  notFound: 'This user does not exist.',
  cannotGrant: (labels: string) => `You can only grant permissions you hold yourself; not: ${labels}.`,
  ownAccount:
    'You cannot change your own account here. Ask the clinic or another Partner users administrator.',
  invalid: userMessages.invalid,
};

function assertAdmin(actor: CurrentUser): void {
  if (!mayAdministerPartnerUsers(actor)) throw new Forbidden();
}

function requestedPermissions(body: Record<string, unknown>): string[] {
  return [...new Set(fieldTextList(body.permissions, 50))];
}

const labelsOf = (list: string[]) => list.map((p) => (isPermission(p) ? permissionLabels[p] : p)).join(', ');

/** A user this partner admin manages, or 404 (another partner's user looks like no user at all). */
export async function loadManagedUser(db: Knex, actor: CurrentUser, userId: number) {
  assertAdmin(actor);
  const stored = await loadAccess(db, userId);
  if (!stored || !partnerAdminManages(actor, stored)) throw new NotFound(messages.notFound);
  return stored;
}

/** Creates a user of the actor's own partner, with the actor's institution access. */
export async function createPartnerUser(
  db: Knex,
  clock: Clock,
  actor: CurrentUser,
  body: Record<string, unknown>,
  ip?: string,
): Promise<number> {
  assertAdmin(actor);
  const requested = requestedPermissions(body);
  const input = {
    username: fieldText(body.username, 1000),
    displayName: fieldText(body.displayName, 1000),
    password: fieldText(body.password, 1000),
    permissions: requested,
    partnerId: actor.partnerId,
    ...partnerAdminInstitutionAccess(actor),
    active: true,
  };
  const { errors } = await validateNewUser(db, input);
  const refused = partnerAdminRefusedGrants(actor, requested);
  if (refused.length) errors.permissions = messages.cannotGrant(labelsOf(refused));
  const typed = passwordInputFromBody(body);
  if (typed.password !== typed.passwordConfirm) errors.passwordConfirm = userMessages.passwordMismatch;
  if (Object.keys(errors).length) throw new Validation(messages.invalid, errors);
  return createUser(db, clock, actor, input as never, ip);
}

/**
 * Saves a managed user's name, permissions and active flag. Permissions the actor does not hold
 * cannot be added; those the user already has beyond the actor's own stay as they are.
 */
export async function updatePartnerUser(
  db: Knex,
  clock: Clock,
  actor: CurrentUser,
  userId: number,
  body: Record<string, unknown>,
  ip?: string,
): Promise<void> {
  const target = await loadManagedUser(db, actor, userId);
  if (userId === actor.id) throw new Validation(messages.ownAccount, { _form: messages.ownAccount });
  const requested = requestedPermissions(body);
  const refused = partnerAdminRefusedGrants(actor, requested, target.permissions);
  if (refused.length) {
    const message = messages.cannotGrant(labelsOf(refused));
    throw new Validation(messages.invalid, { permissions: message });
  }
  const grantable = new Set<Permission>(partnerAdminGrantable(actor));
  const kept = target.permissions.filter((p) => !grantable.has(p));
  await updateUser(
    db,
    clock,
    actor,
    userId,
    {
      displayName: body.displayName,
      partnerId: target.partnerId,
      permissions: [...new Set([...requested, ...kept])],
      allInstitutions: target.allInstitutions,
      institutionIds: target.institutionIds,
      active: isTicked(body.active),
    },
    ip,
  );
}

/** Sets a managed user's new password (users.service: hashed, sessions ended, audited). */
export async function resetPartnerUserPassword(
  db: Knex,
  clock: Clock,
  actor: CurrentUser,
  userId: number,
  body: Record<string, unknown>,
  ip?: string,
): Promise<{ username: string }> {
  await loadManagedUser(db, actor, userId);
  return setPassword(db, clock, actor, userId, passwordInputFromBody(body), ip);
}
