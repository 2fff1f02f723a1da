/**
 * A router that will not register a route without declaring who may call it (as Ghost refuses
 * an endpoint without a permissions key). The access guard is always the first handler, is
 * checked on the server, and is marked so a test can walk the app and find every route's access.
 */
import { Router, type RequestHandler, type Request, type Response, type NextFunction } from 'express';
import { allows, type Access } from './permissions';
import { Forbidden, Unauthorized } from './errors';

export type Handler = (req: Request, res: Response, next: NextFunction) => unknown;

type GuardHandler = RequestHandler & { access: Access };

export function guard(access: Access): GuardHandler {
  const handler = ((req: Request, _res: Response, next: NextFunction) => {
    const user = req.user ?? null;
    if (allows(access, user)) return next();
    next(user ? new Forbidden() : new Unauthorized());
  }) as GuardHandler;
  handler.access = access;
  return handler;
}

/** Wraps async handlers so a rejected promise reaches the error middleware. */
function wrap(handler: Handler): RequestHandler {
  return (req, res, next) => {
    try {
      const result = handler(req, res, next);
      if (result && typeof (result as Promise<unknown>).catch === 'function')
        (result as Promise<unknown>).catch(next);
    } catch (err) {
      next(err);
    }
  };
}

export type GuardedRouter = {
  get(path: string, access: Access, ...handlers: Handler[]): GuardedRouter;
  post(path: string, access: Access, ...handlers: Handler[]): GuardedRouter;
  router: Router;
};

export function guardedRouter(): GuardedRouter {
  const router = Router();
  const add =
    (method: 'get' | 'post') =>
    (path: string, access: Access, ...handlers: Handler[]) => {
      if (access === undefined || typeof access === 'function')
        throw new Error(`Route ${method.toUpperCase()} ${path} must declare its access`);
      if (handlers.length === 0) throw new Error(`Route ${method.toUpperCase()} ${path} has no handler`);
      router[method](path, guard(access), ...handlers.map(wrap));
      return api;
    };
  const api: GuardedRouter = { get: add('get'), post: add('post'), router };
  return api;
}

export type RouteInfo = { method: string; path: string; access: Access | undefined };

/** Every route registered on the app, with the access its guard declares (undefined = none). */
export function listRoutes(app: { router?: unknown; _router?: unknown }): RouteInfo[] {
  const out: RouteInfo[] = [];
  // Express's router layers are untyped internals.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const walk = (stack: any[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const first = layer.route.stack[0]?.handle as Partial<GuardHandler> | undefined;
        const methods = Object.keys(layer.route.methods ?? {}).filter((m) => layer.route.methods[m]);
        for (const method of methods)
          out.push({ method: method.toUpperCase(), path: layer.route.path, access: first?.access });
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  const root = (app.router ?? app._router) as { stack: Parameters<typeof walk>[0] } | undefined;
  if (root) walk(root.stack);
  return out;
}
