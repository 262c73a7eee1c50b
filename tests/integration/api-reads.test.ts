/**
 * The API's public reads over real HTTP: pages in each order walked by their cursors, one article,
 * writers, caching (ETag, 304), CORS, and problem JSON for every error. Every response is checked
 * against the OpenAPI document the site serves.
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { startTestSite, TEST_PUBLIC_URL, type TestSite } from '../helpers/site';
import { listen } from '../helpers/http';
import request from 'supertest';
import express from 'express';
import { createKnex } from '../../src/db/knex';
import { createArticlesRepo } from '../../src/articles/articles-repo';
import { createUsersRepo } from '../../src/accounts/users-repo';
import { createPaymentsRepo } from '../../src/payments/payments-repo';
import { createMachineApi, DEFAULT_MACHINE_API_SETTINGS } from '../../src/api';
import { silentLogger } from '../../src/lib/logger';
import { createApiRoutes } from '../../src/routes';
import { apiFetch, checkApiResponse, useOpenApiFrom } from '../helpers/openapi-check';

let site: TestSite;
let http: Awaited<ReturnType<typeof listen>>;
const api = (path: string, init?: RequestInit) => apiFetch(`${http.baseUrl}${path}`, init);

beforeAll(async () => {
  site = await startTestSite();
  http = await listen(site.app);
  await useOpenApiFrom(http.baseUrl);
  // Enough articles for several pages, with ties in every order.
  const author = await site.knex('users').where({ username: 'bob' }).first();
  const rows = Array.from({ length: 45 }, (_, i) => ({
    author_id: author.id,
    title: `Paged ${i}`,
    teaser: `Teaser ${i}`,
    body: `Body ${i}`,
    price_sat: 10 + (i % 4),
    status: 'published',
    published_at: new Date(Date.UTC(2026, 0, 1 + (i % 7))),
    views_count: i % 3,
    upvote_sats: (i % 5) * 10,
  }));
  await site.knex('articles').insert(rows);
  await site.knex('articles').insert({ author_id: author.id, title: 'A draft', teaser: 't', body: 'b', price_sat: 5, status: 'draft' });
});
afterAll(async () => {
  await http.close();
  await site.close();
});

test('the document itself is OpenAPI 3.1 whose schemas all compile', async () => {
  const doc = (await api('/api/v1/openapi.json')).json;
  expect(doc.openapi).toBe('3.1.0');
  expect(doc.servers).toEqual([{ url: TEST_PUBLIC_URL }]);
  const ajv = new Ajv2020({ strict: false });
  addFormats(ajv);
  for (const name of Object.keys(doc.components.schemas))
    expect(() => ajv.compile({ $ref: `#/components/schemas/${name}`, components: doc.components })).not.toThrow();
});

test.each(['new', 'read', 'top'])('sort=%s: the cursor pages walk every published article once, in the home order', async (sort) => {
  const column = { new: 'published_at', read: 'views_count', top: 'upvote_sats' }[sort]!;
  const expected = await site
    .knex('articles')
    .where({ status: 'published' })
    .orderBy([
      { column, order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .pluck('id');
  const seen: number[] = [];
  let url: string | null = `/api/v1/articles?sort=${sort}&limit=7`;
  while (url) {
    const res = await api(url);
    expect(res.status).toBe(200);
    expect(res.json.sort).toBe(sort);
    seen.push(...res.json.articles.map((a: { id: number }) => a.id));
    url = res.json.nextUrl ? res.json.nextUrl.replace(TEST_PUBLIC_URL, '') : null;
  }
  expect(seen).toEqual(expected);
});

test('an article: metadata with counts and links, never its body; cached publicly with an ETag, 304 when unchanged', async () => {
  const a = await site
    .knex('articles as a')
    .join('users as u', 'u.id', 'a.author_id')
    .where('a.status', 'published')
    .orderBy('a.id')
    .first('a.*', 'u.username');
  const res = await api(`/api/v1/articles/${a.id}`);
  expect(res.status).toBe(200);
  expect(res.json).toMatchObject({
    id: a.id,
    title: a.title,
    teaser: a.teaser,
    priceSat: a.price_sat,
    writer: { username: a.username, url: `${TEST_PUBLIC_URL}/writers/${a.username}` },
    counts: { paidViews: a.views_count, machineReads: a.machine_reads_count, upvotes: a.upvotes_count, upvoteSats: a.upvote_sats },
    url: `${TEST_PUBLIC_URL}/articles/${a.id}`,
    contentUrl: `${TEST_PUBLIC_URL}/api/v1/articles/${a.id}/content`,
  });
  expect(res.text).not.toContain(a.body.slice(0, 40));
  expect(res.headers.get('cache-control')).toBe('public, max-age=60');
  const etag = res.headers.get('etag');
  expect(etag).toMatch(/^W\/"/);
  // Through node's http (supertest): fetch itself adds Cache-Control: no-cache to a conditional request.
  const again = await request(site.app).get(`/api/v1/articles/${a.id}`).set('If-None-Match', etag!);
  checkApiResponse('GET', `/api/v1/articles/${a.id}`, again.status, again.get('content-type') ?? null, again.text ?? '');
  expect(again.status).toBe(304);
  // A change to the article changes its ETag.
  await site
    .knex('articles')
    .where({ id: a.id })
    .update({ title: `${a.title}!` });
  site.articleCache?.forget(a.id);
  const changed = await api(`/api/v1/articles/${a.id}`, { headers: { 'if-none-match': etag! } });
  expect(changed.status).toBe(200);
  expect(changed.json.title).toBe(`${a.title}!`);
});

test('writers: a page by username and one writer with their published articles only', async () => {
  const list = await api('/api/v1/writers?limit=1');
  expect(list.status).toBe(200);
  expect(list.json.writers).toHaveLength(1);
  const names: string[] = [list.json.writers[0].username];
  let next = list.json.nextUrl;
  while (next) {
    const page = await api(next.replace(TEST_PUBLIC_URL, ''));
    names.push(...page.json.writers.map((w: { username: string }) => w.username));
    next = page.json.nextUrl;
  }
  const expected = await site
    .knex('users as u')
    .whereExists(site.knex('articles as a').whereRaw('a.author_id = u.id').where('a.status', 'published'))
    .orderByRaw('lower(username)')
    .pluck('username');
  expect(names).toEqual(expected);

  const bob = await api('/api/v1/writers/BOB');
  expect(bob.status).toBe(200);
  const published = await site
    .knex('articles as a')
    .join('users as u', 'u.id', 'a.author_id')
    .where({ 'u.username': 'bob', 'a.status': 'published' })
    .count({ n: '*' })
    .first();
  expect(bob.json.username).toBe('bob');
  expect(bob.json.publishedArticles).toBe(Number(published!.n));
  expect(bob.json.articles.map((a: { title: string }) => a.title)).not.toContain('A draft');
});

test('every error under /api is problem JSON with a code: bad parameters, unknown things, other methods', async () => {
  const cases: Array<[string, RequestInit, number, string]> = [
    ['/api/v1/articles?sort=best', {}, 400, 'invalid_parameter'],
    ['/api/v1/articles?after=yesterday', {}, 400, 'invalid_parameter'],
    ['/api/v1/articles?limit=0', {}, 400, 'invalid_parameter'],
    ['/api/v1/articles?limit=101', {}, 400, 'invalid_parameter'],
    ['/api/v1/articles?sort=new&sort=top', {}, 400, 'invalid_parameter'],
    ['/api/v1/writers?limit=x', {}, 400, 'invalid_parameter'],
    ['/api/v1/articles/0', {}, 404, 'not_found'],
    ['/api/v1/articles/99999999', {}, 404, 'not_found'],
    ['/api/v1/writers/nobody-here', {}, 404, 'not_found'],
    ['/api/v2/anything', {}, 404, 'not_found'],
    ['/api', {}, 404, 'not_found'],
    ['/api/v1/articles', { method: 'POST' }, 405, 'method_not_allowed'],
    ['/api/v1/articles/1/content', { method: 'DELETE' }, 405, 'method_not_allowed'],
    // A cross-site form post: the API reads only, so it is refused before any body is parsed.
    [
      '/api/v1/articles',
      { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' },
      405,
      'method_not_allowed',
    ],
  ];
  for (const [path, init, status, code] of cases) {
    const res = await api(path, init);
    expect({ path, status: res.status, code: res.json?.code }).toEqual({ path, status, code });
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.json.instance).toBe(path);
    expect(res.text).not.toMatch(/<html|\.ts:\d+/);
    if (status === 405) expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  }
  const draft = await site.knex('articles').where({ status: 'draft' }).first();
  expect((await api(`/api/v1/articles/${draft.id}`)).status).toBe(404);
});

test('CORS: reads from any origin, preflight answered, WWW-Authenticate exposed', async () => {
  const res = await api('/api/v1/articles?limit=1', { headers: { origin: 'https://agent.example' } });
  expect(res.headers.get('access-control-allow-origin')).toBe('*');
  expect(res.headers.get('access-control-expose-headers')).toContain('WWW-Authenticate');
  expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
  const pre = await fetch(`${http.baseUrl}/api/v1/articles/1/content`, {
    method: 'OPTIONS',
    headers: { origin: 'https://agent.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
  });
  expect(pre.status).toBe(204);
  expect(pre.headers.get('access-control-allow-headers')).toContain('Authorization');
  expect(pre.headers.get('access-control-allow-methods')).toBe('GET, HEAD, OPTIONS');
});

test("API answers carry the API's security headers (OWASP REST set), not the HTML pages' set", async () => {
  for (const path of ['/api/v1/articles?limit=1', '/api/v1/nothing', '/api/v1/articles/1/content', '/llms.txt']) {
    const res = path === '/llms.txt' ? await fetch(`${http.baseUrl}${path}`) : await api(path);
    expect([path, res.headers.get('content-security-policy')]).toEqual([path, "default-src 'none'; frame-ancestors 'none'"]);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    // The pages' cross-origin isolation headers would get in the way of reads from other origins.
    expect(res.headers.get('cross-origin-opener-policy')).toBeNull();
  }
  expect((await api('/api/v1/articles/1/content')).headers.get('vary')).toBe('Authorization, Accept');
  // A page keeps the full set.
  const page = await fetch(`${http.baseUrl}/`);
  expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin');
});

test('/llms.txt points machines at the API and says how to pay; the API index links everything', async () => {
  const res = await fetch(`${http.baseUrl}/llms.txt`);
  const text = await res.text();
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  expect(text).toMatch(/^# Test Reads\n/);
  expect(text).toContain(`${TEST_PUBLIC_URL}/api/v1/openapi.json`);
  expect(text).toContain('Authorization: L402 <token>:<preimage hex>');
  expect(text).toContain('30 days');
  const newest = await site
    .knex('articles')
    .where({ status: 'published' })
    .orderBy([
      { column: 'published_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .first();
  expect(text).toContain(`- [${newest.title}](${TEST_PUBLIC_URL}/api/v1/articles/${newest.id}/content): ${newest.price_sat} sats.`);
  const index = await api('/api/v1');
  expect(index.json).toMatchObject({ openapi: `${TEST_PUBLIC_URL}/api/v1/openapi.json`, llms: `${TEST_PUBLIC_URL}/llms.txt` });
});

test('the database cannot be reached: 503 problem JSON with Retry-After, not an HTML page', async () => {
  // Nothing listens on port 9 of this machine: every query fails to connect.
  const dead = createKnex('postgres://nobody:nothing@127.0.0.1:9/none', { max: 1 });
  try {
    const articles = createArticlesRepo(dead);
    const machine = createMachineApi({
      knex: dead,
      node: site.node,
      payments: site.payments,
      paymentsRepo: createPaymentsRepo(dead),
      events: site.events,
      users: createUsersRepo(dead),
      articles,
      articlePages: articles,
      logger: silentLogger,
      settings: { ...DEFAULT_MACHINE_API_SETTINGS, publicUrl: TEST_PUBLIC_URL, siteName: 'Test Reads' },
      notices: site.listener,
    });
    const app = express();
    app.use(createApiRoutes(machine, (_req, _res, next) => next()));
    for (const path of ['/api/v1/writers', '/api/v1/articles/1', '/api/v1/articles/1/content']) {
      const res = await request(app).get(path);
      checkApiResponse('GET', path, res.status, res.get('content-type') ?? null, res.text);
      expect([path, res.status, res.body.code, res.get('retry-after')]).toEqual([path, 503, 'database_unavailable', '30']);
    }
  } finally {
    await dead.destroy();
  }
});
