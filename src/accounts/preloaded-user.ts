/**
 * The session store loads the session's user in the same query as the session (a join), and
 * leaves it here for passport's deserializeUser, so a logged-in page costs one round trip for
 * both instead of two. The user rides on the session's `passport` object under a symbol: symbols
 * are not copied into the stored JSON, so it is never saved, and it lives exactly as long as the
 * request's session object. The user is read fresh on every request, so a role change still takes
 * effect at once.
 */
import type { User } from './users-repo';

const PRELOADED_USER = Symbol('preloaded user');

type PassportSessionData = { user?: unknown; [PRELOADED_USER]?: User | null };

/** Records what the join found for this session's passport data: the user, or null for none. */
export function attachPreloadedUser(passportData: unknown, user: User | null): void {
  if (typeof passportData === 'object' && passportData !== null) (passportData as PassportSessionData)[PRELOADED_USER] = user;
}

/**
 * The user the store loaded for this id, null if the store found none, undefined when the store
 * did not load one (another store, or the session was changed since) and the caller must query.
 */
export function preloadedUser(passportData: unknown, id: unknown): User | null | undefined {
  if (typeof passportData !== 'object' || passportData === null) return undefined;
  const data = passportData as PassportSessionData;
  if (!(PRELOADED_USER in data) || data.user !== id) return undefined;
  const user = data[PRELOADED_USER] ?? null;
  if (user && user.id !== id) return undefined;
  return user;
}
