/**
 * A POST's redirect waits for its changed session to be stored (src/web/session-before-redirect.ts):
 * a real express-session over a store whose set() the test holds; while it is held, no header of
 * the redirect may have gone out.
 */
import express, { type Response } from 'express';
import session from 'express-session';
import request from 'supertest';
import { sessionBeforeRedirect } from '../../src/web/session-before-redirect';

declare module 'express-session' {
  interface SessionData {
    note?: string;
  }
}

/** A MemoryStore whose writes report whether the response's headers had gone out by the next turn. */
class HeldStore extends session.MemoryStore {
  sets = 0;
  headersSentWhileStoring: boolean[] = [];
  current: Response | null = null;
  override set(sid: string, data: session.SessionData, cb?: (err?: unknown) => void): void {
    this.sets += 1;
    const res = this.current;
    setImmediate(() => {
      this.headersSentWhileStoring.push(res?.headersSent ?? false);
      super.set(sid, data, cb);
    });
  }
}

function appWith(store: HeldStore, withMiddleware: boolean) {
  const app = express();
  app.use((_req, res, next) => {
    store.current = res;
    next();
  });
  app.use(session({ secret: 'test', resave: false, saveUninitialized: false, store }));
  if (withMiddleware) app.use(sessionBeforeRedirect());
  app.use(express.urlencoded({ extended: false }));
  app.post('/note', (req, res) => {
    req.session.note = String(req.body.text);
    res.redirect(303, '/next');
  });
  app.post('/nothing', (_req, res) => res.redirect(303, '/next'));
  app.get('/next', (req, res) => res.send(req.session.note ?? 'none'));
  return app;
}

test('the redirect of a POST that changed the session goes out only once the session is stored', async () => {
  const store = new HeldStore();
  const agent = request.agent(appWith(store, true));
  const posted = await agent.post('/note').type('form').send({ text: 'hidden' });
  expect(posted.status).toBe(303);
  expect(store.sets).toBe(1);
  expect(store.headersSentWhileStoring).toEqual([false]);
  expect((await agent.get('/next')).text).toBe('hidden');
});

test('without it, express-session sends the headers while the store is still writing (why it exists)', async () => {
  const store = new HeldStore();
  await request(appWith(store, false)).post('/note').type('form').send({ text: 'x' });
  expect(store.headersSentWhileStoring).toEqual([true]);
});

test('a POST that leaves the session empty stores nothing, as saveUninitialized: false says', async () => {
  const store = new HeldStore();
  const res = await request(appWith(store, true)).post('/nothing');
  expect(res.status).toBe(303);
  expect(res.headers['set-cookie']).toBeUndefined();
  expect(store.sets).toBe(0);
});
