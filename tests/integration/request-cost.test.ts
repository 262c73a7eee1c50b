/**
 * What a page view leaves behind: an anonymous visitor reading pages gets no session (no cookie,
 * no row), so crawlers cannot grow the session table; a form page still gets its CSRF token.
 */
import request from 'supertest';
import { startTestSite, type TestSite } from '../helpers/site';

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

  test('the login page still gets a CSRF token, kept in a new session', async () => {
    const before = await sessionRows();
    const res = await request(site.app).get('/login');
    const token = /name="_csrf" value="([^"]+)"/.exec(res.text)?.[1];
    expect(token).toMatch(/^[\w-]{40,}$/);
    expect(String(res.headers['set-cookie'])).toContain('paywall.sid=');
    expect(await sessionRows()).toBe(before + 1);
  });
});
