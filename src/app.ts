/**
 * Builds the Express app. No I/O happens on import: the caller passes an open database.
 */
import express, { type Request, type Response, type NextFunction } from 'express';
import session from 'express-session';
import helmet from 'helmet';
import compression from 'compression';
import { pinoHttp } from 'pino-http';
import pino from 'pino';
import type { Knex } from 'knex';
import type { Config } from './config';
import { systemClock, type Clock } from './lib/clock';
import { configurePassport } from './auth/passport';
import { createLoginThrottle, type LoginThrottle } from './auth/login-throttle';
import { createCsrf } from './auth/csrf';
import { schedulePruning } from './auth/pruning';
import { ClockedSessionStore } from './auth/session-store';
import { AppError } from './lib/errors';
import { can, type permissionLabels } from './lib/permissions';
import { isHtmx } from './lib/render';
import { assetUrls, htmxFile, publicDir } from './lib/assets';
import { viewsDir } from './lib/paths';
import { guardedRouter } from './lib/router';
import { formatMoney } from './lib/money';
import { fairness } from './lib/limits';
import { databaseMessages, isDatabaseUnavailable, isDiskFull, isInvalidValue } from './lib/db';
import { pingDatabase } from './lib/db.queries';
import { authRoutes } from './auth/auth.routes';
import { homeRoutes } from './home/home.routes';
import { usersRoutes } from './users/users.routes';
import { bookingRoutes } from './booking/booking.routes';
import { firstFreeRoutes } from './booking/first-free.routes';
import { closuresRoutes } from './closures/closures.routes';
import { dayListRoutes } from './daylist/daylist.routes';
import { bookingsRoutes } from './bookings/bookings.routes';
import { slipRoutes } from './bookings/slip.routes';
import { outboxRoutes } from './mail/outbox.routes';
import { moveRoutes } from './bookings/move.routes';
import { attendanceRoutes } from './bookings/attendance.routes';
import { patientsRoutes } from './patients/patients.routes';
import { settingsRoutes } from './settings/settings.routes';
import { statisticsRoutes } from './statistics/statistics.routes';
import { partnersRoutes } from './partners/partners.routes';
import { partnerUsersRoutes } from './partner-users/partner-users.routes';
import { auditLogRoutes } from './audit-log/audit-log.routes';
import { schedulesRoutes } from './schedules/schedules.routes';
import { contractsRoutes } from './contracts/contracts.routes';
import { languageMiddleware, setLanguageLocals } from './i18n/middleware';
import { languageRoutes } from './i18n/language.routes';
import { localizeMessage } from './i18n';

export type AppContext = {
  db: Knex;
  config: Config;
  throttle: LoginThrottle;
  logger: pino.Logger;
  passport: ReturnType<typeof configurePassport>;
  /** The one source of "now" for every feature (tests pass a FixedClock). */
  clock: Clock;
};

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      ctx: AppContext;
    }
  }
}

export const errorMessages = {
  unexpected: 'Something went wrong on our side. Nothing was changed. Please try again.',
  csrf: 'Your form has expired or was sent from elsewhere. Please reload the page and try again.',
  notFound: 'This page does not exist.',
  malformed: 'The request was malformed.',
  tooLarge: 'The request is too large. Nothing was changed.',
  diskFull: "The server's disk is full. Nothing was changed.",
};

/** Request-log lines never carry bodies or query strings (they may hold patient data). */
function requestLogger(logger: pino.Logger) {
  return pinoHttp({
    logger,
    serializers: {
      req: (req: { method: string; url: string; id: unknown }) => ({
        id: req.id,
        method: req.method,
        path: String(req.url).split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customProps: (req) => ({ userId: (req as Request).user?.id }),
  });
}

export function createApp(db: Knex, config: Config, options: { logger?: pino.Logger; clock?: Clock } = {}) {
  const logger = options.logger ?? pino({ level: config.logLevel });
  const clock = options.clock ?? systemClock;
  const passport = configurePassport(db, clock);
  const ctx: AppContext = { db, config, throttle: createLoginThrottle(db, clock), logger, passport, clock };
  const app = express();
  if (config.env !== 'test') schedulePruning(db, clock, ctx.throttle, logger);
  // Anonymous forms (login) use a stateless token, so anonymous visitors store no session row.
  const csrf = createCsrf(config.sessionSecret);

  app.set('views', viewsDir);
  app.set('view engine', 'ejs');
  app.set('trust proxy', config.trustProxy ? 1 : false);
  app.set('query parser', 'simple');
  app.disable('x-powered-by');

  app.use(requestLogger(logger));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          // Our own fonts only (helmet's default would allow any https: or data: font).
          fontSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          // Clinics serve this over plain HTTP on intranets; upgrading would break them.
          upgradeInsecureRequests: null,
        },
      },
      strictTransportSecurity: config.trustProxy,
    }),
  );
  // Health checks: cheap (one `select 1`), before the limits and sessions, so they are answered
  // under load.
  app.use(
    guardedRouter().get('/healthz', 'public', async (_req, res) => {
      await pingDatabase(db);
      res.type('text/plain').send('ok');
    }).router,
  );
  // Readiness for a load balancer: the database answers and its migrations are this code's.
  // Cheap: one `select 1`; the migration list is read until it is current once (it only moves on).
  let migrationsCurrent = false;
  app.use(
    guardedRouter().get('/readyz', 'public', async (_req, res) => {
      res.set('Cache-Control', 'no-store');
      try {
        await pingDatabase(db);
        if (!migrationsCurrent) migrationsCurrent = (await db.migrate.list())[1].length === 0;
      } catch {
        return res.status(503).type('text/plain').send('database unavailable');
      }
      if (!migrationsCurrent) return res.status(503).type('text/plain').send('migrations pending');
      res.type('text/plain').send('ready');
    }).router,
  );
  app.use(compression());
  app.use(
    guardedRouter().get('/static/htmx.min.js', 'public', (_req, res) =>
      res.sendFile(htmxFile, { maxAge: '365d', immutable: true }),
    ).router,
  );
  app.use('/static', express.static(publicDir, { maxAge: '365d', immutable: true, index: false }));
  // After the static files (not counted) and before sessions (a refused request costs no db work).
  app.use(fairness(config.limits));

  // Pages may hold patient data: never keep them in a shared reception PC's cache or history.
  app.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  app.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 2000 }));
  app.use((req, _res, next) => {
    req.ctx = ctx;
    next();
  });
  // Expiry on the app clock; pruned by schedulePruning, on the same clock.
  const sessionStore = new ClockedSessionStore(db, clock, config.sessionHours * 3600_000);
  app.use(
    session({
      name: 'clinic.sid',
      secret: config.sessionSecret,
      store: sessionStore,
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: config.sessionHours * 3600_000 },
    }),
  );
  app.use(passport.initialize());
  app.use(passport.session());

  const asset = assetUrls();
  app.use((req, res, next) => {
    const user = req.user ?? null;
    res.locals.currentUser = user;
    res.locals.can = (permission: keyof typeof permissionLabels) => can(user, permission);
    res.locals.asset = asset;
    res.locals.csrfToken = () => csrf.token(req, res);
    res.locals.money = (minor: number) => formatMoney(minor, config.currency, config.locale);
    res.locals.isHtmx = isHtmx(req);
    res.locals.path = req.path;
    res.locals.flash = req.session?.flash ?? null;
    if (req.session?.flash) delete req.session.flash;
    res.locals.title = '';
    next();
  });
  // After the user is known (their own language) and the locals (it replaces `money`).
  app.use(languageMiddleware(db, config));
  app.use(csrf.protect);

  for (const routes of [
    authRoutes,
    homeRoutes,
    usersRoutes,
    bookingRoutes,
    firstFreeRoutes,
    closuresRoutes,
    dayListRoutes,
    bookingsRoutes,
    slipRoutes,
    outboxRoutes,
    moveRoutes,
    attendanceRoutes,
    patientsRoutes,
    settingsRoutes,
    statisticsRoutes,
    partnersRoutes,
    schedulesRoutes,
    contractsRoutes,
    languageRoutes,
    partnerUsersRoutes,
    auditLogRoutes,
  ]) {
    app.use(routes().router);
  }

  app.use((req: Request, res: Response) => {
    res.status(404);
    renderError(req, res, 404, errorMessages.notFound, {});
  });
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = err as { code?: string; status?: number; type?: string; message?: string };
    if (res.headersSent) return;
    // Errors raised before the locals middleware (body too large, bad encoding, static paths)
    // still render the error page, not a stack trace.
    if (!res.locals.asset)
      Object.assign(res.locals, {
        currentUser: null,
        can: () => false,
        asset,
        csrfToken: () => '',
        money: String,
        isHtmx: isHtmx(req),
        path: req.path,
        flash: null,
        title: '',
      });
    if (!res.locals.t) setLanguageLocals(req, res, config.defaultLanguage, config);
    if (err instanceof AppError) {
      if (err.status === 401 && !isHtmx(req) && req.method === 'GET')
        return res.redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`);
      if (err.status === 401 && isHtmx(req)) res.set('HX-Redirect', '/login');
      return renderError(req, res, err.status, err.message, err.fieldErrors);
    }
    // A full disk: nothing was written. And a form whose token could not be stored (the session
    // save failed on the full disk) is the same cause, not an expired form.
    if (isDiskFull(err) || (e?.code === 'EBADCSRFTOKEN' && sessionStore.diskFull)) {
      req.log?.error({ err }, 'disk full');
      return renderError(req, res, 503, errorMessages.diskFull, {});
    }
    // PostgreSQL down or restarting: a clear 503; the pool reconnects for the next request.
    if (isDatabaseUnavailable(err)) {
      req.log?.error({ err }, 'database unavailable');
      res.set('Retry-After', '5');
      return renderError(req, res, 503, databaseMessages.unavailable, {});
    }
    if (isInvalidValue(err)) return renderError(req, res, 400, errorMessages.malformed, {});
    if (e?.code === 'EBADCSRFTOKEN') return renderError(req, res, 403, errorMessages.csrf, {});
    // body-parser and friends: malformed bodies, too large, bad encoding.
    if (e?.status === 413) return renderError(req, res, 413, errorMessages.tooLarge, {});
    if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500)
      return renderError(req, res, e.status, errorMessages.malformed, {});
    req.log?.error({ err }, 'unhandled error');
    renderError(req, res, 500, errorMessages.unexpected, {});
  });

  return app;
}

function renderError(
  req: Request,
  res: Response,
  status: number,
  message: string,
  fieldErrors: Record<string, string>,
): void {
  res.status(status);
  res.vary('HX-Request');
  const htmx = isHtmx(req);
  if (htmx) {
    // Messages for htmx land in the page's message area instead of replacing the target.
    res.set('HX-Retarget', '#messages');
    res.set('HX-Reswap', 'innerHTML');
  }
  const view = htmx ? 'errors/_message' : 'errors/error';
  const title = req.t ? req.t('errors.title', { status }) : `Error ${status}`;
  res.render(view, { status, message, fieldErrors, title }, (err, html) => {
    // If even the error page cannot render, answer in plain text: never Express's stack trace.
    if (err) {
      req.log?.error({ err }, 'error page failed to render');
      res.type('text/plain').send(req.lang ? localizeMessage(req.lang, message) : message);
      return;
    }
    res.send(html);
  });
}
