/**
 * passport-local over our users repo. Only the user id goes into the session; the user is loaded
 * from the database on each request (with the session, see preloaded-user.ts), so a role change
 * takes effect at once.
 */
import { Passport } from 'passport';
import type { Request, RequestHandler } from 'express';

export type PassportInstance = InstanceType<typeof Passport>;
import { Strategy as LocalStrategy } from 'passport-local';
import type { User, UsersRepo } from './users-repo';
import type { PasswordHasher } from './passwords';
import { PASSWORD_MAX_BYTES } from './passwords';
import { preloadedUser } from './preloaded-user';

export function createPassport(users: UsersRepo, hasher: PasswordHasher): PassportInstance {
  const passport = new Passport();
  passport.use(
    new LocalStrategy(async (username, password, done) => {
      try {
        const user = username.length <= 64 ? await users.findByUsernameWithHash(username) : null;
        // One answer for an unknown user and a wrong password, and the same bcrypt work for both.
        if (!user || Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) {
          await hasher.verifyDummy(password);
          return done(null, false);
        }
        if (!(await hasher.verify(password, user.passwordHash))) return done(null, false);
        const { passwordHash: _omit, ...plain } = user;
        return done(null, plain);
      } catch (err) {
        return done(err);
      }
    }),
  );
  passport.serializeUser((user, done) => done(null, (user as User).id));
  // Three parameters: passport then passes the request first.
  passport.deserializeUser<unknown, Request>(async (req, id, done) => {
    try {
      // Usually the session store already loaded the user with the session (one query for both).
      const preloaded = preloadedUser((req.session as { passport?: unknown } | undefined)?.passport, id);
      if (preloaded !== undefined) return done(null, preloaded ?? false);
      const user = typeof id === 'number' ? await users.findById(id) : null;
      done(null, user ?? false);
    } catch (err) {
      done(err);
    }
  });
  return passport;
}

/**
 * What `passport.session()` does (the SessionStrategy: the id stored at login becomes `req.user`
 * through our deserializeUser; a user gone since is dropped from the session), without passport's
 * generic strategy machinery, which builds a strategy object and five closures on every request.
 */
export function sessionUser(passport: PassportInstance): RequestHandler {
  return (req, _res, next) => {
    const data = (req.session as { passport?: { user?: unknown } } | undefined)?.passport;
    const id = data?.user;
    if (!data || id === undefined || id === null || id === false || id === '') return next();
    passport.deserializeUser(id, req, (err: unknown, user?: Express.User | false) => {
      if (err) return next(err);
      if (user) req.user = user;
      else delete data.user;
      next();
    });
  };
}
