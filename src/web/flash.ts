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
    /** Why an upvote was refused: shown next to the article page's amount field, not at the top. */
    upvoteNotice?: string;
  }
}

/** Where a notice is shown: the page's notice box ('flash'), or beside the upvote form. */
export type FlashSlot = 'flash' | 'upvoteNotice';

export function setFlash(req: Request, text: string, slot: FlashSlot = 'flash'): void {
  if (req.session) req.session[slot] = text.slice(0, 500);
}

/** The waiting notice, removed as it is read; null when there is none (the session is untouched). */
export function takeFlash(req: Request, slot: FlashSlot = 'flash'): string | null {
  const text = req.session?.[slot];
  if (text === undefined) return null;
  delete req.session[slot];
  return typeof text === 'string' ? text : null;
}
