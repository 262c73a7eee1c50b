/**
 * What a page view costs and leaves behind: an anonymous visitor reading pages gets no session (no
 * cookie, no row), so crawlers cannot grow the session table; a form page still gets its CSRF
 * token; a logged-in reader's user comes with the session, in the same query, and still fresh.
 */
import request from 'supertest';
import { startTestSite, loggedInAgent, articleBody, type TestSite } from '../helpers/site';
import pg from 'pg';
import { queriesDuring, recordPaidView, adminArticles } from '../helpers/db-probes';
import { createSessionStore } from '../../src/accounts/session-store';

let site: TestSite;
beforeAll(async () => {
  site = await startTestSite();
});
afterAll(() => site.close());

const sessionRows = async () => Number((await site.knex('session').count({ n: '*' }))[0].n);

describe('anonymous visitors', () => {
  test('reading the home page and an article sets no cookie and stores no session', async () => {
    const before = await sessionRows();
    const article = await site.knex('articles').where({ status: 'published' }).first('id');
    for (const path of ['/', `/articles/${article.id}`, '/']) {
      const res = await request(site.app).get(path);
      expect(res.status).toBe(200);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    expect(await sessionRows()).toBe(before);
  });

  test('the login page gets a CSRF token in a signed cookie, and no session row', async () => {
    const before = await sessionRows();
    const res = await request(site.app).get('/login');
    const token = /name="_csrf" value="([^"]+)"/.exec(res.text)?.[1];
    expect(token).toMatch(/^[\w-]{40,}$/);
    expect(String(res.headers['set-cookie'])).toContain(`paywall.csrf=${token}.`);
    expect(String(res.headers['set-cookie'])).not.toContain('paywall.sid=');
    expect(await sessionRows()).toBe(before);
  });
});

describe('logged-in readers', () => {
  test("a page loads the reader's user together with the session, not in a query of its own", async () => {
    const agent = await loggedInAgent(site.app, 'bob');
    const { result: res, queries: sql } = await queriesDuring(site.knex, async () => agent.get('/'));
    expect(res.text).toContain('Signed in as <strong>bob</strong>');
    expect(sql.filter((q) => /from "users"/i.test(q))).toEqual([]);
  });

  test('a role change still shows on the very next page', async () => {
    const agent = await loggedInAgent(site.app, 'alice');
    expect((await agent.get('/')).text).not.toContain('href="/admin"');
    await site.knex('users').where({ username: 'alice' }).update({ role: 'admin' });
    try {
      expect((await agent.get('/')).text).toContain('href="/admin"');
    } finally {
      await site.knex('users').where({ username: 'alice' }).update({ role: 'reader' });
    }
  });

  test('a session whose user was deleted is simply logged out', async () => {
    const agent = await loggedInAgent(site.app, 'bob');
    const bob = await site.knex('users').where({ username: 'bob' }).first('id');
    // Every session of bob's now names a user id that does not exist.
    await site.knex.raw(
      `UPDATE session SET sess = jsonb_set(sess::jsonb, '{passport,user}', '987654321')::json WHERE sess #>> '{passport,user}' = ?`,
      [String(bob.id)],
    );
    const res = await agent.get('/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Log in');
    expect(res.text).not.toContain('Signed in as');
  });
});

describe('the session store', () => {
  test('has no touch method, so express-session sends a page in one write instead of holding back its last byte', async () => {
    const pool = new pg.Pool({ connectionString: site.db.url, max: 1 });
    try {
      const store = createSessionStore(pool) as unknown as { touch?: unknown; close(): void };
      expect(typeof store.touch).toBe('undefined');
      store.close();
      const res = await (await loggedInAgent(site.app, 'bob')).get('/');
      expect(res.status).toBe(200);
    } finally {
      await pool.end();
    }
  });
});

describe('a reader who paid', () => {
  test('opening the article costs one query besides the session (the article and the payment together), and none once it is remembered', async () => {
    const [article] = await adminArticles(site.knex);
    const alice = await site.knex('users').where({ username: 'alice' }).first('id');
    await recordPaidView(site.knex, alice.id, article, 'cd');

    const agent = await loggedInAgent(site.app, 'alice');
    const view = async () => {
      const { result: res, queries } = await queriesDuring(site.knex, async () => agent.get(`/articles/${article.id}`));
      expect(articleBody(res.text)).not.toBeNull();
      return queries;
    };
    site.articleCache!.forget();
    const first = await view();
    expect(first).toHaveLength(1);
    expect(first[0]).toMatch(/from "articles".*left join "payments"/i);
    // The article and the fact that alice paid are now in memory (src/articles/article-cache.ts).
    expect(await view()).toEqual([]);
  });
});
