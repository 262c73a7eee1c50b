/**
 * passport-local over our users repo. Only the user id goes into the session; the user is loaded
 * from the database on each request, so a role change takes effect at once.
 */
import { Passport } from 'passport';

export type PassportInstance = InstanceType<typeof Passport>;
import { Strategy as LocalStrategy } from 'passport-local';
import type { User, UsersRepo } from '../db/users-repo';
import type { PasswordHasher } from './passwords';
import { PASSWORD_MAX_BYTES } from './passwords';

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
  passport.deserializeUser(async (id: unknown, done) => {
    try {
      const user = typeof id === 'number' ? await users.findById(id) : null;
      done(null, user ?? false);
    } catch (err) {
      done(err);
    }
  });
  return passport;
}
