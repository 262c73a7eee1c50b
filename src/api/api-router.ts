/**
 * Everything under /api (and /llms.txt): CORS for reads, the routes, 405 for other methods on
 * known paths, a problem 404 for unknown ones. The error handler is returned apart, because the
 * app mounts it at /api after the layers before the API too (src/app.ts).
 */
import { Router, type ErrorRequestHandler, type RequestHandler } from 'express';
import type { Logger } from '../logger';
import { ApiProblem, createApiErrorHandler, notFound } from './problem';
import { openApiDocument } from './openapi';

export const API_PATHS = ['/api/v1', '/api/v1/openapi.json', '/api/v1/articles', '/api/v1/articles/:id', '/api/v1/articles/:id/content', '/api/v1/writers', '/api/v1/writers/:username'];

/** Reads may be made from any origin; no cookies are involved, so `*` gives nothing away. */
const cors: RequestHandler = (req, res, next) => {
  res.set({
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Expose-Headers': 'WWW-Authenticate, ETag, Retry-After, Link',
    // helmet says same-origin for the site's pages; the API is meant to be read from anywhere.
    'Cross-Origin-Resource-Policy': 'cross-origin',
  });
  if (req.method !== 'OPTIONS') return next();
  res.set({
    'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
    'Access-Control-Allow-Headers': 'Authorization, Accept, If-None-Match, Content-Type',
    'Access-Control-Max-Age': '600',
  });
  res.status(204).end();
};

export function createApiRouter(deps: { routes: Router[]; publicUrl: string; siteName: string; logger: Logger }): { router: Router; errorHandler: ErrorRequestHandler } {
  const router = Router();
  const base = deps.publicUrl;
  router.use('/api', cors);
  const doc = JSON.stringify(openApiDocument(base, deps.siteName));
  router.get('/api/v1', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json({
      name: `${deps.siteName} API`,
      openapi: `${base}/api/v1/openapi.json`,
      articles: `${base}/api/v1/articles`,
      writers: `${base}/api/v1/writers`,
      llms: `${base}/llms.txt`,
      payment: 'GET /api/v1/articles/{id}/content answers 402 with an L402 challenge; pay the invoice and retry with Authorization: L402 <token>:<preimage hex>.',
    });
  });
  router.get('/api/v1/openapi.json', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').type('application/json').send(doc);
  });
  for (const r of deps.routes) router.use(r);
  router.all(API_PATHS, (req, _res, next) => {
    next(new ApiProblem(405, 'method_not_allowed', 'Method not allowed', `${req.method} is not allowed here; this API only reads (GET).`, { Allow: 'GET, HEAD, OPTIONS' }));
  });
  router.use('/api', (_req, _res, next) => next(notFound()));
  return { router, errorHandler: createApiErrorHandler(deps.logger) };
}
