/**
 * Institutions, qualifications, services and doctors: the writes (each in one transaction with
 * its audit entry); the forms are parsed by catalogue.forms.ts. Names a clinic expects to be unique
 * are checked case-insensitively here and by the unique indexes in the schema.
 */
import type { Knex } from 'knex';
import { audit } from '../lib/audit';
import * as q from './catalogue.queries';
import {
  formMessages,
  formValues,
  type DoctorInput,
  type InstitutionInput,
  type QualificationInput,
  type ServiceInput,
} from './catalogue.forms';
import type { DoctorRecord, InstitutionRow, QualificationRow, ServiceRow } from './catalogue.queries';
import { assertNameFree } from '../lib/names.queries';
import { guarded as guardedWrite } from '../lib/forms';
import { writeTransaction } from '../lib/db';
import { NotFound, Validation } from '../lib/errors';
import type { CurrentUser } from '../lib/permissions';
import type { Clock } from '../lib/clock';

export const messages = {
  nameTaken: 'This name is already in use (perhaps by an inactive record).',
  qualificationUnknown: 'This qualification does not exist or is not active.',
  unknownChoice: formMessages.unknownChoice,
  offerOutside:
    'A ticked service is not one of the doctor\u2019s qualifications, or is at an institution the doctor does not work at.',
  notFound: 'This record does not exist.',
};

type Ctx = { actor: CurrentUser; ip?: string | null; clock: Clock };
export type Entity = 'institution' | 'qualification' | 'service' | 'doctor';
const tables: Record<Entity, q.CatalogueTable> = {
  institution: 'institutions',
  qualification: 'qualifications',
  service: 'services',
  doctor: 'doctors',
};

export {
  listInstitutions,
  listQualifications,
  listServices,
  listDoctors,
  type InstitutionRow,
  type QualificationRow,
  type ServiceRow,
  type DoctorRow,
  type DoctorRecord,
} from './catalogue.queries';

export async function getInstitution(db: Knex, id: number): Promise<InstitutionRow> {
  const row = await q.findInstitution(db, id);
  if (!row) throw new NotFound(messages.notFound);
  return row;
}

export async function getQualification(db: Knex, id: number): Promise<QualificationRow> {
  const row = await q.findQualification(db, id);
  if (!row) throw new NotFound(messages.notFound);
  return row;
}

export async function getService(db: Knex, id: number): Promise<ServiceRow> {
  const row = await q.findService(db, id);
  if (!row) throw new NotFound(messages.notFound);
  return row;
}

export async function getDoctor(db: Knex, id: number): Promise<DoctorRecord> {
  const row = await q.findDoctor(db, id);
  if (!row) throw new NotFound(messages.notFound);
  return row;
}

/** Runs a write; a unique-index violation (a race past the name check) is the same 422. */
const guarded = <T>(work: () => Promise<T>) => guardedWrite(work, messages.nameTaken);

export function saveInstitution(db: Knex, ctx: Ctx, input: InstitutionInput, id?: number): Promise<number> {
  return guarded(() =>
    writeTransaction(db, async (trx) => {
      await assertNameFree(trx, 'institutions', input.name, id, messages.nameTaken);
      const row = { name: input.name, address: input.address, time_zone: input.time_zone };
      if (id) {
        const before = await getInstitution(trx, id);
        await q.updateRecord(trx, 'institutions', id, row);
        await audit(trx, ctx.clock, {
          actor: ctx.actor,
          action: 'settings.institution.updated',
          entityType: 'institution',
          entityId: id,
          details: { before: formValues.institution(before), after: row },
          ip: ctx.ip,
        });
        return id;
      }
      const newId = await q.insertRecord(trx, 'institutions', {
        ...row,
        active: true,
        created_at: ctx.clock.nowIso(),
      });
      await audit(trx, ctx.clock, {
        actor: ctx.actor,
        action: 'settings.institution.created',
        entityType: 'institution',
        entityId: newId,
        details: row,
        ip: ctx.ip,
      });
      return newId;
    }),
  );
}

export function saveQualification(
  db: Knex,
  ctx: Ctx,
  input: QualificationInput,
  id?: number,
): Promise<number> {
  return guarded(() =>
    writeTransaction(db, async (trx) => {
      await assertNameFree(trx, 'qualifications', input.name, id, messages.nameTaken);
      if (id) {
        const before = await getQualification(trx, id);
        await q.updateRecord(trx, 'qualifications', id, { name: input.name });
        await audit(trx, ctx.clock, {
          actor: ctx.actor,
          action: 'settings.qualification.updated',
          entityType: 'qualification',
          entityId: id,
          details: { before: { name: before.name }, after: { name: input.name } },
          ip: ctx.ip,
        });
        return id;
      }
      const newId = await q.insertRecord(trx, 'qualifications', { name: input.name, active: true });
      await audit(trx, ctx.clock, {
        actor: ctx.actor,
        action: 'settings.qualification.created',
        entityType: 'qualification',
        entityId: newId,
        details: { name: input.name },
        ip: ctx.ip,
      });
      return newId;
    }),
  );
}

export function saveService(db: Knex, ctx: Ctx, input: ServiceInput, id?: number): Promise<number> {
  return guarded(() =>
    writeTransaction(db, async (trx) => {
      const before = id ? await getService(trx, id) : null;
      const [qualification] = await q.recordStates(trx, 'qualifications', [input.qualification_id]);
      // An inactive qualification may stay on a service that already has it, but is not a new choice.
      if (!qualification || (!qualification.active && before?.qualification_id !== input.qualification_id)) {
        throw new Validation(messages.qualificationUnknown, {
          qualification_id: messages.qualificationUnknown,
        });
      }
      await assertNameFree(trx, 'services', input.name, id, messages.nameTaken);
      const row = {
        qualification_id: input.qualification_id,
        name: input.name,
        duration_minutes: input.duration_minutes,
        price_minor: input.price,
      };
      if (id && before) {
        await q.updateRecord(trx, 'services', id, row);
        const old = {
          qualification_id: before.qualification_id,
          name: before.name,
          duration_minutes: before.duration_minutes,
          price_minor: before.price_minor,
        };
        await audit(trx, ctx.clock, {
          actor: ctx.actor,
          action: 'settings.service.updated',
          entityType: 'service',
          entityId: id,
          details: { before: old, after: row },
          ip: ctx.ip,
        });
        return id;
      }
      const newId = await q.insertRecord(trx, 'services', { ...row, active: true });
      await audit(trx, ctx.clock, {
        actor: ctx.actor,
        action: 'settings.service.created',
        entityType: 'service',
        entityId: newId,
        details: row,
        ip: ctx.ip,
      });
      return newId;
    }),
  );
}

export function saveDoctor(db: Knex, ctx: Ctx, input: DoctorInput, id?: number): Promise<number> {
  return writeTransaction(db, async (trx) => {
    const before = id ? await getDoctor(trx, id) : null;
    const qualificationIds = [...new Set(input.qualification_ids)];
    const institutionIds = [...new Set(input.institution_ids)];
    // New choices must be active; what the doctor already has may stay even if since deactivated.
    const okIds = async (table: 'qualifications' | 'institutions', ids: number[], kept: number[]) => {
      const rows = await q.recordStates(trx, table, ids);
      return rows.length === ids.length && rows.every((r) => r.active || kept.includes(r.id));
    };
    const errors: Record<string, string> = {};
    if (!(await okIds('qualifications', qualificationIds, before?.qualificationIds ?? [])))
      errors.qualification_ids = messages.unknownChoice;
    if (!(await okIds('institutions', institutionIds, before?.institutionIds ?? [])))
      errors.institution_ids = messages.unknownChoice;
    const offerKeys = [...new Set(input.offers.map(([i, s]) => `${i}:${s}`))];
    const offers = offerKeys.map((k) => k.split(':').map(Number) as [number, number]);
    const serviceIds = [...new Set(offers.map(([, s]) => s))];
    const services = serviceIds.length ? await q.serviceStates(trx, serviceIds) : [];
    const serviceById = new Map(services.map((s) => [s.id, s]));
    for (const [institutionId, serviceId] of offers) {
      const service = serviceById.get(serviceId);
      const kept = before?.offers.includes(`${institutionId}:${serviceId}`) ?? false;
      if (!service || (!service.active && !kept)) errors.offers = messages.unknownChoice;
      else if (
        !institutionIds.includes(institutionId) ||
        !qualificationIds.includes(service.qualification_id)
      )
        errors.offers ??= messages.offerOutside;
    }
    if (Object.keys(errors).length) throw new Validation(Object.values(errors)[0], errors);

    let doctorId = id;
    if (doctorId) {
      await q.updateRecord(trx, 'doctors', doctorId, { name: input.name });
    } else {
      doctorId = await q.insertRecord(trx, 'doctors', { name: input.name, active: true });
    }
    await q.replaceDoctorLinks(trx, doctorId, qualificationIds, institutionIds, offers);
    const after = { name: input.name, qualificationIds, institutionIds, offers: offerKeys };
    await audit(trx, ctx.clock, {
      actor: ctx.actor,
      action: before ? 'settings.doctor.updated' : 'settings.doctor.created',
      entityType: 'doctor',
      entityId: doctorId,
      details: before
        ? {
            before: {
              name: before.name,
              qualificationIds: before.qualificationIds,
              institutionIds: before.institutionIds,
              offers: before.offers,
            },
            after,
          }
        : after,
      ip: ctx.ip,
    });
    return doctorId;
  });
}

/** Deactivates or reactivates; history (bookings, slots, statistics) stays untouched. */
export function setActive(db: Knex, ctx: Ctx, entity: Entity, id: number, active: boolean): Promise<void> {
  return writeTransaction(db, async (trx) => {
    const table = tables[entity];
    const row = await q.namedRecordState(trx, table, id);
    if (!row) throw new NotFound(messages.notFound);
    if (row.active === active) return;
    await q.updateRecord(trx, table, id, { active });
    await audit(trx, ctx.clock, {
      actor: ctx.actor,
      action: `settings.${entity}.${active ? 'reactivated' : 'deactivated'}`,
      entityType: entity,
      entityId: id,
      details: { name: row.name },
      ip: ctx.ip,
    });
  });
}
