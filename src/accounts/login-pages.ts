/**
 * Sign up, log in and log out. The session is regenerated at login and logout (passport 0.7 does
 * it in req.login/req.logout), so a session id seen before login is worthless after it.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { PassportInstance } from './passport';
import type { User, UsersRepo } from './users-repo';
import type { PasswordHasher } from './passwords';
import { passwordProblem } from './passwords';
import { usernameProblem } from './usernames';
import { currentUser, safeReturnPath } from './guards';
import type { Logger } from '../lib/logger';
import type { LoginThrottle } from './login-throttle';

export interface LoginPagesDeps {
  users: UsersRepo;
  hasher: PasswordHasher;
  passport: PassportInstance;
  logger: Logger;
  throttle: LoginThrottle;
}

const LOGIN_FAILED = 'Invalid username or password.';

function field(body: unknown, name: string): string {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
}

function logIn(req: Request, user: User): Promise<void> {
  return new Promise((resolve, reject) => req.login(user, (err) => (err ? reject(err) : resolve())));
}

export interface LoginPages {
  loginForm: RequestHandler;
  login: RequestHandler;
  signupForm: RequestHandler;
  signup: RequestHandler;
  logout: RequestHandler;
}

export function createLoginPages(deps: LoginPagesDeps): LoginPages {
  const loginForm: RequestHandler = (req, res) => {
    if (currentUser(req)) return res.redirect(safeReturnPath(req.query.next));
    res.render('account/login', { title: 'Log in', next: safeReturnPath(req.query.next), error: null, username: '' });
  };

  const login = (req: Request, res: Response, next: NextFunction) => {
    const nextPath = safeReturnPath(field(req.body, 'next'));
    const username = field(req.body, 'username').trim();
    const ip = req.ip ?? 'unknown';
    const authenticate = () => deps.passport.authenticate('local', async (err: unknown, user: User | false) => {
      try {
        if (err) return next(err);
        if (!user) {
          await deps.throttle.recordFailure(ip, username);
          deps.logger.info('login failed');
          return res.status(401).render('account/login', { title: 'Log in', next: nextPath, error: LOGIN_FAILED, username });
        }
        await deps.throttle.recordSuccess(ip, username);
        await logIn(req, user);
        deps.logger.info('login', { userId: user.id });
        res.redirect(nextPath);
      } catch (e) {
        next(e);
      }
    })(req, res, next);
    deps.throttle.blockedFor(ip, username).then((waitSeconds) => {
      if (waitSeconds !== null) {
        // Refused before the password is checked: the same answer whether it was right or not.
        deps.logger.warn('login throttled', { waitSeconds });
        res.set('Retry-After', String(waitSeconds));
        return res.status(429).render('account/login', {
          title: 'Log in',
          next: nextPath,
          error: `Too many failed attempts. Please wait ${Math.ceil(waitSeconds / 60)} minute${waitSeconds > 60 ? 's' : ''} and try again.`,
          username,
        });
      }
      authenticate();
    }, next);
  };

  const signupForm: RequestHandler = (req, res) => {
    res.render('account/signup', { title: 'Sign up', errors: [], username: '', next: safeReturnPath(req.query.next) });
  };

  const signup: RequestHandler = async (req, res) => {
    const username = field(req.body, 'username').trim();
    const password = field(req.body, 'password');
    const confirm = field(req.body, 'passwordConfirm');
    const nextPath = safeReturnPath(field(req.body, 'next'));
    const errors = [usernameProblem(username), passwordProblem(password)].filter((e): e is string => e !== null);
    if (errors.length === 0 && password !== confirm) errors.push('The two passwords do not match.');
    if (errors.length === 0) {
      const user = await deps.users.create({ username, passwordHash: await deps.hasher.hash(password) });
      if (user) {
        await logIn(req, user);
        deps.logger.info('signup', { userId: user.id });
        return res.redirect(nextPath);
      }
      errors.push('That username is taken. Please choose another.');
    }
    res.status(422).render('account/signup', { title: 'Sign up', errors, username, next: nextPath });
  };

  const logout: RequestHandler = (req, res, next) => {
    req.logout((err) => (err ? next(err) : res.redirect('/')));
  };

  return { loginForm, login, signupForm, signup, logout };
}
