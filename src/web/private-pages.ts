/**
 * Two steps after the session is loaded:
 * - a page for a signed-in user depends on who is asking (their name, paid text, admin pages), so
 *   no cache, the browser's back/forward cache included, may keep it: `Cache-Control: private,
 *   no-store` (pages with a form get it too, from the CSRF token);
 * - a session nobody signed in to (it holds a notice at most) lives one hour, not the 30 days of a
 *   signed-in one.
 */
import type { NextFunction, Request, Response } from 'express';

export const ANONYMOUS_SESSION_MS = 60 * 60 * 1000;

export function noStoreForSignedIn(req: Request, res: Response, next: NextFunction): void {
  if (req.user) res.setHeader('Cache-Control', 'private, no-store');
  next();
}

export function sessionLifetime(req: Request, _res: Response, next: NextFunction): void {
  if (!req.user && req.session?.cookie && (req.session.cookie.maxAge ?? 0) > ANONYMOUS_SESSION_MS)
    req.session.cookie.maxAge = ANONYMOUS_SESSION_MS;
  next();
}
