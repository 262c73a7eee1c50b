/**
 * express-session stores a changed session while the response ends, after the headers went out, so
 * a browser following the redirect of a POST (a login, a notice for the next page, a key waiting
 * for its username) can ask for the target before the row is written, and find the old session.
 * Here the redirect of a POST waits until a changed session is stored. GET and HEAD (the hot
 * pages) are left alone, and a session holding nothing (after a logout) is still not stored.
 */
import type { RequestHandler, Response } from 'express';

const snapshot = (session: object | undefined) => (session ? JSON.stringify(session) : '');

export function sessionBeforeRedirect(): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || !req.session) return next();
    const before = snapshot(req.session);
    const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
    res.redirect = ((...args: unknown[]) => {
      const session = req.session;
      const holdsSomething = session && Object.keys(session).some((k) => k !== 'cookie');
      if (!holdsSomething || snapshot(session) === before) return redirect(...args);
      session.save((err) => (err ? next(err) : redirect(...args)));
    }) as Response['redirect'];
    next();
  };
}
