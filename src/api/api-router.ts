/**
 * The API's own plumbing: CORS for reads, the index and the OpenAPI document, 405 for other methods
 * on known paths, a problem 404 for unknown ones, and the error handler (which the app mounts at
 * /api after the layers before the API too, src/app.ts). The URLs are in the route table.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../lib/logger';
import { ApiProblem, createApiErrorHandler, notFound } from './problem';
import { openApiDocument } from './openapi';
import { setHeaders, type HeaderList } from '../web/security';

/** Paths under /api that exist (for 405). */
export const API_PATHS = [
  '/api/v1',
  '/api/v1/openapi.json',
  '/api/v1/articles',
  '/api/v1/articles/:id',
  '/api/v1/articles/:id/content',
  '/api/v1/writers',
  '/api/v1/writers/:username',
];

/** CORS for reads, on every API answer. */
const CORS_HEADERS: HeaderList = [
  ['Access-Control-Allow-Origin', '*'],
  ['Access-Control-Expose-Headers', 'WWW-Authenticate, ETag, Retry-After, Link'],
  // helmet says same-origin for the site's pages; the API is meant to be read from anywhere.
  ['Cross-Origin-Resource-Policy', 'cross-origin'],
];

export interface ApiBasics {
  cors: RequestHandler;
  index: RequestHandler;
  openapi: RequestHandler;
  methodNotAllowed: RequestHandler;
  notFound: RequestHandler;
  errorHandler: ErrorRequestHandler;
}

export function createApiBasics(deps: { publicUrl: string; siteName: string; logger: Logger }): ApiBasics {
  const base = deps.publicUrl;
  const doc = JSON.stringify(openApiDocument(base, deps.siteName));
  return {
    /** Reads may be made from any origin; no cookies are involved, so `*` gives nothing away. */
    cors(req, res, next) {
      setHeaders(res, CORS_HEADERS);
      if (req.method !== 'OPTIONS') return next();
      res.set({
        'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
        'Access-Control-Allow-Headers': 'Authorization, Accept, If-None-Match, Content-Type',
        'Access-Control-Max-Age': '600',
      });
      res.status(204).end();
    },
    index(_req, res) {
      res.set('Cache-Control', 'public, max-age=300').json({
        name: `${deps.siteName} API`,
        openapi: `${base}/api/v1/openapi.json`,
        articles: `${base}/api/v1/articles`,
        writers: `${base}/api/v1/writers`,
        llms: `${base}/llms.txt`,
        payment:
          'GET /api/v1/articles/{id}/content answers 402 with an L402 challenge; pay the invoice and retry with Authorization: L402 <token>:<preimage hex>.',
      });
    },
    openapi(_req, res) {
      res.set('Cache-Control', 'public, max-age=300').type('application/json').send(doc);
    },
    methodNotAllowed(req, _res, next) {
      next(
        new ApiProblem(405, 'method_not_allowed', 'Method not allowed', `${req.method} is not allowed here; this API only reads (GET).`, {
          Allow: 'GET, HEAD, OPTIONS',
        }),
      );
    },
    notFound(_req, _res, next) {
      next(notFound());
    },
    errorHandler: createApiErrorHandler(deps.logger),
  };
}
