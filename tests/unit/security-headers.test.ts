/** The security headers worked out once give every response exactly what helmet itself would. */
import express, { type RequestHandler } from 'express';
import request from 'supertest';
import { helmetFor, onceForAll, securityHeaders } from '../../src/web/security';

async function headersOf(middleware: RequestHandler, preset: Record<string, string> = {}) {
  const app = express();
  app.use((_req, res, next) => {
    for (const [k, v] of Object.entries(preset)) res.setHeader(k, v);
    next();
  });
  app.use(middleware);
  app.get('/', (_req, res) => res.send('ok'));
  const res = await request(app).get('/');
  const { date: _date, etag: _etag, ...rest } = res.headers;
  return rest;
}

test.each([true, false])('with HSTS %s: the same headers as helmet run per request', async (hsts) => {
  const once = await headersOf(securityHeaders({ hsts }));
  expect(once).toEqual(await headersOf(helmetFor({ hsts })));
  expect(once['content-security-policy']).toContain("frame-ancestors 'none'");
  expect('strict-transport-security' in once).toBe(hsts);
});

test('a header helmet removes is removed from every response', async () => {
  const once = await headersOf(securityHeaders({ hsts: false }), { 'X-Powered-By': 'something' });
  expect(once['x-powered-by']).toBeUndefined();
});

test('a middleware that answers later, or reads the request, is left to run per request', () => {
  const later: RequestHandler = (_req, _res, next) => void setImmediate(next);
  expect(onceForAll(later)).toBe(later);
  const reads: RequestHandler = (req, res, next) => {
    res.setHeader('X-Path', req.path.toUpperCase());
    next();
  };
  expect(onceForAll(reads)).toBe(reads);
});
