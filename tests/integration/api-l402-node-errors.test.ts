/**
 * Whatever the Lightning node answers, the L402 content endpoint never answers 500 or HTML: a paid
 * credential read while the node is down, or after it lost its invoices, still reads (the preimage
 * proves the payment) and is booked once the node can say so; without a credential, 503 problem JSON.
 */
import { payInvoice } from '../../src/devnet/pay';
import { startNodesAndWait, startTestSite, type TestSite } from '../helpers/site';
import { listen } from '../helpers/http';
import { apiFetch, useOpenApiFrom } from '../helpers/openapi-check';

let site: TestSite;
let http: Awaited<ReturnType<typeof listen>>;
let url: string;

beforeAll(async () => {
  site = await startTestSite({ machineApi: { limits: { perClient: 1000, total: 1000, windowSeconds: 60 } } });
  http = await listen(site.app);
  await useOpenApiFrom(http.baseUrl);
  const id = (await site.knex('articles').where({ status: 'published' }).orderBy('id').first()).id;
  url = `${http.baseUrl}/api/v1/articles/${id}/content`;
});
afterAll(async () => {
  await http.close();
  await site.close();
});

/** A paid credential nobody booked yet (no watcher here) and its payment's hash. */
async function paidCredential() {
  const c = await apiFetch(url);
  const m = /L402 version="0", token="([^"]+)", invoice="([^"]+)"/.exec(c.headers.get('www-authenticate') ?? '');
  if (c.status !== 402 || !m) throw new Error('no challenge');
  const paid = await payInvoice(site.devnet.nodes.alice, m[2]);
  if (paid.status !== 'SUCCEEDED') throw new Error('payment failed');
  return { authorization: `L402 ${m[1]}:${paid.preimage}`, paymentHash: paid.paymentHash };
}
const statusOf = async (hash: string) => (await site.knex('payments').where({ payment_hash: hash }).first()).status;

test('node down: a paid credential reads (booked when the node is back); no credential is a 503 problem', async () => {
  const cred = await paidCredential();
  await site.devnet.stopNodes();
  try {
    const res = await apiFetch(url, { headers: { authorization: cred.authorization } });
    expect(res.status).toBe(200);
    expect(await statusOf(cred.paymentHash)).toBe('pending_payment');
    const none = await apiFetch(url);
    expect([none.status, none.json.code, none.headers.get('retry-after')]).toEqual([503, 'node_unavailable', '30']);
    expect(none.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  } finally {
    await startNodesAndWait(site);
  }
  expect((await apiFetch(url, { headers: { authorization: cred.authorization } })).status).toBe(200);
  expect(await statusOf(cred.paymentHash)).toBe('complete');
});

test('the node lost its invoices: the paid credential still reads, never a 500', async () => {
  const cred = await paidCredential();
  await site.devnet.stopNodes();
  await startNodesAndWait(site, { site: { resetInvoices: true } });
  const res = await apiFetch(url, { headers: { authorization: cred.authorization } });
  expect(res.status).toBe(200);
  expect(await statusOf(cred.paymentHash)).toBe('pending_payment');
  expect(site.logs.some((l) => l.includes('the node cannot confirm it yet'))).toBe(true);
});
