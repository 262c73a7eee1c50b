/**
 * Sign up, log in and log out. The session is regenerated at login and logout (passport 0.7 does
 * it in req.login/req.logout), so a session id seen before login is worthless after it.
 *
 * Every login attempt is reserved with the attempt throttle (src/accounts/) before the password is
 * checked, so parallel attempts cannot slip past the limits; signups are counted per address
 * before any bcrypt work, and a taken username is answered without hashing.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { PassportInstance } from './passport';
import type { User, UsersRepo } from './users-repo';
import type { PasswordHasher } from './passwords';
import { passwordProblem } from './passwords';
import { usernameProblem } from './usernames';
import { currentUser, safeReturnPath } from './guards';
import { field, logIn } from './log-in';
import type { Logger } from '../lib/logger';
import type { AttemptThrottle } from './attempt-throttle';
import type { SiteLimits } from './limits';
import { isKnownBrowser, loginKeys, minutes, rememberBrowser, tooManyAttempts, userIpKey } from './login-limits';

export interface LoginPagesDeps {
  users: UsersRepo;
  hasher: PasswordHasher;
  passport: PassportInstance;
  logger: Logger;
  throttle: AttemptThrottle;
  limits: SiteLimits;
  sessionSecret: string;
  secureCookies: boolean;
}

const LOGIN_FAILED = 'Invalid username or password.';
const SESSION_COOKIE = 'paywall.sid';

export interface LoginPages {
  loginForm: RequestHandler;
  login: RequestHandler;
  signupForm: RequestHandler;
  signup: RequestHandler;
  logout: RequestHandler;
}

export function createLoginPages(deps: LoginPagesDeps): LoginPages {
  const { limits } = deps;

  const loginForm: RequestHandler = (req, res) => {
    if (currentUser(req)) return res.redirect(safeReturnPath(req.query.next));
    res.render('account/login', { title: 'Log in', next: safeReturnPath(req.query.next), error: null, username: '' });
  };

  const login = async (req: Request, res: Response, next: NextFunction) => {
    const nextPath = safeReturnPath(field(req.body, 'next'));
    const username = field(req.body, 'username').trim().slice(0, 64);
    const ip = req.ip ?? 'unknown';
    const page = (status: number, error: string) =>
      res.status(status).render('account/login', { title: 'Log in', next: nextPath, error, username });

    // Counted before the password is checked: the same answer whether it was right or not.
    const knownBrowser = isKnownBrowser(req, deps.sessionSecret, username);
    const reservation = await deps.throttle.reserve(loginKeys(limits, { ip, account: username, knownBrowser }));
    if (!reservation.allowed) {
      deps.logger.warn('login throttled', {
        username,
        ip,
        retryAfterSeconds: reservation.retryAfterSeconds,
        limit: reservation.key.split(':')[1],
      });
      res.set('Retry-After', String(reservation.retryAfterSeconds));
      return page(429, tooManyAttempts(reservation.retryAfterSeconds));
    }

    deps.passport.authenticate('local', async (err: unknown, user: User | false) => {
      try {
        if (err) return next(err);
        if (!user) {
          deps.logger.warn('login failed', { username, ip, attemptsLeft: reservation.remaining });
          const warning =
            reservation.remaining === 1
              ? ` One more failed attempt and logging in is paused for ${minutes(limits.loginWindowMs / 1000)}.`
              : reservation.remaining <= 0
                ? ` Logging in is now paused for ${minutes(limits.loginWindowMs / 1000)}.`
                : '';
          return page(401, LOGIN_FAILED + warning);
        }
        await reservation.succeeded({ clear: [userIpKey(ip, username)] });
        await logIn(req, user);
        rememberBrowser(res, deps.sessionSecret, username, deps.secureCookies);
        deps.logger.info('login', { userId: user.id, ip });
        res.redirect(nextPath);
      } catch (e) {
        next(e);
      }
    })(req, res, next);
  };

  const signupForm: RequestHandler = (req, res) => {
    res.render('account/signup', { title: 'Sign up', errors: [], username: '', next: safeReturnPath(req.query.next) });
  };

  const signup: RequestHandler = async (req, res) => {
    const username = field(req.body, 'username').trim();
    const password = field(req.body, 'password');
    const confirm = field(req.body, 'passwordConfirm');
    const nextPath = safeReturnPath(field(req.body, 'next'));
    const ip = req.ip ?? 'unknown';
    const page = (status: number, errors: string[]) =>
      res.status(status).render('account/signup', { title: 'Sign up', errors, username, next: nextPath });
    const errors = [usernameProblem(username), passwordProblem(password)].filter((e): e is string => e !== null);
    if (errors.length === 0 && password !== confirm) errors.push('The two passwords do not match.');
    if (errors.length > 0) return page(422, errors);

    // Counted before the username lookup and the bcrypt work: both are what a flood would cost.
    const reservation = await deps.throttle.reserve([{ key: `signup:ip:${ip}`, limit: limits.signupPerIpPerHour, windowMs: 3_600_000 }]);
    if (!reservation.allowed) {
      deps.logger.warn('signup throttled', { ip, retryAfterSeconds: reservation.retryAfterSeconds });
      res.set('Retry-After', String(reservation.retryAfterSeconds));
      return page(429, [
        `Too many accounts were created from your network recently. Please try again in ${minutes(reservation.retryAfterSeconds)}.`,
      ]);
    }
    // A taken name needs no hash: the form says it is taken anyway (that is what the form is for).
    const taken = 'That username is taken. Please choose another.';
    if (await deps.users.findByUsername(username)) return page(422, [taken]);
    const user = await deps.users.create({ username, passwordHash: await deps.hasher.hash(password) });
    if (!user) return page(422, [taken]);
    await logIn(req, user);
    deps.logger.info('signup', { userId: user.id, ip });
    res.redirect(nextPath);
  };

  const logout: RequestHandler = (req, res, next) => {
    req.logout((err) => {
      if (err) return next(err);
      // The browser forgets the old session id too (the row is gone): nothing to go back to.
      res.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: deps.secureCookies });
      res.redirect('/');
    });
  };

  return { loginForm, login, signupForm, signup, logout };
}
