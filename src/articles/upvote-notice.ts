/**
 * Why an upvote was refused ("An upvote is a whole number of sats from 10 to..."), kept in the
 * session for the next render of the article page, which shows it next to the amount field (the
 * general notice sits at the top of the page, far from the form the reader just used). Like
 * web/flash.ts, the text always comes from the server, never from the URL.
 */
import type { Request } from 'express';

declare module 'express-session' {
  interface SessionData {
    upvoteNotice?: string;
  }
}

export function setUpvoteNotice(req: Request, text: string): void {
  if (req.session) req.session.upvoteNotice = text.slice(0, 500);
}

/** The waiting notice, removed as it is read; null when there is none (the session is untouched). */
export function takeUpvoteNotice(req: Request): string | null {
  const text = req.session?.upvoteNotice;
  if (text === undefined) return null;
  delete req.session.upvoteNotice;
  return typeof text === 'string' ? text : null;
}
