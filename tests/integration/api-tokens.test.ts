/**
 * Personal API tokens: created on /me/tokens (shown once, stored hashed), used as Bearer tokens to
 * fetch articles the reader already bought, refused for others, dead once revoked.
 */
import { createHash } from 'node:crypto';
import { startTestSite, loggedInAgent, csrfFrom, type TestSite } from '../helpers/site';
import { listen } from '../helpers/http';
import { recordPaidView } from '../helpers/db-probes';
import { apiFetch, useOpenApiFrom } from '../helpers/openapi-check';

let site: TestSite;
let http: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => {
  site = await startTestSite();
  http = await listen(site.app);
  await useOpenApiFrom(http.baseUrl);
});
afterAll(async () => {
  await http.close();
  await site.close();
});

async function createToken(agent: Awaited<ReturnType<typeof loggedInAgent>>, label: string) {
  const page = await agent.get('/me/tokens');
  expect(page.status).toBe(200);
  const res = await agent
    .post('/me/tokens')
    .type('form')
    .send({ label, _csrf: csrfFrom(page.text) });
  expect(res.status).toBe(201);
  const secret = /<code data-token-secret>(lr_[A-Za-z0-9_-]+)<\/code>/.exec(res.text)?.[1];
  if (!secret) throw new Error('no token secret on the page');
  return { secret, html: res.text };
}

test('a reader makes a token, reads what they bought with it, not what they did not, and revokes it', async () => {
  const alice = await site.knex('users').where({ username: 'alice' }).first();
  const [bought, notBought] = await site
    .knex('articles')
    .where({ status: 'published' })
    .whereNot({ author_id: alice.id })
    .orderBy('id')
    .limit(2);
  await recordPaidView(site.knex, alice.id, bought, 'a7');

  const agent = await loggedInAgent(site.app, 'alice');
  const { secret, html } = await createToken(agent, 'my script');
  expect(html).toContain('shown only this once');
  // Stored hashed: the secret itself is nowhere in the database.
  const row = await site.knex('api_tokens').where({ user_id: alice.id }).first();
  expect(row.token_hash).toBe(createHash('sha256').update(secret).digest('hex'));
  expect(JSON.stringify(await site.knex('api_tokens').select('*'))).not.toContain(secret);
  // Shown once: the list shows only its first characters.
  const list = await agent.get('/me/tokens');
  expect(list.text).not.toContain(secret);
  expect(list.text).toContain(`${secret.slice(0, 9)}…`);

  const auth = { authorization: `Bearer ${secret}` };
  const ok = await apiFetch(`${http.baseUrl}/api/v1/articles/${bought.id}/content`, { headers: auth });
  expect(ok.status).toBe(200);
  expect(ok.json).toMatchObject({ id: bought.id, bodyMarkdown: bought.body });
  const md = await apiFetch(`${http.baseUrl}/api/v1/articles/${bought.id}/content`, { headers: { ...auth, accept: 'text/markdown' } });
  expect(md.text.startsWith(`# ${bought.title}`)).toBe(true);
  expect((await site.knex('api_tokens').where({ id: row.id }).first()).last_used_at).not.toBeNull();

  const refused = await apiFetch(`${http.baseUrl}/api/v1/articles/${notBought.id}/content`, { headers: auth });
  expect([refused.status, refused.json.code]).toEqual([403, 'not_purchased']);
  expect(await site.knex('payments').where({ purpose: 'machine' }).count({ n: '*' }).first()).toEqual({ n: 0 });

  // Another reader cannot revoke it; its owner can, and then it no longer works.
  const bob = await loggedInAgent(site.app, 'bob');
  const bobPage = await bob.get('/me/tokens');
  expect(
    (
      await bob
        .post(`/me/tokens/${row.id}/revoke`)
        .type('form')
        .send({ _csrf: csrfFrom(bobPage.text) })
    ).status,
  ).toBe(404);
  expect((await apiFetch(`${http.baseUrl}/api/v1/articles/${bought.id}/content`, { headers: auth })).status).toBe(200);
  const page = await agent.get('/me/tokens');
  const revoke = await agent
    .post(`/me/tokens/${row.id}/revoke`)
    .type('form')
    .send({ _csrf: csrfFrom(page.text) });
  expect(revoke.status).toBe(303);
  const dead = await apiFetch(`${http.baseUrl}/api/v1/articles/${bought.id}/content`, { headers: auth });
  expect([dead.status, dead.json.code]).toEqual([401, 'invalid_token']);
  expect(dead.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  expect((await site.knex('api_tokens').where({ id: row.id }).first()).revoked_at).not.toBeNull();
});

test('an unknown token is 401, a nameless one is refused on the page, and anonymous visitors are sent to log in', async () => {
  const res = await apiFetch(`${http.baseUrl}/api/v1/articles/1/content`, { headers: { authorization: 'Bearer lr_0123456789abcdefghij' } });
  expect([res.status, res.json.code]).toEqual([401, 'invalid_token']);
  const agent = await loggedInAgent(site.app, 'bob');
  const page = await agent.get('/me/tokens');
  const before = await site.knex('api_tokens').count({ n: '*' }).first();
  const bad = await agent
    .post('/me/tokens')
    .type('form')
    .send({ label: '   ', _csrf: csrfFrom(page.text) });
  expect(bad.status).toBe(422);
  expect(bad.text).toContain('Give the token a name');
  expect(await site.knex('api_tokens').count({ n: '*' }).first()).toEqual(before);
  const anon = await fetch(`${http.baseUrl}/me/tokens`, { redirect: 'manual' });
  expect(anon.status).toBe(302);
  expect(anon.headers.get('location')).toBe('/login?next=%2Fme%2Ftokens');
});
