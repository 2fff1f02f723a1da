import { guardedRouter } from '../lib/router';

// Placeholder until this feature is built; the permission check is already real.
export function usersRoutes() {
  const r = guardedRouter();
  r.get('/admin/users', 'users_admin', (_req, res) => {
    res.render('placeholder', { title: 'Admin users' });
  });
  return r;
}
