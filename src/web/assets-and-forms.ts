/**
 * Two steps every request passes, each one layer that looks at the request once: the files of
 * public/ and the parsing of posted forms. A page request goes past both without touching the disk
 * or a body parser.
 */
import express, { type RequestHandler } from 'express';
import path from 'node:path';

/** The folders of public/ served as files (a new folder goes in this list). */
const FOLDERS = ['css', 'js', 'img'];

/**
 * /css, /js and /img from `publicDir` (cached for an hour), /favicon.ico redirected to the SVG
 * icon. A static handler at the root would stat the disk and build a 404 error for every page
 * request before the routes see it; here anything else goes on untouched.
 */
export function publicFiles(publicDir: string): RequestHandler {
  const handlers = new Map<string, RequestHandler>(
    FOLDERS.map((dir) => [dir, express.static(path.join(publicDir, dir), { index: false, maxAge: '1h' })]),
  );
  return (req, res, next) => {
    const url = req.url;
    if (url === '/favicon.ico') return res.redirect(301, '/img/favicon.svg');
    const slash = url.indexOf('/', 1);
    const handler = slash > 1 ? handlers.get(url.slice(1, slash)) : undefined;
    if (!handler) return next();
    // As under app.use('/css', ...): the handler sees the path inside its folder.
    const original = req.url;
    req.url = url.slice(slash);
    handler(req, res, (err?: unknown) => {
      req.url = original;
      next(err);
    });
  };
}

/** Writing an article can post long Markdown; every other form stays small. */
const LONG_FORMS = [/^\/write\/?$/, /^\/articles\/[^/]+\/edit\/?$/];

/** Parses url-encoded form bodies of requests that can have one; GET and HEAD go straight on. */
export function formBodies(): RequestHandler {
  const long = express.urlencoded({ extended: false, limit: '512kb' });
  const short = express.urlencoded({ extended: false, limit: '16kb' });
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    const parse = LONG_FORMS.some((re) => re.test(req.path)) ? long : short;
    parse(req, res, next);
  };
}
