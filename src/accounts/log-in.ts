/** What every way of logging in does with the request: log the user in, read a posted field (src/web/session-before-redirect.ts stores the session before the redirect). */
import type { Request } from 'express';
import type { User } from './users-repo';

/** passport's req.login as a promise: it regenerates the session, so nothing from before survives. */
export function logIn(req: Request, user: User): Promise<void> {
  return new Promise((resolve, reject) => req.login(user, (err) => (err ? reject(err) : resolve())));
}

export function field(body: unknown, name: string): string {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
}
