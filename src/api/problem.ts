/**
 * RFC 9457 problem details for everything under /api: every error a client of the API can get is
 * `application/problem+json` with a stable `code`, never an HTML page and never a stack trace.
 */
import type { ErrorRequestHandler, Request, Response } from 'express';
import { HttpError } from '../web/errors';
import { isDatabaseUnavailable } from '../db/db-errors';
import { isLightningError } from '../lightning/types';
import type { Logger } from '../lib/logger';

/** An error a route throws to answer with a problem; services never throw it. */
export class ApiProblem extends Error {
  override readonly name = 'ApiProblem';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail: string,
    readonly headers: Record<string, string | string[]> = {},
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

export const notFound = (detail = 'There is nothing at this address.') => new ApiProblem(404, 'not_found', 'Not found', detail);

export const badParameter = (name: string, detail: string) =>
  new ApiProblem(400, 'invalid_parameter', 'Invalid parameter', detail, {}, { parameter: name });

export function sendProblem(req: Request, res: Response, p: ApiProblem): void {
  res.status(p.status);
  for (const [name, value] of Object.entries(p.headers)) res.append(name, value);
  if (!res.get('Cache-Control')) res.set('Cache-Control', 'no-store');
  res.type('application/problem+json; charset=utf-8').send(
    JSON.stringify({
      type: `/api/v1/problems/${p.code}`,
      title: p.title,
      status: p.status,
      detail: p.detail,
      code: p.code,
      instance: req.originalUrl,
      ...p.extra,
    }),
  );
}

/** What any error means for an API client. */
export function problemFor(err: unknown): ApiProblem {
  if (err instanceof ApiProblem) return err;
  if (isLightningError(err)) {
    // Whatever the node answered (down, locked, an invoice it does not know): never a 500.
    return new ApiProblem(
      503,
      'node_unavailable',
      'Payments unavailable',
      'The Lightning node cannot be reached right now. Nothing was charged. Try again in a minute.',
      { 'Retry-After': '30' },
    );
  }
  if (isDatabaseUnavailable(err)) {
    return new ApiProblem(
      503,
      'database_unavailable',
      'Temporarily unavailable',
      'The site cannot reach its database right now. Nothing was changed. Try again in a minute.',
      { 'Retry-After': '30' },
    );
  }
  if (err instanceof HttpError) {
    return new ApiProblem(
      err.status,
      err.status === 404 ? 'not_found' : err.status === 403 ? 'forbidden' : 'http_error',
      err.title,
      err.message,
    );
  }
  const status = (err as { status?: unknown } | null)?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // body-parser and friends: malformed, too large, unsupported.
    return new ApiProblem(
      status,
      status === 413 ? 'too_large' : 'bad_request',
      status === 413 ? 'Too large' : 'Bad request',
      'The request could not be understood.',
    );
  }
  return new ApiProblem(
    500,
    'internal_error',
    'Something went wrong',
    'An unexpected error happened on our side. Please try again in a moment.',
  );
}

/** The API's one error handler: mounted at /api, it also answers errors of the layers before it. */
export function createApiErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const p = problemFor(err);
    const log: Logger = res.locals.log ?? logger;
    if (p.status >= 500 && p.code !== 'internal_error')
      log.warn('api request failed', { method: req.method, path: req.path, code: p.code, error: err });
    else if (p.status >= 500)
      log.error('api request failed', { method: req.method, path: req.path, error: err, stack: (err as Error)?.stack });
    if (res.headersSent) return;
    sendProblem(req, res, p);
  };
}
