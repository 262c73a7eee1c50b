import request from 'supertest';
import { createPaymentsRepo } from '../../src/payments/payments-repo';
import { startTestSite, loggedInAgent, csrfFrom, articleBody, type TestSite } from '../helpers/site';

let site: TestSite;
beforeAll(async () => {
  site = await startTestSite();
});
afterAll(() => site.close());

const noStackTrace = (html: string) => expect(html).not.toMatch(/at [\w.<>]+ \(|node_modules|\.ts:\d+/);

describe('home page', () => {
  test('lists the visible articles newest first with price, paid views and age', async () => {
    const res = await request(site.app).get('/');
    expect(res.status).toBe(200);
    const rows = await site
      .knex('articles')
      .where({ status: 'published' })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]);
    expect(rows.length).toBeGreaterThanOrEqual(10);
    const positions = rows.map((r) => res.text.indexOf(`href="/articles/${r.id}"`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(res.text).toContain(`${rows[0].price_sat.toLocaleString('en-US')} sats`);
    expect(res.text).toMatch(/0 paid views/);
    expect(res.text).toMatch(/\d+ days? ago|hour/);
  });
});

describe('errors are pages', () => {
  test.each(['abc', '0', '-1', '1.5', '99999999999999999999', '123456789', '1%27%20OR%201=1'])(
    'article id %s is a 404 page',
    async (id) => {
      const res = await request(site.app).get(`/articles/${id}`);
      expect(res.status).toBe(404);
      expect(res.text).toContain('Page not found');
      noStackTrace(res.text);
    },
  );

  test('an unknown path is a 404 page', async () => {
    const res = await request(site.app).get('/no/such/page');
    expect(res.status).toBe(404);
    expect(res.text).toContain('Back to the articles');
  });

  test('an oversized form is refused with 413 and no stack trace', async () => {
    const res = await request(site.app)
      .post('/login')
      .type('form')
      .send({ username: 'x'.repeat(40_000), password: 'y' });
    expect(res.status).toBe(413);
    noStackTrace(res.text);
  });
});

describe('accounts', () => {
  test('a wrong password and an unknown user get the same generic message', async () => {
    const agent = request.agent(site.app);
    const csrf = csrfFrom((await agent.get('/login')).text);
    const wrong = await agent.post('/login').type('form').send({ username: 'alice', password: 'not-her-password', _csrf: csrf });
    const unknown = await agent.post('/login').type('form').send({ username: 'nobody-here', password: 'whatever-pass', _csrf: csrf });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.text).toContain('Invalid username or password.');
    expect(unknown.text).toContain('Invalid username or password.');
    expect(wrong.text).not.toContain('Signed in as');
  });

  test('signing up creates a reader with a bcrypt hash and logs them in', async () => {
    const agent = request.agent(site.app);
    const csrf = csrfFrom((await agent.get('/signup')).text);
    const res = await agent
      .post('/signup')
      .type('form')
      .send({ username: 'carol', password: 'carol-password', passwordConfirm: 'carol-password', _csrf: csrf });
    expect(res.status).toBe(302);
    const user = await site.knex('users').where({ username: 'carol' }).first();
    expect(user.role).toBe('reader');
    expect(user.password_hash).toMatch(/^\$2[aby]\$\d\d\$/);
    expect((await agent.get('/')).text).toContain('Signed in as <strong>carol</strong>');
  });

  test('sign-up refuses a taken name (any case), a short password and one over 72 bytes, and creates nothing', async () => {
    const agent = request.agent(site.app);
    const csrf = csrfFrom((await agent.get('/signup')).text);
    const before = await site.knex('users').count('* as n').first();
    const taken = await agent
      .post('/signup')
      .type('form')
      .send({ username: 'ALICE', password: 'long-enough-1', passwordConfirm: 'long-enough-1', _csrf: csrf });
    expect(taken.status).toBe(422);
    expect(taken.text).toContain('That username is taken');
    const short = await agent
      .post('/signup')
      .type('form')
      .send({ username: 'dave', password: 'short', passwordConfirm: 'short', _csrf: csrf });
    expect(short.text).toContain('at least 8');
    const long = 'é'.repeat(37); // 74 bytes, 37 characters
    const tooLong = await agent.post('/signup').type('form').send({ username: 'dave', password: long, passwordConfirm: long, _csrf: csrf });
    expect(tooLong.text).toContain('at most 72 bytes');
    expect(await site.knex('users').count('* as n').first()).toEqual(before);
  });

  test('no session before login; a session id at login, forgotten at logout', async () => {
    const agent = request.agent(site.app);
    const page = await agent.get('/login');
    // An anonymous form is protected by a signed cookie, not a stored session.
    const before = /paywall\.sid=([^;]+)/.exec(String(page.headers['set-cookie']))?.[1];
    expect(before).toBeUndefined();
    const login = await agent
      .post('/login')
      .type('form')
      .send({ username: 'bob', password: 'bob-password', _csrf: csrfFrom(page.text) });
    const during = /paywall\.sid=([^;]+)/.exec(String(login.headers['set-cookie']))![1];
    expect(during).not.toBe(before);
    expect(String(login.headers['set-cookie'])).toMatch(/HttpOnly/i);
    expect(String(login.headers['set-cookie'])).toMatch(/SameSite=Lax/i);
    const home = await agent.get('/');
    const logout = await agent
      .post('/logout')
      .type('form')
      .send({ _csrf: csrfFrom(home.text) });
    expect(logout.status).toBe(302);
    const after = /paywall\.sid=([^;]+)/.exec(String(logout.headers['set-cookie']));
    if (after) expect(after[1]).not.toBe(during);
    expect((await agent.get('/')).text).not.toContain('Signed in as');
  });

  test('login only returns to paths on this site', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      const agent = request.agent(site.app);
      const csrf = csrfFrom((await agent.get('/login')).text);
      const res = await agent.post('/login').type('form').send({ username: 'bob', password: 'bob-password', _csrf: csrf, next });
      expect(res.headers.location).toBe('/');
    }
  });
});

describe('CSRF', () => {
  test('a form posted without a valid token gets 403 and changes nothing', async () => {
    const admin = await loggedInAgent(site.app, 'admin');
    const article = await site.knex('articles').where({ status: 'published' }).first();
    const none = await admin.post(`/admin/articles/${article.id}/hide`).type('form').send({});
    const forged = await admin.post(`/admin/articles/${article.id}/hide`).type('form').send({ _csrf: 'forged-token' });
    expect(none.status).toBe(403);
    expect(forged.status).toBe(403);
    expect(none.text).toContain('Form expired');
    expect((await site.knex('articles').where({ id: article.id }).first()).status).toBe('published');

    const signup = await request(site.app)
      .post('/signup')
      .type('form')
      .send({ username: 'mallory', password: 'mallory-pass', passwordConfirm: 'mallory-pass' });
    expect(signup.status).toBe(403);
    expect(await site.knex('users').where({ username: 'mallory' }).first()).toBeUndefined();
  });
});

describe('admin moderation', () => {
  test('anonymous visitors are sent to log in, readers get 403', async () => {
    const anon = await request(site.app).get('/admin');
    expect(anon.status).toBe(302);
    expect(anon.headers.location).toBe('/login?next=%2Fadmin');
    const reader = await loggedInAgent(site.app, 'alice');
    const res = await reader.get('/admin');
    expect(res.status).toBe(403);
    expect(res.text).toContain('Only admins');
    const post = await reader
      .post('/admin/articles/1/hide')
      .type('form')
      .send({ _csrf: csrfFrom((await reader.get('/')).text) });
    expect(post.status).toBe(403);
  });

  test('an admin sees every article with status, views and revenue, hides one and restores it; its payments stay', async () => {
    const admin = await loggedInAgent(site.app, 'admin');
    const article = await site.knex('articles').where({ status: 'published' }).orderBy('id', 'desc').first();
    const alice = await site.knex('users').where({ username: 'alice' }).first();
    // A complete view payment, recorded through the repository as the payments service does.
    const repo = createPaymentsRepo(site.knex);
    const payment = await repo.findOrCreate({ userId: alice.id, articleId: article.id, purpose: 'view', amountSat: article.price_sat });
    await repo.attachInvoice(payment.id, {
      paymentHash: 'ab'.repeat(32),
      paymentRequest: 'lnbcrt1test',
      expiresAt: new Date(Date.now() + 60_000),
    });
    expect(await repo.markComplete(payment.id, 'ab'.repeat(32), { amountPaidSat: article.price_sat, settledAt: new Date() })).toBe(true);

    const page = await admin.get('/admin');
    expect(page.status).toBe(200);
    const row = page.text.split('<tr>').find((r) => r.includes(`/articles/${article.id}"`))!;
    expect(row).toContain('published');
    expect(row).toContain(`${article.price_sat.toLocaleString('en-US')} sats`);
    expect(row).toMatch(/<td class="num" data-label="Views">1<\/td>/);

    const hide = await admin
      .post(`/admin/articles/${article.id}/hide`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(hide.status).toBe(302);
    expect((await site.knex('articles').where({ id: article.id }).first()).status).toBe('deleted by admin');

    const home = await request(site.app).get('/');
    expect(home.text).not.toContain(`href="/articles/${article.id}"`);
    expect((await request(site.app).get(`/articles/${article.id}`)).status).toBe(404);
    const reader = await loggedInAgent(site.app, 'alice');
    const hidden = await reader.get(`/articles/${article.id}`);
    expect(hidden.status).toBe(404);
    expect(articleBody(hidden.text)).toBeNull();
    expect(await site.knex('payments').where({ article_id: article.id }).count('* as n').first()).toEqual({ n: 1 });

    const listed = await admin.get('/admin');
    expect(listed.text.split('<tr>').find((r) => r.includes(`/articles/${article.id}"`))).toContain('deleted by admin');
    await admin
      .post(`/admin/articles/${article.id}/restore`)
      .type('form')
      .send({ _csrf: csrfFrom(listed.text) });
    expect((await site.knex('articles').where({ id: article.id }).first()).status).toBe('published');
    expect((await reader.get(`/articles/${article.id}`)).status).toBe(200);
  });
});
