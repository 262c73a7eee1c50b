/**
 * Attacks and bad input, each answered the way a careful site answers it: headers, CSRF and
 * foreign origins, login throttling, hostile input (XSS, SQL injection, huge bodies, open
 * redirects), access control, and pages that never show an internal message.
 */
import request from 'supertest';
import { startTestSite, csrfFrom, loggedInAgent, type TestSite } from '../helpers/site';
import { adminArticles } from '../helpers/db-probes';

let site: TestSite;
let articleId: number;

beforeAll(async () => {
  site = await startTestSite({
    // Failed-login counts in PostgreSQL, as every worker of a cluster keeps them.
    sharing: 'shared',
    metricsAccess: { public: false, token: null },
  });
  articleId = (await adminArticles(site.knex))[0].id;
});
afterAll(() => site.close());

/** A fresh agent with the login form's CSRF token. */
async function loginForm() {
  const agent = request.agent(site.app);
  const page = await agent.get('/login');
  return { agent, csrf: csrfFrom(page.text) };
}

const STACK_LINE = /\n\s+at [\w.<>]+ \(|node_modules|\/src\/|Error: /;

describe('headers and cookies', () => {
  test('pages carry a strict Content-Security-Policy and no X-Powered-By', async () => {
    const res = await request(site.app).get('/');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    // No inline script in what we serve, so the policy costs nothing.
    expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  test('an anonymous form gets a signed CSRF cookie, no session; the session cookie comes at login, HttpOnly and SameSite=Lax', async () => {
    const agent = request.agent(site.app);
    const res = await agent.get('/login');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^paywall\.csrf=[\w-]+\.[\w-]+; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(cookie).not.toContain('paywall.sid');
    const login = await agent
      .post('/login')
      .type('form')
      .send({ username: 'bob', password: 'bob-password', _csrf: csrfFrom(res.text) });
    const sessionCookie = String(login.headers['set-cookie']);
    expect(sessionCookie).toMatch(/paywall\.sid=/);
    expect(sessionCookie).toContain('HttpOnly');
    expect(sessionCookie).toContain('SameSite=Lax');
    expect(sessionCookie).not.toContain('connect.sid');
  });
});

test('in production the cookie is Secure and HSTS is on (behind a TLS proxy)', async () => {
  const production = await startTestSite({ secureCookies: true });
  try {
    const res = await request(production.app).get('/login').set('X-Forwarded-Proto', 'https');
    expect(String(res.headers['set-cookie'])).toMatch(/^paywall\.csrf=.*; Secure/);
    // The test client keeps cookies over http; a browser would send them back over https.
    const csrfCookie = String(res.headers['set-cookie']).split(';')[0];
    const login = await request(production.app)
      .post('/login')
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', csrfCookie)
      .type('form')
      .send({ username: 'bob', password: 'bob-password', _csrf: csrfFrom(res.text) });
    expect(login.status).toBe(302);
    expect(String(login.headers['set-cookie'])).toMatch(/paywall\.sid=[^;]+;.*Secure/);
    expect(res.headers['strict-transport-security']).toContain('max-age=');
  } finally {
    await production.close();
  }
});

describe('forged requests', () => {
  test('a login posted from another site is refused (403) even with a valid token', async () => {
    const { agent, csrf } = await loginForm();
    const res = await agent
      .post('/login')
      .set('Origin', 'https://evil.example')
      .type('form')
      .send({ username: 'alice', password: 'alice-password', _csrf: csrf });
    expect(res.status).toBe(403);
    expect(res.text).toContain('came from another site');
    const home = await agent.get('/');
    expect(home.text).not.toContain('Signed in as');
  });

  test('a foreign Referer without Origin is refused too; the own origin passes', async () => {
    const { agent, csrf } = await loginForm();
    const foreign = await agent
      .post('/login')
      .set('Referer', 'https://evil.example/page')
      .type('form')
      .send({ username: 'alice', password: 'alice-password', _csrf: csrf });
    expect(foreign.status).toBe(403);
    const own = await agent
      .post('/login')
      .set('Origin', 'http://127.0.0.1')
      .set('Host', '127.0.0.1')
      .type('form')
      .send({ username: 'alice', password: 'alice-password', _csrf: csrf });
    expect(own.status).toBe(302);
  });

  test('a state change without the CSRF token is refused and changes nothing', async () => {
    const agent = await loggedInAgent(site.app, 'admin');
    const res = await agent.post(`/admin/articles/${articleId}/hide`).type('form').send({});
    expect(res.status).toBe(403);
    expect((await site.knex('articles').where({ id: articleId }).first()).status).toBe('published');
  });

  test('GET never changes state: a GET to a form action is not found', async () => {
    const agent = await loggedInAgent(site.app, 'admin');
    const res = await agent.get(`/admin/articles/${articleId}/hide`);
    expect(res.status).toBe(404);
    expect((await site.knex('articles').where({ id: articleId }).first()).status).toBe('published');
  });
});

describe('logging in', () => {
  test('an unknown user and a wrong password get the same answer', async () => {
    const a = await loginForm();
    const unknown = await a.agent
      .post('/login')
      .type('form')
      .send({ username: 'nobody-here', password: 'whatever-password', _csrf: a.csrf });
    const b = await loginForm();
    const wrong = await b.agent.post('/login').type('form').send({ username: 'bob', password: 'not-bobs-password', _csrf: b.csrf });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    const message = (html: string) => /<p class="notice[^"]*"[^>]*>([^<]+)</.exec(html)?.[1];
    expect(message(unknown.text)).toBe(message(wrong.text));
    expect(message(unknown.text)).toBe('Invalid username or password.');
  });

  test('after 5 failures for one username from one IP, even the right password gets 429 with Retry-After', async () => {
    const { agent, csrf } = await loginForm();
    for (let i = 0; i < 5; i += 1) {
      const res = await agent
        .post('/login')
        .type('form')
        .send({ username: 'throttled', password: `wrong-${i}-password`, _csrf: csrf });
      expect(res.status).toBe(401);
    }
    const sixth = await agent.post('/login').type('form').send({ username: 'throttled', password: 'wrong-again-password', _csrf: csrf });
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
    expect(sixth.text).toContain('Too many failed attempts');
    // The count is in PostgreSQL, so every worker of a cluster sees it.
    const row = await site.knex('login_attempts').where('key', 'like', 'login:user-ip:throttled|%').first();
    expect(row.count).toBe(5);
    // Another username from the same address is not locked out by it.
    const other = await agent.post('/login').type('form').send({ username: 'bob', password: 'bob-password', _csrf: csrf });
    expect(other.status).toBe(302);
  });

  test('each login gets a new session id, and one logged out with is worthless afterwards', async () => {
    const sid = (res: request.Response) => /paywall\.sid=([^;]*)/.exec(String(res.headers['set-cookie']))?.[1];
    const logInOnce = async () => {
      const agent = request.agent(site.app);
      const page = await agent.get('/login');
      const login = await agent
        .post('/login')
        .type('form')
        .send({ username: 'alice', password: 'alice-password', _csrf: csrfFrom(page.text) });
      return { agent, sid: sid(login) };
    };
    const first = await logInOnce();
    const home = await first.agent.get('/');
    expect(home.text).toContain('Signed in as');
    const logout = await first.agent
      .post('/logout')
      .type('form')
      .send({ _csrf: csrfFrom(home.text) });
    // The browser is told to forget the cookie.
    expect(sid(logout)).toBe('');
    const replay = await request(site.app).get('/').set('Cookie', `paywall.sid=${first.sid}`);
    expect(replay.text).not.toContain('Signed in as');
    const second = await logInOnce();
    expect(first.sid && second.sid && first.sid !== second.sid).toBe(true);
  });

  test("login's return address only goes to a path on this site", async () => {
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)', '/ok\r\nSet-Cookie: x=y']) {
      const { agent, csrf } = await loginForm();
      const res = await agent.post('/login').type('form').send({ username: 'bob', password: 'bob-password', _csrf: csrf, next });
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/');
    }
    const { agent, csrf } = await loginForm();
    const ok = await agent
      .post('/login')
      .type('form')
      .send({ username: 'bob', password: 'bob-password', _csrf: csrf, next: `/articles/${articleId}` });
    expect(ok.headers.location).toBe(`/articles/${articleId}`);
  });
});

describe('hostile input', () => {
  const XSS = `<script>alert(1)</script><img src=x onerror=alert(2)>"'`;

  test('an XSS payload in a title renders as text on the home page, the article and the admin page', async () => {
    const original = await site.knex('articles').where({ id: articleId }).first('title');
    await site.knex('articles').where({ id: articleId }).update({ title: XSS });
    try {
      const admin = await loggedInAgent(site.app, 'admin');
      for (const res of [
        await request(site.app).get('/'),
        await request(site.app).get(`/articles/${articleId}`),
        await admin.get('/admin'),
      ]) {
        expect(res.status).toBe(200);
        expect(res.text).not.toContain('<script>alert(1)');
        expect(res.text).not.toContain('<img src=x');
        expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      }
    } finally {
      await site.knex('articles').where({ id: articleId }).update({ title: original.title });
    }
  });

  test('an XSS payload as a username is refused at sign-up and echoed inert', async () => {
    const agent = request.agent(site.app);
    const page = await agent.get('/signup');
    const res = await agent
      .post('/signup')
      .type('form')
      .send({ username: XSS, password: 'long-enough-password', passwordConfirm: 'long-enough-password', _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(422);
    expect(res.text).not.toContain('<script>alert(1)');
    expect(res.text).toContain('&lt;script&gt;');
    expect(await site.knex('users').where('username', 'like', '%script%').first()).toBeUndefined();
  });

  test('SQL injection in the login form and in article ids changes nothing', async () => {
    const users = await site.knex('users').count<{ count: string }[]>('* as count');
    const payloads = ["' OR '1'='1' --", "admin'--", "alice'; DROP TABLE users; --"];
    for (const username of payloads) {
      const { agent, csrf } = await loginForm();
      const res = await agent.post('/login').type('form').send({ username, password: "' OR '1'='1", _csrf: csrf });
      expect(res.status).toBe(401);
    }
    for (const id of ['1%20OR%201=1', "1';DROP%20TABLE%20articles;--", '0x1', '-1', '99999999999999999999']) {
      const res = await request(site.app).get(`/articles/${id}`);
      expect(res.status).toBe(404);
    }
    expect(await site.knex('users').count<{ count: string }[]>('* as count')).toEqual(users);
    expect(await site.knex.schema.hasTable('articles')).toBe(true);
  });

  test('an oversized body is refused with 413 and a page, not a stack trace', async () => {
    const { agent, csrf } = await loginForm();
    const res = await agent
      .post('/login')
      .type('form')
      .send({ username: 'alice', password: 'x'.repeat(40_000), _csrf: csrf });
    expect(res.status).toBe(413);
    expect(res.text).toContain('too large');
    expect(res.text).not.toMatch(STACK_LINE);
  });

  test('error pages show no internal message: 404, 403 and a malformed body', async () => {
    const notFound = await request(site.app).get('/no/such/page');
    const reader = await loggedInAgent(site.app, 'bob');
    const forbidden = await reader.get('/admin');
    const malformed = await request(site.app).post('/login').type('form').send('%E0%A4%A');
    for (const res of [notFound, forbidden, malformed]) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.text).toContain('<html');
      expect(res.text).not.toMatch(STACK_LINE);
    }
    expect(notFound.status).toBe(404);
    expect(forbidden.status).toBe(403);
    expect(forbidden.text).toContain('Only admins');
  });
});

describe('operations endpoints', () => {
  test('/healthz answers without a session; /metrics is not public unless configured', async () => {
    const health = await request(site.app).get('/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ ok: true });
    expect(health.headers['set-cookie']).toBeUndefined();
    const metrics = await request(site.app).get('/metrics');
    expect(metrics.status).toBe(404);
  });
});
