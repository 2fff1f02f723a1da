/**
 * "Identifier types offered" (Settings): which identifier types the patient forms offer. Unset,
 * every type is offered. A patient registered with a type no longer offered keeps it: their page
 * shows it and their edit form offers it too, so the record can be corrected without retyping.
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import { audit } from '../lib/audit';
import type { Clock } from '../lib/clock';
import { writeTransaction } from '../lib/db';
import type { CurrentUser } from '../lib/permissions';
import { parseOr422, fieldTextList } from '../lib/validate';
import { en } from '../i18n/messages/en';
import { allIdentifierTypes, isIdentifierType, type IdentifierType } from './identifiers';
import { saveIdentifierTypes, storedIdentifierTypes } from './identifier-settings.queries';

export const identifierSettingMessages = {
  atLeastOne: en['patients.idTypesAtLeastOne'],
  unknownType: en['patients.idTypesUnknown'],
  saved: en['patients.idTypesSaved'],
  notOffered: en['patients.idTypeNotOffered'],
};

/** The types the clinic offers, in the forms' order (TAJ, passport, CNP). */
export async function offeredIdentifierTypes(db: Knex): Promise<IdentifierType[]> {
  const stored = await storedIdentifierTypes(db);
  const chosen = stored ? allIdentifierTypes.filter((type) => stored.includes(type)) : [];
  return chosen.length ? chosen : allIdentifierTypes;
}

/** The types a form for this patient offers: the clinic's, plus the one the patient already has. */
export function typesForForm(offered: IdentifierType[], current?: IdentifierType | null): IdentifierType[] {
  return current && !offered.includes(current)
    ? allIdentifierTypes.filter((t) => offered.includes(t) || t === current)
    : offered;
}

const m = identifierSettingMessages;
const settingSchema = z.object({
  id_types: z.preprocess(
    (v) => fieldTextList(v, 10),
    z
      .array(z.string().refine(isIdentifierType, m.unknownType))
      .min(1, m.atLeastOne)
      .transform((list) => allIdentifierTypes.filter((t) => list.includes(t))),
  ),
});

/** Saves the Settings choice (422 beside the field with none or an unknown type), audited. */
export async function saveOfferedIdentifierTypes(
  db: Knex,
  user: CurrentUser,
  body: unknown,
  opts: { clock: Clock; ip?: string | null },
): Promise<IdentifierType[]> {
  const { id_types: types } = parseOr422(settingSchema, body, m.atLeastOne);
  const before = await offeredIdentifierTypes(db);
  await writeTransaction(db, async (trx) => {
    await saveIdentifierTypes(trx, types);
    await audit(trx, opts.clock, {
      actor: user,
      action: 'settings.identifier_types',
      entityType: 'settings',
      ip: opts.ip ?? null,
      details: { before, after: types },
    });
  });
  return types;
}
