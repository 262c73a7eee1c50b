/**
 * A credential judged good is remembered until it expires (reading again costs no query), and
 * forgotten by every app instance the moment the database announces its revocation: its payment
 * moved out of `complete`, its token row changed; an article taken down is a 404 whatever was
 * remembered. While the notices cannot be heard, nothing is read from memory.
 */
import { L402_REVOKED_CHANNEL } from '../../src/api/l402/l402-service';
import { ARTICLE_CHANNEL } from '../../src/articles/article-cache';
import { payInvoice } from '../../src/devnet/pay';
import { startTestSite, type TestSite } from '../helpers/site';
import { secondAppInstance } from '../helpers/second-instance';
import { listen } from '../helpers/http';
import { apiFetch, useOpenApiFrom } from '../helpers/openapi-check';

let site: TestSite;
const servers: Array<Awaited<ReturnType<typeof listen>>> = [];
let articleId: number;
const limits = { perClient: 1000, total: 1000, windowSeconds: 60 };

beforeAll(async () => {
  site = await startTestSite({ machineApi: { limits } });
  // A second instance on the same database, with its own L402 service (and memory).
  servers.push(await listen(site.app), await listen(secondAppInstance(site, { limits })));
  await useOpenApiFrom(servers[0].baseUrl);
  articleId = (await site.knex('articles').where({ status: 'published' }).orderBy('id').first()).id;
});
afterAll(async () => {
  for (const s of servers) await s.close();
  await site.close();
});

const urls = () => servers.map((s) => `${s.baseUrl}/api/v1/articles/${articleId}/content`);

/** A paid credential and its machine payment's id. */
async function paidCredential() {
  const c = await apiFetch(urls()[0]);
  const m = /L402 version="0", token="([^"]+)", invoice="([^"]+)"/.exec(c.headers.get('www-authenticate') ?? '');
  if (c.status !== 402 || !m) throw new Error('no challenge');
  const paid = await payInvoice(site.devnet.nodes.alice, m[2]);
  if (paid.status !== 'SUCCEEDED') throw new Error('payment failed');
  const payment = await site.knex('payments').where({ payment_hash: c.json.paymentHash }).first();
  return { authorization: `L402 ${m[1]}:${paid.preimage}`, paymentId: payment.id as number };
}

/** Runs `change` and resolves once the revocation notice it causes has been heard. */
async function announced(change: () => Promise<unknown>): Promise<void> {
  const heard = new Promise<void>((resolve) => site.listener.on(L402_REVOKED_CHANNEL, () => resolve()));
  await change();
  await heard;
}

/** The queries `read` makes that touch l402_tokens. */
async function tokenQueriesDuring(read: () => Promise<unknown>): Promise<number> {
  let n = 0;
  const count = (q: { sql: string }) => (n += q.sql.includes('l402_tokens') ? 1 : 0);
  site.knex.on('query', count);
  try {
    await read();
  } finally {
    site.knex.off('query', count);
  }
  return n;
}

test('read again with a credential: no query; revoked payment: both instances answer a fresh 402 at once', async () => {
  const cred = await paidCredential();
  for (const url of urls()) expect((await apiFetch(url, { headers: { authorization: cred.authorization } })).status).toBe(200);
  const again = await tokenQueriesDuring(async () => {
    for (const url of urls()) expect((await apiFetch(url, { headers: { authorization: cred.authorization } })).status).toBe(200);
  });
  expect(again).toBe(0);

  await announced(() => site.knex('payments').where({ id: cred.paymentId }).update({ status: 'error' }));
  for (const url of urls()) {
    const res = await apiFetch(url, { headers: { authorization: cred.authorization } });
    expect([res.status, res.json.code]).toEqual([402, 'invalid_credential']);
    expect(res.json.detail).toMatch(/revoked/);
  }
  expect(await site.knex('payments').where({ id: cred.paymentId }).first()).toMatchObject({ status: 'error' });
});

test('a token row changed (its validity cut short): forgotten, and the credential is refused as expired', async () => {
  const cred = await paidCredential();
  for (const url of urls()) expect((await apiFetch(url, { headers: { authorization: cred.authorization } })).status).toBe(200);
  await announced(() =>
    site
      .knex('l402_tokens')
      .where({ payment_id: cred.paymentId })
      .update({ valid_until: new Date(Date.now() - 1000) }),
  );
  for (const url of urls()) {
    const res = await apiFetch(url, { headers: { authorization: cred.authorization } });
    expect(res.status).toBe(402);
    expect(res.json.detail).toMatch(/expired/);
  }
});

test('while the notices cannot be heard, every read is judged against the database', async () => {
  const cred = await paidCredential();
  const read = () => apiFetch(urls()[0], { headers: { authorization: cred.authorization } });
  expect((await read()).status).toBe(200);
  expect(await tokenQueriesDuring(read)).toBe(0);
  await site.listener.stop();
  try {
    expect(await tokenQueriesDuring(async () => expect((await read()).status).toBe(200))).toBe(1);
  } finally {
    await site.listener.start();
  }
});

test('an article taken down is a 404 problem for a remembered credential too, on both instances', async () => {
  const cred = await paidCredential();
  for (const url of urls()) expect((await apiFetch(url, { headers: { authorization: cred.authorization } })).status).toBe(200);
  const heard = new Promise<void>((resolve) => site.listener.on(ARTICLE_CHANNEL, () => resolve()));
  await site.knex('articles').where({ id: articleId }).update({ status: 'deleted by admin' });
  await heard;
  for (const url of urls()) {
    const res = await apiFetch(url, { headers: { authorization: cred.authorization } });
    expect([res.status, res.json.code]).toEqual([404, 'not_found']);
  }
});
