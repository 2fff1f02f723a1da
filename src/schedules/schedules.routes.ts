/**
 * Schedules under /settings/schedules, slot generation from the page, and blocking single slots.
 */
import type { Request, Response } from 'express';
import { z } from 'zod';
import { guardedRouter, type GuardedRouter } from '../lib/router';
import { Validation } from '../lib/errors';
import { flash } from '../lib/render';
import { todayIn } from '../lib/time';
import { isoDate, optionalId, parseOr400, text } from '../lib/validate';
import { formLocals, handleForm, routeId, type FormValues } from '../lib/forms';
import { describeReport, type GenerationReport } from './slots.service';
import * as schedules from './schedules.service';
import { clinicTimeZone } from '../settings/institutions.queries';
import { familySortKey } from '../i18n/formats';
import { localizeMessage, translatorFor, type MessageKey, type Translate } from '../i18n';

export const messages = {
  title: 'Schedules',
  newTitle: 'New schedule',
  created: 'Schedule created. Generate its slots below.',
  saved: 'Schedule saved.',
  deactivated: 'Schedule deactivated.',
  reactivated: 'Schedule reactivated.',
  exceptionAdded: 'Exception added.',
  exceptionDeleted: 'Exception deleted.',
  /** A change applied to the schedule's existing slots (from today on) in the same request. */
  applied: (done: string, summary: string | null, t: Translate = translatorFor('en')) =>
    summary ? t('schedules.applied', { done, summary }) : done,
  generated: (summary: string, t: Translate = translatorFor('en')) => t('schedules.generated', { summary }),
  blocked: 'Slot blocked.',
  unblocked: 'Slot unblocked.',
  date: 'Enter the day as YYYY-MM-DD.',
  blockReason: 'Enter a reason for blocking, like “Doctor ill”.',
};

const ctxOf = (req: Request) => ({ actor: req.user!, ip: req.ip, clock: req.ctx.clock });
const listQuery = z.object({ doctor: optionalId });
const dayQuery = z.object({ date: isoDate(messages.date, { optional: true }) });
const blockBody = z.object({ reason: text(500, { required: messages.blockReason }) });

function emptyScheduleValues(doctorId?: number): FormValues {
  const values: FormValues = {
    doctor_id: doctorId ? String(doctorId) : '',
    institution_id: '',
    slot_minutes: '20',
    valid_from: '',
    valid_to: '',
  };
  for (const d of schedules.weekdays)
    Object.assign(values, { [`start_${d}`]: '', [`end_${d}`]: '', [`breaks_${d}`]: '' });
  return values;
}

async function renderNew(
  req: Request,
  res: Response,
  status: number,
  values: FormValues,
  errors: Record<string, string>,
) {
  res.status(status).render('schedules/schedule-new', {
    title: messages.newTitle,
    ...formLocals(values, errors),
    ...(await collatedChoices(req)),
    weekdayNames: schedules.weekdayNames,
  });
}

/**
 * Names in the language's alphabetical order on Hungarian and Romanian pages (Cs after C, Ö after O,
 * Ș after S); English pages keep the database order they always had.
 */
function collate<T>(req: Request, items: T[], ...names: ((item: T) => string)[]): T[] {
  const c = req.formats.collator;
  return [...items].sort((a, b) => {
    for (const name of names) {
      const d = c.compare(name(a), name(b));
      if (d) return d;
    }
    return 0;
  });
}

async function collatedChoices(req: Request) {
  const choices = await schedules.scheduleChoices(req.ctx.db);
  return {
    ...choices,
    doctors: req.formats.peopleByFamily(choices.doctors),
    institutions: collate(req, choices.institutions, (i) => i.name),
  };
}

type Errors = Record<string, string>;
type PageState = {
  values?: FormValues;
  errors?: Errors;
  exValues?: FormValues;
  exErrors?: Errors;
  genValues?: FormValues;
  genErrors?: Errors;
  /** The day whose slots are listed, when not from ?date= (a refused block shows its slot's day). */
  day?: string;
  block?: { slotId: number; values: FormValues; errors: Errors };
};

async function renderList(
  req: Request,
  res: Response,
  status: number,
  gen: { values?: FormValues; errors?: Errors } = {},
) {
  const { doctor } = parseOr400(listQuery, req.query);
  res.status(status).render('schedules/schedule-list', {
    title: messages.title,
    rows: collate(
      req,
      await schedules.listSchedules(req.ctx.db, { doctorId: doctor }, (d) =>
        req.t(`schedules.weekdayShort.${d}` as MessageKey),
      ),
      (r) => (r.active ? '0' : '1'),
      (r) => familySortKey(r.doctor_name),
      (r) => r.institution_name,
      (r) => r.valid_from,
    ),
    range: gen.values ?? schedules.defaultRange(await clinicTimeZone(req.ctx.db), req.ctx.clock.now()),
    genErrors: gen.errors ?? {},
    doctor,
  });
}

async function renderSchedule(
  req: Request,
  res: Response,
  status: number,
  id: number,
  state: PageState = {},
) {
  const db = req.ctx.db;
  const schedule = await schedules.getSchedule(db, id);
  const { date } = parseOr400(dayQuery, req.query);
  const day = state.day ?? (date || todayIn(schedule.time_zone, req.ctx.clock.now()));
  res.status(status).render('schedules/schedule', {
    title: req.t('schedules.scheduleTitle', {
      doctor: req.formats.writtenName(schedule.doctor_name),
      institution: schedule.institution_name,
    }),
    schedule,
    ...formLocals(state.values ?? schedules.scheduleFormValues(schedule), state.errors ?? {}),
    exValues: state.exValues ?? { date: '', kind: 'off', start: '', end: '', note: '' },
    exErrors: state.exErrors ?? {},
    weekdayNames: schedules.weekdayNames,
    range: state.genValues ?? schedules.defaultRange(schedule.time_zone, req.ctx.clock.now()),
    genErrors: state.genErrors ?? {},
    block: state.block ?? null,
    day,
    slots: await schedules.slotsOfDay(db, schedule, day, req.ctx.clock.nowIso()),
  });
}

export function scheduleRoutes(r: GuardedRouter): void {
  r.get('/settings/schedules', 'settings', async (req, res) => {
    await renderList(req, res, 200);
  });

  r.get('/settings/schedules/new', 'settings', async (req, res) => {
    const { doctor } = parseOr400(listQuery, req.query);
    await renderNew(req, res, 200, emptyScheduleValues(doctor), {});
  });

  r.post('/settings/schedules', 'settings', async (req, res) => {
    await handleForm(req, res, {
      schema: schedules.scheduleSchema,
      render: (status, values, errors) => renderNew(req, res, status, values, errors),
      save: async (input) => {
        const id = await schedules.createSchedule(req.ctx.db, ctxOf(req), input);
        return { redirect: `/settings/schedules/${id}`, flash: messages.created };
      },
    });
  });

  // "Generate all": every schedule over the range.
  r.post('/settings/schedules/generate', 'settings', async (req, res) => {
    await handleForm(req, res, {
      schema: schedules.rangeSchema,
      render: (status, values, errors) => renderList(req, res, status, { values, errors }),
      save: async (range) => {
        const report = await schedules.generateFromPage(req.ctx.db, ctxOf(req), range);
        return {
          redirect: '/settings/schedules',
          flash: messages.generated(describeReport(report, req.t), req.t),
        };
      },
    });
  });

  r.get('/settings/schedules/:id', 'settings', async (req, res) => {
    await renderSchedule(req, res, 200, routeId(req));
  });

  r.post('/settings/schedules/:id', 'settings', async (req, res) => {
    const id = routeId(req);
    await handleForm(req, res, {
      schema: schedules.scheduleSchema,
      render: (status, values, errors) => renderSchedule(req, res, status, id, { values, errors }),
      save: async (input) => {
        await schedules.updateSchedule(req.ctx.db, ctxOf(req), id, input);
        return { redirect: `/settings/schedules/${id}`, flash: await applied(req, id, messages.saved) };
      },
    });
  });

  for (const active of [false, true]) {
    r.post(
      `/settings/schedules/:id/${active ? 'reactivate' : 'deactivate'}`,
      'settings',
      async (req, res) => {
        const id = routeId(req);
        await schedules.setScheduleActive(req.ctx.db, ctxOf(req), id, active);
        flash(req, await applied(req, id, active ? messages.reactivated : messages.deactivated));
        res.redirect(303, `/settings/schedules/${id}`);
      },
    );
  }

  r.post('/settings/schedules/:id/exceptions', 'settings', async (req, res) => {
    const id = routeId(req);
    await handleForm(req, res, {
      schema: schedules.exceptionSchema,
      render: (status, exValues, exErrors) => renderSchedule(req, res, status, id, { exValues, exErrors }),
      save: async (input) => {
        await schedules.addException(req.ctx.db, ctxOf(req), id, input);
        return {
          redirect: `/settings/schedules/${id}#exceptions`,
          flash: await applied(req, id, messages.exceptionAdded),
        };
      },
    });
  });

  r.post('/settings/schedules/:id/exceptions/:exceptionId/delete', 'settings', async (req, res) => {
    const id = routeId(req);
    await schedules.deleteException(req.ctx.db, ctxOf(req), id, routeId(req, 'exceptionId'));
    flash(req, await applied(req, id, messages.exceptionDeleted));
    res.redirect(303, `/settings/schedules/${id}#exceptions`);
  });

  r.post('/settings/schedules/:id/generate', 'settings', async (req, res) => {
    const id = routeId(req);
    await handleForm(req, res, {
      schema: schedules.rangeSchema,
      render: (status, genValues, genErrors) =>
        renderSchedule(req, res, status, id, { genValues, genErrors }),
      save: async (range) => {
        const report = await schedules.generateFromPage(req.ctx.db, ctxOf(req), { ...range, scheduleId: id });
        return {
          redirect: `/settings/schedules/${id}?date=${range.from}#slots`,
          flash: messages.generated(describeReport(report, req.t), req.t),
        };
      },
    });
  });

  r.post('/settings/slots/:id/block', 'settings', async (req, res) => {
    const slotId = routeId(req);
    await handleForm(req, res, {
      schema: blockBody,
      // A refused reason comes back on the slot's own schedule page, next to its Block button.
      render: async (status, values, errors) => {
        const slot = await schedules.getSlot(req.ctx.db, slotId);
        const scheduleId = await schedules.scheduleOfSlot(req.ctx.db, slot);
        if (!scheduleId) throw new Validation(Object.values(errors)[0] ?? messages.blockReason, errors);
        await renderSchedule(req, res, status, scheduleId, {
          day: slot.local_date,
          block: { slotId, values, errors },
        });
      },
      save: async ({ reason }) => {
        const slot = await schedules.blockSlot(req.ctx.db, ctxOf(req), slotId, reason);
        return { redirect: await slotPage(req, slot), flash: messages.blocked };
      },
    });
  });

  r.post('/settings/slots/:id/unblock', 'settings', async (req, res) => {
    const slot = await schedules.unblockSlot(req.ctx.db, ctxOf(req), routeId(req));
    flash(req, messages.unblocked);
    res.redirect(303, await slotPage(req, slot));
  });
}

/** Re-applies a changed schedule to its existing slots and words the outcome for the flash. */
async function applied(req: Request, scheduleId: number, done: string): Promise<string> {
  const report: GenerationReport | null = await schedules.refreshScheduleSlots(
    req.ctx.db,
    ctxOf(req),
    scheduleId,
  );
  // Worded in the reader's language here: the flash holds two sentences and a report, which the
  // page could not look up as one English catalogue text.
  return messages.applied(
    localizeMessage(req.lang, done),
    report ? describeReport(report, req.t) : null,
    req.t,
  );
}

/** The schedule page (at the slot's day) to go back to after blocking or unblocking a slot. */
async function slotPage(
  req: Request,
  slot: { doctor_id: number; institution_id: number; local_date: string },
): Promise<string> {
  const scheduleId = await schedules.scheduleOfSlot(req.ctx.db, slot);
  return scheduleId
    ? `/settings/schedules/${scheduleId}?date=${slot.local_date}#slots`
    : '/settings/schedules';
}

/** The feature's router, mounted by app.ts (under /settings, permission `settings`). */
export function schedulesRoutes() {
  const r = guardedRouter();
  scheduleRoutes(r);
  return r;
}
