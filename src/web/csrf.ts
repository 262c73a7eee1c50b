/**
 * Synchronizer-token CSRF protection: one random token per session, put in every form as a hidden
 * `_csrf` field and checked on every request that can change state. GET never changes state.
 */
import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { CsrfError } from './errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'express-session' {
  interface SessionData {
    csrfToken?: string;
  }
}

export function csrfToken(req: Request): string {
  if (!req.session.csrfToken) req.session.csrfToken = crypto.randomBytes(32).toString('base64url');
  return req.session.csrfToken;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

export function csrfProtection(req: Request, res: Response, next: NextFunction): void {
  // Lazily: the token (and so a session row) is only created when a page prints it in a form.
  // Not a getter: Express copies every local into the render options, which would call it on
  // every page and give each anonymous visitor a session row. EJS prints through String().
  res.locals.csrfToken = { toString: () => csrfToken(req) };
  if (SAFE_METHODS.has(req.method)) return next();
  const sent = (req.body as Record<string, unknown> | undefined)?._csrf ?? req.get('x-csrf-token');
  const expected = req.session.csrfToken;
  if (typeof sent !== 'string' || !expected || !sameToken(sent, expected)) return next(new CsrfError());
  next();
}
