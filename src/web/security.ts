/**
 * Security headers and the Origin rule.
 *
 * The Content-Security-Policy allows scripts and styles from this site only (the views have no
 * inline script and no inline event handlers), no plugins, no framing, no <base> and forms that post
 * only here. `img-src data:` is for small inline images; the invoice QR is inline SVG markup.
 */
import helmet from 'helmet';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ForbiddenError } from './errors';

export function securityHeaders(options: { hsts: boolean }): RequestHandler {
  return onceForAll(helmetFor(options));
}

/**
 * helmet's headers here depend on nothing in the request (no nonces): they are worked out once, at
 * start, by running helmet against a recorder, and each response gets the recorded list. helmet
 * would otherwise rebuild the Content-Security-Policy and walk its eleven middlewares per request.
 * If helmet ever needs more than setHeader/removeHeader, or answers later, it runs per request.
 */
export function onceForAll(middleware: RequestHandler): RequestHandler {
  const set: Array<[string, string]> = [];
  const removed: string[] = [];
  let done = false;
  try {
    const recorder = {
      setHeader: (name: string, value: unknown) => void set.push([name, String(value)]),
      removeHeader: (name: string) => void removed.push(name),
    };
    void middleware({ method: 'GET', headers: {} } as Request, recorder as unknown as Response, (err?: unknown) => {
      done = err === undefined;
    });
  } catch {
    done = false;
  }
  if (!done) return middleware;
  const setAll = fixedHeaders(set);
  if (removed.length === 0) return setAll;
  return (req, res, next) => {
    for (const name of removed) res.removeHeader(name);
    setAll(req, res, next);
  };
}

/**
 * The JSON API's headers, as the OWASP REST Security Cheat Sheet lists them for API responses: a
 * Content-Security-Policy under which a response loads nothing and is framed nowhere, nosniff,
 * DENY framing and no referrer; HSTS where the site is served over HTTPS. helmet's other headers
 * (cross-origin isolation, DNS prefetch, download options) are about HTML pages. Worked out once.
 */
export function apiSecurityHeaders(options: { hsts: boolean }): RequestHandler {
  return fixedHeaders([
    ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
    ['X-Content-Type-Options', 'nosniff'],
    ['X-Frame-Options', 'DENY'],
    ['Referrer-Policy', 'no-referrer'],
    ...(options.hsts ? [['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'] as [string, string]] : []),
  ]);
}

/** A list of headers worked out once, set on a response. */
export type HeaderList = ReadonlyArray<readonly [string, string]>;

export function setHeaders(res: Response, headers: HeaderList): void {
  for (const [name, value] of headers) res.setHeader(name, value);
}

/** Sets the same headers on every response. */
export function fixedHeaders(headers: HeaderList): RequestHandler {
  return (_req, res, next) => {
    setHeaders(res, headers);
    next();
  };
}

export function helmetFor(options: { hsts: boolean }): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    // HSTS only where the site is served over HTTPS (production); on http://localhost it would
    // make browsers refuse the development site.
    strictTransportSecurity: options.hsts ? { maxAge: 15_552_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses a state-changing request whose Origin (or, without one, Referer) names another site:
 * a second line behind the CSRF token. Requests with neither header (curl, old clients) are left
 * to the token check. `allowedOrigins` are scheme://host[:port] strings; the request's own Host
 * always counts as allowed.
 */
export function sameOriginOnly(allowedOrigins: string[]) {
  const allowed = new Set(allowedOrigins.map((o) => o.replace(/\/+$/, '').toLowerCase()));
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.get('origin') ?? refererOrigin(req.get('referer'));
    if (origin === undefined) return next();
    const own = `${req.protocol}://${req.get('host') ?? ''}`.toLowerCase();
    const o = origin.toLowerCase();
    if (o === own || allowed.has(o)) return next();
    next(new ForbiddenError('This request came from another site and was refused.'));
  };
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return 'invalid';
  }
}
