/**
 * What the Traffic channels matrix shows of validity dates (issue 17): the dates of each dated
 * cell, and one cell's edit form (`?edit=channel:service`, or a refused form coming back).
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import { parseOr400 } from '../lib/validate';
import * as q from './contracts.queries';

type Errors = Record<string, string>;
type Values = Record<string, unknown>;

const editParam = z.preprocess(
  (v) => (Array.isArray(v) ? v[0] : v === '' ? undefined : v),
  z
    .string()
    .regex(/^[1-9]\d{0,9}:[1-9]\d{0,9}$/)
    .optional(),
);

/**
 * What the Traffic channels matrix shows of validity: the dates of each dated cell, and the edit
 * form of one cell when `?edit=channel:service` asks for it (or a refused form comes back).
 */
export async function validityLocals(
  db: Knex,
  institutionId: number | undefined,
  query: unknown,
  refused?: { values: Values; errors: Errors },
) {
  const edit = parseOr400(z.object({ edit: editParam }).passthrough(), query).edit;
  const validity = new Map<string, q.Validity>();
  if (!institutionId) return { validity, validityEdit: null };
  for (const v of await q.validitiesAt(db, institutionId))
    validity.set(`${v.channel_id}:${v.service_id}`, { valid_from: v.valid_from, valid_to: v.valid_to });
  const key = refused ? `${String(refused.values.channel)}:${String(refused.values.service)}` : edit;
  if (!key || !/^\d+:\d+$/.test(key)) return { validity, validityEdit: null };
  const [channelId, serviceId] = key.split(':').map(Number);
  const cell = { institutionId, channelId, serviceId };
  const names = await q.cellNames(db, cell);
  if (!names || !(await q.cellIsTicked(db, cell))) return { validity, validityEdit: null };
  const current = validity.get(key);
  return {
    validity,
    validityEdit: {
      channelId,
      serviceId,
      names,
      values: refused?.values ?? { valid_from: current?.valid_from ?? '', valid_to: current?.valid_to ?? '' },
      errors: refused?.errors ?? {},
    },
  };
}
