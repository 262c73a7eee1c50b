import express, { type RequestHandler } from 'express';
import request from 'supertest';
import { inSequence } from '../../src/web/in-sequence';

function appWith(handler: RequestHandler) {
  const app = express();
  app.use(handler);
  app.get('/', (_req, res) => res.send(`reached ${res.locals.trail ?? ''}`));
  app.use(((err, _req, res, _next) => res.status(500).send(`error: ${(err as Error).message}`)) as express.ErrorRequestHandler);
  return app;
}
const mark =
  (name: string): RequestHandler =>
  (_req, res, next) => {
    res.locals.trail = `${res.locals.trail ?? ''}${name}`;
    next();
  };

test('runs every step in order, then the routes', async () => {
  const later: RequestHandler = (_req, res, next) => void setImmediate(() => mark('b')(_req, res, next));
  expect((await request(appWith(inSequence(mark('a'), later, mark('c')))).get('/')).text).toBe('reached abc');
});

test('a step that answers ends the request; the rest do not run', async () => {
  const answers: RequestHandler = (_req, res) => void res.send('answered');
  const res = await request(
    appWith(
      inSequence(mark('a'), answers, () => {
        throw new Error('must not run');
      }),
    ),
  ).get('/');
  expect(res.text).toBe('answered');
});

test('an error passed on, thrown or rejected skips the rest and reaches the error handler', async () => {
  const passes: RequestHandler = (_req, _res, next) => next(new Error('passed'));
  const throws: RequestHandler = () => {
    throw new Error('thrown');
  };
  const rejects: RequestHandler = async () => {
    throw new Error('rejected');
  };
  for (const [h, msg] of [
    [passes, 'passed'],
    [throws, 'thrown'],
    [rejects, 'rejected'],
  ] as const) {
    const res = await request(appWith(inSequence(mark('a'), h, mark('z')))).get('/');
    expect(res.status).toBe(500);
    expect(res.text).toBe(`error: ${msg}`);
  }
});
