/**
 * Settings of partner contracts (permission `settings`): validity dates of Traffic channels
 * cells, allotments, reserved blocks. Each change is one write transaction with its audit entry;
 * a choice that does not exist (or is no longer active) is a 422 on its field.
 */
import type { Knex } from 'knex';
import { audit } from '../lib/audit';
import type { Clock } from '../lib/clock';
import { writeTransaction } from '../lib/db';
import { NotFound, Validation } from '../lib/errors';
import type { CurrentUser } from '../lib/permissions';
import type { AllotmentInput, BlockInput } from './contracts.forms';
import * as q from './contracts.queries';
import { blockCovers, weekdayBit } from './rules';

export const messages = {
  invalid: 'Please correct the marked fields. Nothing was saved.',
  notTicked: 'Tick this cell in the matrix first: only a ticked cell has validity dates.',
  unknown: 'This choice does not exist or is not active.',
  allotmentGone: 'This allotment does not exist.',
  blockGone: 'This reserved block does not exist.',
};

export type Ctx = { actor: CurrentUser; ip?: string | null; clock: Clock };

// ---------------------------------------------------------------- validity

/** Sets (or clears, with both dates empty) a ticked cell's validity. Returns whether anything changed. */
export function setValidity(
  db: Knex,
  ctx: Ctx,
  cell: q.CellRef,
  v: { valid_from: string; valid_to: string },
): Promise<boolean> {
  return writeTransaction(db, async (trx) => {
    if (!(await q.cellIsTicked(trx, cell)))
      throw new Validation(messages.notTicked, { valid_from: messages.notTicked });
    const old = (await q.validityOf(trx, cell)) ?? { valid_from: null, valid_to: null };
    const next = { valid_from: v.valid_from || null, valid_to: v.valid_to || null };
    if (old.valid_from === next.valid_from && old.valid_to === next.valid_to) return false;
    if (!next.valid_from && !next.valid_to) await q.deleteValidity(trx, cell);
    else await q.upsertValidity(trx, cell, next, ctx.clock.nowIso());
    const names = await q.cellNames(trx, cell);
    await audit(trx, ctx.clock, {
      actor: ctx.actor,
      action: 'traffic_channel.validity_changed',
      entityType: 'traffic_channel',
      entityId: cell.channelId,
      ip: ctx.ip,
      details: { ...cell, channel: names?.channel, service: names?.service, old, new: next },
    });
    return true;
  });
}

// ---------------------------------------------------------------- allotments

async function assertChoices(
  trx: Knex,
  c: { partner?: number; institution?: number; service?: number; qualification?: number; doctor?: number },
): Promise<void> {
  const errors: Record<string, string> = {};
  const check = async (field: string, id: number | undefined, list: () => Promise<q.Choice[]>) => {
    if (id !== undefined && !(await list()).some((x) => x.id === id)) errors[field] = messages.unknown;
  };
  await check('partner', c.partner, () => q.activePartners(trx));
  await check('institution', c.institution, () => q.activeInstitutionChoices(trx));
  await check('target', c.service, () => q.activeServiceChoices(trx));
  await check('target', c.qualification, () => q.activeQualificationChoices(trx));
  await check('doctor', c.doctor, () => q.activeDoctorChoices(trx));
  if (Object.keys(errors).length) throw new Validation(messages.invalid, errors);
}

export function createAllotment(db: Knex, ctx: Ctx, input: AllotmentInput): Promise<number> {
  const [kind, rawId] = input.target.split(':');
  const targetId = Number(rawId);
  const row = {
    partner_id: input.partner,
    institution_id: input.institution,
    service_id: kind === 'service' ? targetId : null,
    qualification_id: kind === 'qualification' ? targetId : null,
    period: input.period,
    cap: input.cap,
  };
  return writeTransaction(db, async (trx) => {
    await assertChoices(trx, {
      partner: row.partner_id,
      institution: row.institution_id,
      service: row.service_id ?? undefined,
      qualification: row.qualification_id ?? undefined,
    });
    const id = await q.insertAllotment(trx, { ...row, created_at: ctx.clock.nowIso() });
    await audit(trx, ctx.clock, {
      actor: ctx.actor,
      action: 'allotment.created',
      entityType: 'allotment',
      entityId: id,
      ip: ctx.ip,
      details: row,
    });
    return id;
  });
}

export function setAllotmentCap(db: Knex, ctx: Ctx, id: number, cap: number): Promise<boolean> {
  return writeTransaction(db, async (trx) => {
    const old = await q.getAllotment(trx, id);
    if (!old) throw new NotFound(messages.allotmentGone);
    if (old.cap === cap) return false;
    await q.updateAllotmentCap(trx, id, cap);
    await audit(trx, ctx.clock, {
      actor: ctx.actor,
      action: 'allotment.changed',
      entityType: 'allotment',
      entityId: id,
      ip: ctx.ip,
      details: { old: { cap: old.cap }, new: { cap } },
    });
    return true;
  });
}

export function deleteAllotment(db: Knex, ctx: Ctx, id: number): Promise<void> {
  return writeTransaction(db, async (trx) => {
    const old = await q.getAllotment(trx, id);
    if (!old) throw new NotFound(messages.allotmentGone);
    await q.deleteAllotment(trx, id);
    await audit(trx, ctx.clock, {
      actor: ctx.actor,
      action: 'allotment.deleted',
      entityType: 'allotment',
      entityId: id,
      ip: ctx.ip,
      details: { old },
    });
  });
}

// ---------------------------------------------------------------- reserved blocks

function blockRow(input: BlockInput): Omit<q.BlockRow, 'id'> {
  return {
    partner_id: input.partner,
    institution_id: input.institution,
    doctor_id: input.doctor,
    weekdays: input.weekdays.reduce((mask, d) => mask | weekdayBit(Number(d)), 0),
    from_time: input.from_time,
    to_time: input.to_time,
    date_from: input.date_from,
    date_to: input.date_to,
    release_value: input.release_value,
    release_unit: input.release_unit,
  };
}

/** Creates (id null) or changes a block. Returns its id. */
export function saveBlock(db: Knex, ctx: Ctx, id: number | null, input: BlockInput): Promise<number> {
  const row = blockRow(input);
  return writeTransaction(db, async (trx) => {
    await assertChoices(trx, {
      partner: row.partner_id,
      institution: row.institution_id,
      doctor: row.doctor_id,
    });
    if (id === null) {
      const newId = await q.insertBlock(trx, { ...row, created_at: ctx.clock.nowIso() });
      await audit(trx, ctx.clock, {
        actor: ctx.actor,
        action: 'reserved_block.created',
        entityType: 'reserved_block',
        entityId: newId,
        ip: ctx.ip,
        details: row,
      });
      return newId;
    }
    const old = await q.getBlock(trx, id);
    if (!old) throw new NotFound(messages.blockGone);
    await q.updateBlock(trx, id, row);
    await audit(trx, ctx.clock, {
      actor: ctx.actor,
      action: 'reserved_block.changed',
      entityType: 'reserved_block',
      entityId: id,
      ip: ctx.ip,
      details: { old, new: row },
    });
    return id;
  });
}

export function deleteBlock(db: Knex, ctx: Ctx, id: number): Promise<void> {
  return writeTransaction(db, async (trx) => {
    const old = await q.getBlock(trx, id);
    if (!old) throw new NotFound(messages.blockGone);
    await q.deleteBlock(trx, id);
    await audit(trx, ctx.clock, {
      actor: ctx.actor,
      action: 'reserved_block.deleted',
      entityType: 'reserved_block',
      entityId: id,
      ip: ctx.ip,
      details: { old },
    });
  });
}

export type BlockUsage = q.BlockListRow & { slots: number; booked: number; percent: number };

/**
 * How much of each block its partner used: slots of the block booked by that partner, of all
 * the block's slots (statistics; a partner user sees only their own partner's blocks).
 */
export async function blockUsage(db: Knex, partnerId: number | null): Promise<BlockUsage[]> {
  const blocks = await q.listBlocks(db, partnerId);
  const out: BlockUsage[] = [];
  for (const b of blocks) {
    const slots = (await q.slotsInBlockRange(db, b)).filter((s) => blockCovers(b, s, b.time_zone));
    const booked = slots.filter(
      (s) => s.booked_partner_id !== null && Number(s.booked_partner_id) === b.partner_id,
    ).length;
    out.push({
      ...b,
      slots: slots.length,
      booked,
      percent: slots.length ? Math.round((booked * 1000) / slots.length) / 10 : 0,
    });
  }
  return out;
}
