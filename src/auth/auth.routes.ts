import type { Request, Response, NextFunction } from 'express';
import { z } from 'zod';
import { guardedRouter } from '../lib/router';
import { authMessages } from '../lib/auth';
import { auditFailedLogin } from './passport';
import { audit } from '../lib/audit';
import { TooManyRequests } from '../lib/errors';
import { text } from '../lib/validate';

const loginSchema = z.object({
  username: text(64, { required: 'Enter your user name.' }),
  password: z.preprocess(
    (v) => (typeof v === 'string' ? v : ''),
    z.string().min(1, 'Enter your password.').max(200, 'Wrong user name or password.'),
  ),
  next: z.preprocess((v) => (typeof v === 'string' ? v : undefined), z.string().max(500).optional()),
});

/** Only local paths: never redirect to another site after login. */
function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])/.test(next) ? next : '/';
}

export function authRoutes() {
  const r = guardedRouter();

  r.get('/login', 'public', (req, res) => {
    if (req.user) return res.redirect('/');
    res.render('auth/login', {
      title: 'Log in',
      values: { username: '', next: typeof req.query.next === 'string' ? req.query.next : '' },
      errors: {},
    });
  });

  r.post('/login', 'public', async (req: Request, res: Response, next: NextFunction) => {
    const parsed = loginSchema.safeParse(req.body ?? {});
    const values = {
      username: typeof req.body?.username === 'string' ? req.body.username.slice(0, 64) : '',
      next: typeof req.body?.next === 'string' ? req.body.next.slice(0, 500) : '',
    };
    if (!parsed.success) {
      // Audited like any failed attempt, so probing with empty fields leaves a trace too.
      const incomplete =
        !values.username.trim() || typeof req.body?.password !== 'string' || req.body.password === '';
      await auditFailedLogin(req.ctx.db, req.ctx.clock, {
        username: values.username,
        ip: req.ip,
        reason: incomplete ? 'incomplete form' : 'invalid form',
      });
      return res
        .status(422)
        .render('auth/login', { title: 'Log in', values, errors: { _form: authMessages.invalid } });
    }
    const ip = req.ip ?? 'unknown';
    // The attempt takes its points before the password is verified: parallel guesses cannot
    // all pass a check that is counted only afterwards.
    const begun = await req.ctx.throttle.begin(parsed.data.username, ip);
    if ('waitSeconds' in begun) {
      await auditFailedLogin(req.ctx.db, req.ctx.clock, {
        username: parsed.data.username,
        ip,
        reason: 'throttled',
        action: 'login.throttled',
      });
      res.set('Retry-After', String(begun.waitSeconds));
      throw new TooManyRequests(authMessages.throttled(begun.waitSeconds));
    }
    const { attempt } = begun;
    req.body.username = parsed.data.username;
    req.ctx.passport.authenticate('local', (err: unknown, user: Express.User | false) => {
      if (err) return attempt.failed().then(() => next(err), next);
      if (!user) {
        return attempt
          .failed()
          .then(() =>
            res
              .status(422)
              .render('auth/login', { title: 'Log in', values, errors: { _form: authMessages.invalid } }),
          )
          .catch(next);
      }
      // passport regenerates the session here (no session fixation).
      req.logIn(user, (loginErr) => {
        if (loginErr) return attempt.failed().then(() => next(loginErr), next);
        attempt.succeeded().then(() => res.redirect(safeNext(parsed.data.next)), next);
      });
    })(req, res, next);
  });

  r.post('/logout', 'public', (req: Request, res: Response, next: NextFunction) => {
    const user = req.user;
    const done = () => {
      req.session.destroy(() => {
        res.clearCookie('clinic.sid');
        res.redirect('/login');
      });
    };
    if (!user) return done();
    audit(req.ctx.db, req.ctx.clock, {
      actor: user,
      action: 'logout',
      entityType: 'user',
      entityId: user.id,
      ip: req.ip,
    })
      .then(() => req.logout((err) => (err ? next(err) : done())))
      .catch(next);
  });

  return r;
}
