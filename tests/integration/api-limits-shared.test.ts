/**
 * The challenge limits hold across processes: they are counted in PostgreSQL, so two app instances
 * on one database (two createApp, each with its own machine API, as two workers have) share them,
 * and concurrent challenges never count past a limit.
 */
import { createChallengeLimiter } from '../../src/api/l402/challenge-limiter';
import { startTestSite, type TestSite } from '../helpers/site';
import { secondAppInstance } from '../helpers/second-instance';
import { listen } from '../helpers/http';
import { apiFetch, useOpenApiFrom } from '../helpers/openapi-check';

let site: TestSite;
let nowMs = Date.UTC(2026, 10, 29, 12, 0, 10);
const clock = () => new Date(nowMs);
const limits = { perClient: 2, total: 3, windowSeconds: 60 };
const servers: Array<Awaited<ReturnType<typeof listen>>> = [];

beforeAll(async () => {
  site = await startTestSite({ machineApi: { now: clock, limits }, trustProxy: 1 });
  servers.push(await listen(site.app), await listen(secondAppInstance(site, { limits, now: clock, trustProxy: 1 })));
  await useOpenApiFrom(servers[0].baseUrl);
});
afterAll(async () => {
  for (const s of servers) await s.close();
  await site.close();
});

const machineCount = async () => Number((await site.knex('payments').where({ purpose: 'machine' }).count({ n: '*' }).first())!.n);

test('two app instances share the per-address and total limits: 429 with Retry-After, nothing created', async () => {
  const id = (await site.knex('articles').where({ status: 'published' }).first()).id;
  const [a, b] = servers.map((s) => `${s.baseUrl}/api/v1/articles/${id}/content`);
  const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });
  const before = await machineCount();

  // One address, once through each instance: its two challenges are used up on both.
  expect((await apiFetch(a, from('192.0.2.1'))).status).toBe(402);
  expect((await apiFetch(b, from('192.0.2.1'))).status).toBe(402);
  for (const url of [a, b]) {
    const limited = await apiFetch(url, from('192.0.2.1'));
    expect([limited.status, limited.json.code]).toEqual([429, 'too_many_challenges']);
    expect(limited.json.detail).toMatch(/your address/);
    expect(limited.headers.get('retry-after')).toBe('50');
    expect(limited.headers.get('www-authenticate')).toBeNull();
  }

  // The third challenge of the window (another address, the other instance) is the last one.
  expect((await apiFetch(b, from('192.0.2.2'))).status).toBe(402);
  for (const url of [a, b]) {
    const limited = await apiFetch(url, from('192.0.2.3'));
    expect([limited.status, limited.json.code]).toEqual([429, 'too_many_challenges']);
    expect(limited.json.detail).toMatch(/too many payment challenges right now/);
  }
  // Refused for the total: 192.0.2.3 was not even counted.
  expect(await machineCount()).toBe(before + 3);
  const rows = await site.knex('l402_challenge_counts').orderBy('client').select('client', 'n');
  expect(rows).toEqual([
    { client: '', n: 3 },
    { client: '192.0.2.1', n: 2 },
    { client: '192.0.2.2', n: 1 },
  ]);

  // The next window allows again, and the past window's rows are gone.
  nowMs += 50_000;
  expect((await apiFetch(a, from('192.0.2.1'))).status).toBe(402);
  expect(await machineCount()).toBe(before + 4);
  expect(await site.knex('l402_challenge_counts').orderBy('client').select('client', 'n')).toEqual([
    { client: '', n: 1 },
    { client: '192.0.2.1', n: 1 },
  ]);
});

test('concurrent challenges from many limiters never count past the total', async () => {
  const t = Date.UTC(2026, 10, 29, 13, 0, 0);
  const limiters = [1, 2, 3, 4].map(() =>
    createChallengeLimiter(site.knex, { perClient: 3, total: 5, windowSeconds: 60 }, () => new Date(t)),
  );
  const answers = await Promise.all(Array.from({ length: 24 }, (_, i) => limiters[i % 4].take(`198.51.100.${i % 3}`)));
  expect(answers.filter((r) => r.ok)).toHaveLength(5);
  for (const r of answers.filter((x) => !x.ok)) expect(r).toMatchObject({ retryAfterSeconds: 60 });
  const rows = await site
    .knex('l402_challenge_counts')
    .where({ window_start: new Date(t) })
    .select('client', 'n');
  expect(rows.find((r) => r.client === '')?.n).toBe(5);
  for (const r of rows.filter((x) => x.client !== '')) expect(r.n).toBeLessThanOrEqual(3);
});
