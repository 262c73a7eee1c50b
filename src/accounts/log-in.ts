/** What every way of logging in does with the request: log the user in, store the session, read a posted field. */
import type { Request } from 'express';
import type { User } from './users-repo';

/** passport's req.login as a promise: it regenerates the session, so nothing from before survives. */
export function logIn(req: Request, user: User): Promise<void> {
  return new Promise((resolve, reject) => req.login(user, (err) => (err ? reject(err) : resolve())));
}

/**
 * Stores the session now. express-session saves a changed session while the response ends, after the
 * headers went out, so a browser following a redirect can arrive before the row is written (and find
 * nothing): state a redirect's target needs is saved first.
 */
export function saveSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
}

export function field(body: unknown, name: string): string {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
}
