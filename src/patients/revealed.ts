/**
 * Restricted patients (outside a partner's full view) may be shown, as name and year of birth,
 * only to a session that found them by exact identifier. findVisiblePatient alone cannot know
 * that, so pages that show a patient by id check this list first; otherwise guessing ids would
 * list every clinic patient's name.
 */
import type { Request } from 'express';
import type { PatientSummary } from './patients.service';

declare module 'express-session' {
  interface SessionData {
    revealedPatientIds?: number[];
  }
}

const KEEP = 50;

/** Call with every search result list shown to the user. */
export function rememberRevealedPatients(req: Request, results: readonly PatientSummary[]): void {
  const restricted = results.filter((p) => p.restricted).map((p) => p.id);
  if (!restricted.length || !req.session) return;
  const known = new Set(req.session.revealedPatientIds ?? []);
  for (const id of restricted) known.add(id);
  req.session.revealedPatientIds = [...known].slice(-KEEP);
}

/** True when a restricted patient may be shown to this session (found by identifier earlier). */
export function wasRevealed(req: Request, patientId: number): boolean {
  return (req.session?.revealedPatientIds ?? []).includes(patientId);
}
