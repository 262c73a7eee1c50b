/**
 * Security headers and the Origin rule.
 *
 * The Content-Security-Policy allows scripts and styles from this site only (the views have no
 * inline script and no inline event handlers), no plugins, no framing, no <base> and forms that post
 * only here. `img-src data:` is for small inline images; the invoice QR is inline SVG markup.
 */
import helmet from 'helmet';
import type { NextFunction, Request, Response } from 'express';
import { ForbiddenError } from '../errors';

export function securityHeaders(options: { hsts: boolean }) {
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
