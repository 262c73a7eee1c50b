import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { createViews } from '../../src/web/views';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'views-'));
  fs.mkdirSync(path.join(dir, 'partials'));
  fs.writeFileSync(path.join(dir, 'partials', 'head.ejs'), '<title><%= title %> · <%= siteName %></title>');
  fs.writeFileSync(path.join(dir, 'partials', 'header.ejs'), '<body>');
  fs.writeFileSync(path.join(dir, 'partials', 'footer.ejs'), '</body>');
  fs.writeFileSync(path.join(dir, 'page.ejs'), "<%- include('/partials/head') %><p><%= who %> <%= shout(word) %></p>");
  fs.writeFileSync(path.join(dir, 'broken.ejs'), '<p><%= missing.property %></p>');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function appWith(cache: boolean) {
  const views = createViews({ viewsDir: dir, cache, locals: { siteName: 'Site', shout: (s: string) => s.toUpperCase(), who: 'helper' } });
  const app = express();
  app.use(views.middleware);
  app.use((_req, res, next) => {
    res.locals.who = 'reader';
    next();
  });
  app.get('/page', (_req, res) => res.render('page', { title: 'A <page>', word: 'hi' }));
  app.get('/own', (_req, res) => res.render('page', { title: 't', word: 'w', who: 'page' }));
  app.get('/callback', (_req, res) => res.render('page', { title: 't', word: 'cb' }, (err, html) => res.type('text').send(`${err ? 'error' : 'ok'}:${html?.length ?? 0}`)));
  app.get('/broken', (_req, res) => res.render('broken'));
  app.use(((err, _req, res, _next) => res.status(500).send(`handled: ${err instanceof Error}`)) as express.ErrorRequestHandler);
  return app;
}

test('a page gets the helpers, res.locals and its own values, in that order of precedence, escaped, between header and footer', async () => {
  const app = appWith(true);
  expect((await request(app).get('/page')).text).toBe('<body><title>A &lt;page&gt; · Site</title><p>reader HI</p></body>');
  expect((await request(app).get('/own')).text).toContain('<p>page W</p>');
  expect((await request(app).get('/callback')).text).toMatch(/^ok:\d+$/);
});

test('a view that fails goes to the error handler', async () => {
  const res = await request(appWith(true)).get('/broken');
  expect(res.status).toBe(500);
  expect(res.text).toBe('handled: true');
});

test('with cache on a view is compiled once; with cache off an edit shows on the next render', async () => {
  const cached = appWith(true);
  const fresh = appWith(false);
  await request(cached).get('/page');
  fs.writeFileSync(path.join(dir, 'page.ejs'), '<p>edited</p>');
  expect((await request(cached).get('/page')).text).toContain('reader HI');
  expect((await request(fresh).get('/page')).text).toBe('<body><p>edited</p></body>');
});
