/** The cancellation window form on the partner's settings page (its own POST, so nothing else of the partner changes). */
import type { Request } from 'express';
import type { GuardedRouter } from '../lib/router';
import { Validation } from '../lib/errors';
import { flash } from '../lib/render';
import { routeId } from '../lib/forms';
import { fieldText } from '../lib/validate';
import { cancellationWindow, messages, saveCancellationWindow } from './cancellation-window.service';

/** What the partner page's window section shows (values typed, or saved). */
export async function cancellationWindowLocals(
  req: Request,
  partnerId: number,
  typed?: { value: string; errors: Record<string, string> },
) {
  const w = await cancellationWindow(req.ctx.db, partnerId);
  return {
    cancellationWindow: {
      partnerId,
      name: w.name,
      hours: w.hours,
      value: typed ? typed.value : w.hours === null ? '' : String(w.hours),
      errors: typed?.errors ?? {},
    },
  };
}

export function cancellationWindowRoutes(r: GuardedRouter): void {
  r.post('/settings/partners/:id/cancellation-window', 'settings', async (req, res) => {
    const id = routeId(req);
    await cancellationWindow(req.ctx.db, id);
    try {
      await saveCancellationWindow(
        req.ctx.db,
        { actor: req.user!, clock: req.ctx.clock, ip: req.ip },
        id,
        req.body,
      );
    } catch (err) {
      if (!(err instanceof Validation)) throw err;
      const locals = await cancellationWindowLocals(req, id, {
        value: fieldText((req.body ?? {}).cancel_window_hours, 10),
        errors: err.fieldErrors,
      });
      return res.status(422).render('settings/cancellation-window', {
        title: req.t('move.windowTitle', { name: locals.cancellationWindow.name }),
        ...locals,
      });
    }
    flash(req, messages.saved);
    res.redirect(303, `/settings/partners/${id}#cancellation-window`);
  });
}
