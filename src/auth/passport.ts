/**
 * Login with passport-local: Argon2id verification, every attempt audited, session id
 * regenerated on login (passport >= 0.6 does this). Throttling wraps it in auth.routes.ts.
 */
import passport, { type PassportStatic } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { Knex } from 'knex';
import type { Request } from 'express';
import { loadCurrentUser } from '../users/users.queries';
import { burnVerify, verifyPassword } from '../lib/passwords';
import { audit } from '../lib/audit';
import type { Clock } from '../lib/clock';
import { authMessages } from '../lib/auth';
import { findLoginUser, type LoginUserRow } from './auth.queries';

/**
 * Audits a failed or throttled login. There is no actor, so the row records the user name
 * tried and, when it names a user (in any letter case), that user's name, id and partner (a
 * partner's failed logins then show in its audit view).
 */
export async function auditFailedLogin(
  db: Knex,
  clock: Clock,
  f: {
    username: string;
    ip?: string | null;
    reason: string;
    action?: 'login.failed' | 'login.throttled';
    row?: LoginUserRow | null;
  },
): Promise<void> {
  const row = f.row !== undefined ? f.row : await findLoginUser(db, f.username);
  await audit(db, clock, {
    actor: null,
    username: row?.username ?? f.username,
    partnerId: row?.partner_id ?? null,
    action: f.action ?? 'login.failed',
    entityType: 'user',
    entityId: row?.id ?? null,
    ip: f.ip ?? null,
    details: { reason: f.reason },
  });
}

export function configurePassport(db: Knex, clock: Clock): PassportStatic {
  const instance = new passport.Passport() as unknown as PassportStatic;
  instance.use(
    new LocalStrategy(
      { passReqToCallback: true },
      async (req: Request, username: string, password: string, done) => {
        try {
          const row = await findLoginUser(db, username);
          const ok = row
            ? await verifyPassword(row.password_hash, password)
            : (await burnVerify(password), false);
          const user = ok && row ? await loadCurrentUser(db, row.id) : null;
          if (!user) {
            await auditFailedLogin(db, clock, {
              username,
              row: row ?? null,
              ip: req.ip,
              reason: row ? (ok ? 'inactive' : 'wrong password') : 'unknown user',
            });
            return done(null, false, { message: authMessages.invalid });
          }
          await audit(db, clock, {
            actor: user,
            action: 'login.succeeded',
            entityType: 'user',
            entityId: user.id,
            ip: req.ip,
          });
          return done(null, user);
        } catch (err) {
          return done(err);
        }
      },
    ),
  );
  instance.serializeUser((user, done) => done(null, user.id));
  instance.deserializeUser(async (id: unknown, done) => {
    try {
      const user = typeof id === 'number' ? await loadCurrentUser(db, id) : null;
      done(null, user ?? false);
    } catch (err) {
      done(err);
    }
  });
  return instance;
}
