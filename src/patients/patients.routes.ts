import { guardedRouter } from '../lib/router';

// Placeholder until this feature is built; the permission check is already real.
export function patientsRoutes() {
  const r = guardedRouter();
  r.get('/patients', 'patients', (_req, res) => {
    res.render('placeholder', { title: 'Patients' });
  });
  return r;
}
