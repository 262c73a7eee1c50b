/**
 * Notices after a redirect ("Thank you: an admin will look at this article.") kept in the session
 * for exactly the next page that shows one: the text always comes from the server, never from the
 * URL, so a link cannot put words into the site's own notice box. Only signed-in users get
 * notices this way (they already have a session; nothing is stored for anonymous visitors).
 */
import type { Request } from 'express';

declare module 'express-session' {
  interface SessionData {
    flash?: string;
  }
}

export function setFlash(req: Request, text: string): void {
  if (req.session) req.session.flash = text.slice(0, 500);
}

/** The waiting notice, removed as it is read; null when there is none (the session is untouched). */
export function takeFlash(req: Request): string | null {
  const text = req.session?.flash;
  if (text === undefined) return null;
  delete req.session.flash;
  return typeof text === 'string' ? text : null;
}
