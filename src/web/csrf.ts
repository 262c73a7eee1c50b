/**
 * CSRF protection without a session row per anonymous visitor.
 *
 * - Signed in: synchronizer token, one random token kept in the session, put in every form as a
 *   hidden `_csrf` field and checked on every request that can change state.
 * - Anonymous (the login and signup forms): a signed double-submit cookie. The form carries a random
 *   token and the `paywall.csrf` cookie carries the same token with an HMAC of it under the session
 *   secret; a post is accepted when the two agree and the signature is ours. Another site can
 *   neither read the cookie nor make one we would accept, and nothing is stored on the server until
 *   there is a user to remember.
 * GET never changes state.
 */
import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { CsrfError } from './errors';
import { cookieMac, readCookie, sameSecret } from './cookies';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const COOKIE = 'paywall.csrf';

declare module 'express-session' {
  interface SessionData {
    csrfToken?: string;
  }
}

export interface CsrfOptions {
  secret: string;
  secureCookies: boolean;
}

export function createCsrfProtection(options: CsrfOptions) {
  const sign = (token: string) => cookieMac(options.secret, 'csrf', token);

  /** The token of a valid signed cookie, or null. */
  function cookieToken(req: Request): string | null {
    const raw = readCookie(req, COOKIE);
    const dot = raw ? raw.indexOf('.') : -1;
    if (!raw || dot <= 0) return null;
    const token = raw.slice(0, dot);
    return sameSecret(raw.slice(dot + 1), sign(token)) ? token : null;
  }

  /** The token to print in a form: the session's for a signed-in user, the cookie's otherwise. */
  function tokenFor(req: Request, res: Response): string {
    // A form carries a token tied to this browser: no cache may keep the page.
    res.setHeader('Cache-Control', 'private, no-store');
    if (req.user) {
      if (!req.session.csrfToken) req.session.csrfToken = crypto.randomBytes(32).toString('base64url');
      return req.session.csrfToken;
    }
    let token = cookieToken(req) ?? (res.locals.csrfCookieToken as string | undefined);
    if (!token) {
      token = crypto.randomBytes(32).toString('base64url');
      res.locals.csrfCookieToken = token;
      res.cookie(COOKIE, `${token}.${sign(token)}`, { httpOnly: true, sameSite: 'lax', secure: options.secureCookies, path: '/' });
    }
    return token;
  }

  return function csrfProtection(req: Request, res: Response, next: NextFunction): void {
    // Lazily: the token is only made when a page prints it in a form. Not a getter: EJS prints
    // through String(), and a getter would be called by every copy of the locals.
    res.locals.csrfToken = { toString: () => tokenFor(req, res) };
    if (SAFE_METHODS.has(req.method)) return next();
    const sent = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.get('x-csrf-token');
    if (typeof sent !== 'string' || sent.length === 0) return next(new CsrfError());
    const sessionToken = req.session?.csrfToken;
    // A signed-in user's forms must carry the session's token; the cookie is for anonymous forms.
    const expected = req.user ? sessionToken : (cookieToken(req) ?? sessionToken);
    if (!expected || !sameSecret(sent, expected)) return next(new CsrfError());
    next();
  };
}
