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
  app.get('/callback', (_req, res) =>
    res.render('page', { title: 't', word: 'cb' }, (err, html) => res.type('text').send(`${err ? 'error' : 'ok'}:${html?.length ?? 0}`)),
  );
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

test("a name one view declares is that view's own: another view still reads it from its locals", async () => {
  // The trap this guards: with one list of names for every view, `<% const user = 1 %>` in one view
  // removed `user` from every view's locals, and each page that read it broke.
  fs.writeFileSync(path.join(dir, 'declares.ejs'), '<% const user = 1; %><p><%= user %></p>');
  fs.writeFileSync(path.join(dir, 'reads.ejs'), '<p><%= user.name %></p>');
  const views = createViews({ viewsDir: dir, cache: true, locals: {} });
  const app = express();
  app.use(views.middleware);
  app.get('/declares', (_req, res) => res.render('declares', { user: { name: 'ignored' } }));
  app.get('/reads', (_req, res) => res.render('reads', { user: { name: 'Ada' } }));
  expect((await request(app).get('/declares')).text).toBe('<body><p>1</p></body>');
  expect((await request(app).get('/reads')).text).toBe('<body><p>Ada</p></body>');
});

test("an included view is compiled with its own names and gets the page's values plus what the include passes", async () => {
  fs.writeFileSync(path.join(dir, 'panel.ejs'), "<% const label = heading + '!'; %><h2><%= label %> <%= title %></h2>");
  fs.writeFileSync(
    path.join(dir, 'outer.ejs'),
    "<% const title = 'own'; %><%- include('/panel', { heading: 'Pay' }) %><i><%= title %></i>",
  );
  const views = createViews({ viewsDir: dir, cache: false, locals: {} });
  const app = express();
  app.use(views.middleware);
  app.get('/outer', (_req, res) => res.render('outer', { title: 'page title' }));
  expect((await request(app).get('/outer')).text).toBe('<body><h2>Pay! page title</h2><i>own</i></body>');
});
