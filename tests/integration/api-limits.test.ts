/**
 * Every 402 costs the node an invoice: challenges are limited per client address (and in total),
 * answered 429 with Retry-After, and a refused request creates nothing.
 */
import { startTestSite, type TestSite } from '../helpers/site';
import { listen } from '../helpers/http';
import { apiFetch, useOpenApiFrom } from '../helpers/openapi-check';

let site: TestSite;
let http: Awaited<ReturnType<typeof listen>>;
// The window is judged on this clock: the test moves it instead of waiting.
let nowMs = Date.UTC(2026, 10, 29, 12, 0, 10);

beforeAll(async () => {
  site = await startTestSite({ machineApi: { now: () => new Date(nowMs), limits: { perClient: 2, total: 100, windowSeconds: 60 } } });
  http = await listen(site.app);
  await useOpenApiFrom(http.baseUrl);
});
afterAll(async () => {
  await http.close();
  await site.close();
});

test('the third challenge in a minute from one address is 429 with Retry-After, and the next window allows again', async () => {
  const id = (await site.knex('articles').where({ status: 'published' }).first()).id;
  const url = `${http.baseUrl}/api/v1/articles/${id}/content`;
  const count = async () => Number((await site.knex('payments').where({ purpose: 'machine' }).count({ n: '*' }).first())!.n);
  expect((await apiFetch(url)).status).toBe(402);
  expect((await apiFetch(url, { headers: { authorization: 'L402 garbage' } })).status).toBe(402);
  expect(await count()).toBe(2);

  const limited = await apiFetch(url);
  expect([limited.status, limited.json.code]).toEqual([429, 'too_many_challenges']);
  expect(limited.headers.get('retry-after')).toBe('50');
  expect(limited.headers.get('www-authenticate')).toBeNull();
  expect(await count()).toBe(2);
  // Reads that cost no invoice are not limited.
  expect((await apiFetch(`${http.baseUrl}/api/v1/articles/${id}`)).status).toBe(200);

  nowMs += 50_000;
  expect((await apiFetch(url)).status).toBe(402);
  expect(await count()).toBe(3);
});
