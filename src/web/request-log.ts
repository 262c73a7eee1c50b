/**
 * Gives every request an id (a sane incoming X-Request-Id is kept, so a proxy's id follows the
 * request), sends it back as X-Request-Id, hangs a child logger carrying it on res.locals.log, and
 * logs one line per answered request. Only method, matched route, path and status are logged:
 * never the query string, headers or cookies (they can carry session ids and tokens).
 * Counted in the metrics too, when given.
 */
import crypto from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../lib/logger';
import type { Metrics } from '../ops/metrics';

const SANE_ID = /^[A-Za-z0-9._-]{8,64}$/;

export function routeLabel(req: Request): string {
  const route = (req.route as { path?: unknown } | undefined)?.path;
  return typeof route === 'string' ? `${req.baseUrl}${route}` : 'unmatched';
}

export function requestLog(logger: Logger, metrics?: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const incoming = req.get('x-request-id');
    const id = incoming && SANE_ID.test(incoming) ? incoming : crypto.randomUUID();
    const log = logger.child({ reqId: id });
    res.locals.requestId = id;
    res.locals.log = log;
    res.setHeader('X-Request-Id', id);
    const started = performance.now();
    res.on('finish', () => {
      const seconds = (performance.now() - started) / 1000;
      const route = routeLabel(req);
      metrics?.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      metrics?.httpDuration.observe({ method: req.method, route }, seconds);
      const path = req.originalUrl.split('?')[0];
      if (path.startsWith('/css/') || path.startsWith('/js/')) return;
      log.request({ method: req.method, path, route, status: res.statusCode, ms: Math.round(seconds * 1000) });
    });
    next();
  };
}
