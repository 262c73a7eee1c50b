import type { NextFunction, Request, Response } from 'express';
import type { User } from './users-repo';
import { ForbiddenError } from '../web/errors';

export function currentUser(req: Request): User | null {
  return (req.user as User | undefined) ?? null;
}

/** Sends anonymous visitors to the login page, remembering where they were going. */
export function requireUser(req: Request, res: Response, next: NextFunction): void {
  if (currentUser(req)) return next();
  res.redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`);
}

export function requireAdmin(req: Request, res: Response, next: NextFunction): void {
  const user = currentUser(req);
  if (!user) return res.redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`);
  if (user.role !== 'admin') return next(new ForbiddenError('Only admins can see this page.'));
  next();
}

/** A return address is followed only if it is a path on this site (no //host or /\host tricks). */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string') return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || /[\r\n]/.test(value)) return '/';
  return value;
}
