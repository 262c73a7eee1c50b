/**
 * Paid content over L402 against a real site: the devnet over gRPC, a real database, real HTTP.
 * Every API response is checked against the OpenAPI document (apiFetch).
 */
import { createHash, randomBytes } from 'node:crypto';
import { importMacaroon, newMacaroon } from 'macaroon';
import { payInvoice } from '../../src/devnet/pay';
import { decodeIdentifier } from '../../src/api/l402/identifier';
import { exportToken } from '../../src/api/l402/macaroon-token';
import { startTestSite, type TestSite } from '../helpers/site';
import { listen } from '../helpers/http';
import { apiFetch, useOpenApiFrom } from '../helpers/openapi-check';

let site: TestSite;
let http: Awaited<ReturnType<typeof listen>>;
let clockOffsetMs = 0;
let articleIds: number[];

const contentUrl = (id: number) => `${http.baseUrl}/api/v1/articles/${id}/content`;
const machinePayments = () => site.knex('payments').where({ purpose: 'machine' }).orderBy('id');

/** A 402 challenge for `id`, read from its WWW-Authenticate headers. */
async function challengeFor(id: number, headers: Record<string, string> = {}) {
  const res = await apiFetch(contentUrl(id), { headers });
  expect(res.status).toBe(402);
  const header = res.headers.get('www-authenticate') ?? '';
  const l402 = /L402 version="0", token="([^"]+)", invoice="([^"]+)"/.exec(header);
  const lsat = /LSAT macaroon="([^"]+)", invoice="([^"]+)"/.exec(header);
  if (!l402 || !lsat) throw new Error(`no challenges in ${header}`);
  return { res, token: l402[1], invoice: l402[2], lsatToken: lsat[1], lsatInvoice: lsat[2] };
}

async function paidCredential(id: number) {
  const c = await challengeFor(id);
  const paid = await payInvoice(site.devnet.nodes.alice, c.invoice);
  if (paid.status !== 'SUCCEEDED') throw new Error('payment failed');
  return { ...c, preimage: paid.preimage, paymentHash: paid.paymentHash };
}

beforeAll(async () => {
  site = await startTestSite({
    machineApi: { now: () => new Date(Date.now() + clockOffsetMs), limits: { perClient: 1000, total: 1000, windowSeconds: 60 } },
  });
  http = await listen(site.app);
  await useOpenApiFrom(http.baseUrl);
  articleIds = (await site.knex('articles').where({ status: 'published' }).orderBy('id').select('id')).map((r) => r.id);
});
afterAll(async () => {
  await http.close();
  await site.close();
});
afterEach(() => {
  clockOffsetMs = 0;
});

test('without a credential: 402 with the L402 and LSAT challenges, no-store, and a machine payment with its invoice', async () => {
  const id = articleIds[0];
  const before = (await machinePayments()).length;
  const c = await challengeFor(id);
  expect(c.res.headers.get('cache-control')).toBe('no-store');
  expect(c.res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(c.lsatToken).toBe(c.token);
  expect(c.lsatInvoice).toBe(c.invoice);
  expect(c.res.json).toMatchObject({ status: 402, code: 'payment_required', invoice: c.invoice, token: c.token });

  // The token is a real macaroon: identifier version 0 | payment hash | token id, and the caveats.
  const mac = importMacaroon(Buffer.from(c.token, 'base64'));
  const id66 = decodeIdentifier(mac.identifier);
  expect(id66).not.toBeNull();
  expect(id66!.paymentHash.toString('hex')).toBe(c.res.json.paymentHash);
  const caveats = mac.caveats.map((cv) => Buffer.from(cv.identifier).toString('utf8'));
  expect(caveats).toEqual(['services=articles:0', `article_id=${id}`, expect.stringMatching(/^articles_valid_until=\d+$/)]);
  const validUntil = Number(caveats[2].split('=')[1]) * 1000;
  expect(validUntil - Date.now()).toBeGreaterThan(29 * 86400_000);

  const rows = await machinePayments();
  expect(rows).toHaveLength(before + 1);
  const row = rows[rows.length - 1];
  expect(row).toMatchObject({
    user_id: null,
    article_id: id,
    purpose: 'machine',
    status: 'pending_payment',
    payment_hash: c.res.json.paymentHash,
    payment_request: c.invoice,
  });
  const token = await site.knex('l402_tokens').where({ payment_id: row.id }).first();
  expect(token).toMatchObject({ article_id: id, token_id: id66!.tokenId.toString('hex') });
  expect(Buffer.from(token.root_key)).toHaveLength(32);
  // The invoice is the site's own, on its node, for the article's price.
  const invoice = await site.node.lookupInvoice(row.payment_hash);
  expect(invoice).toMatchObject({ state: 'OPEN', valueSat: row.amount_sat });
});

test('paid: every header form reads the article, as JSON or Markdown, and the payment is complete in the books', async () => {
  const id = articleIds[1];
  const article = await site.knex('articles').where({ id }).first();
  const cred = await paidCredential(id);

  const forms: Array<Record<string, string>> = [
    { authorization: `L402 ${cred.token}:${cred.preimage}` },
    { authorization: `LSAT ${cred.token}:${cred.preimage}` },
    { authorization: `L402 token="${cred.token}", preimage="${cred.preimage}"` },
    { authorization: `LSAT macaroon="${cred.token}", preimage="${cred.preimage}"` },
  ];
  // Aperture's header form: the hex macaroon with the client's own `preimage=` caveat.
  const withPreimage = importMacaroon(Buffer.from(cred.token, 'base64'));
  withPreimage.addFirstPartyCaveat(`preimage=${cred.preimage}`);
  forms.push({ macaroon: exportToken(withPreimage).toString('hex') });

  for (const headers of forms) {
    const res = await apiFetch(contentUrl(id), { headers });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id, title: article.title, bodyMarkdown: article.body, priceSat: article.price_sat });
    expect(res.json.bodyHtml).toContain('<p>');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
  }
  const md = await apiFetch(contentUrl(id), { headers: { authorization: `L402 ${cred.token}:${cred.preimage}`, accept: 'text/markdown' } });
  expect(md.status).toBe(200);
  expect(md.headers.get('content-type')).toMatch(/^text\/markdown/);
  expect(md.text.startsWith(`# ${article.title}\n`)).toBe(true);
  expect(md.text).toContain(article.body.trim());

  // No watcher runs in this file: the client came back first, and its retry booked the settlement.
  const payment = await site.knex('payments').where({ payment_hash: cred.paymentHash }).first();
  expect(payment).toMatchObject({ purpose: 'machine', status: 'complete', user_id: null, amount_paid_sat: article.price_sat });
  const after = await site.knex('articles').where({ id }).first();
  expect(after.machine_reads_count).toBe(article.machine_reads_count + 1);
  expect(after.views_count).toBe(article.views_count);
  expect(after.revenue_sat).toBe(article.revenue_sat + article.price_sat);
});

test('bad credentials get a fresh challenge (402), a wrong preimage gets 401, and nothing is paid or unlocked', async () => {
  const id = articleIds[2];
  const cred = await paidCredential(id);
  const count = async () => (await machinePayments()).length;

  const refused = async (headers: Record<string, string>, url = contentUrl(id)) => {
    const n = await count();
    const res = await apiFetch(url, { headers });
    expect(res.status).toBe(402);
    expect(res.json.code).toBe('invalid_credential');
    expect(res.json.invoice).not.toBe(cred.invoice);
    expect(res.headers.get('www-authenticate')).toMatch(/^L402 version="0", token="/);
    expect(await count()).toBe(n + 1);
    return res;
  };
  // Unreadable.
  await refused({ authorization: 'L402 not-a-token' });
  await refused({ authorization: `L402 ${cred.token}:abc` });
  // Well formed, but not a token this site issued.
  const foreign = newMacaroon({
    identifier: Buffer.concat([Buffer.alloc(2), randomBytes(64)]),
    location: 'x',
    rootKey: randomBytes(32),
    version: 2,
  });
  foreign.addFirstPartyCaveat(`article_id=${id}`);
  await refused({ authorization: `L402 ${exportToken(foreign).toString('base64')}:${cred.preimage}` });
  // Our identifier, signed with another key (a forgery that widens the caveats).
  const real = importMacaroon(Buffer.from(cred.token, 'base64'));
  const forged = newMacaroon({ identifier: real.identifier, location: 'x', rootKey: randomBytes(32), version: 2 });
  forged.addFirstPartyCaveat('services=articles:0');
  forged.addFirstPartyCaveat(`article_id=${articleIds[3]}`);
  await refused({ authorization: `L402 ${exportToken(forged).toString('base64')}:${cred.preimage}` }, contentUrl(articleIds[3]));
  // A genuine credential for another article.
  const other = await refused({ authorization: `L402 ${cred.token}:${cred.preimage}` }, contentUrl(articleIds[3]));
  expect(other.json.detail).toMatch(/another article/);
  // Expired: 31 days later.
  clockOffsetMs = 31 * 86400_000;
  const expired = await refused({ authorization: `L402 ${cred.token}:${cred.preimage}` });
  expect(expired.json.detail).toMatch(/expired/);
  clockOffsetMs = 0;
  // Narrowed by the client with an earlier expiry: still checked, and refused once past it.
  const narrowed = importMacaroon(Buffer.from(cred.token, 'base64'));
  narrowed.addFirstPartyCaveat(`articles_valid_until=${Math.floor(Date.now() / 1000) - 1}`);
  await refused({ authorization: `L402 ${exportToken(narrowed).toString('base64')}:${cred.preimage}` });

  // A genuine token whose invoice was never paid: the preimage cannot match (401, not paid).
  const unpaid = await challengeFor(id);
  const guess = randomBytes(32).toString('hex');
  const res = await apiFetch(contentUrl(id), { headers: { authorization: `L402 ${unpaid.token}:${guess}` } });
  expect([res.status, res.json.detail]).toEqual([401, expect.any(String)]);
  expect(res.json.code).toBe('unpaid');
  const row = await site.knex('payments').where({ payment_hash: unpaid.res.json.paymentHash }).first();
  expect(row.status).toBe('pending_payment');
  expect(createHash('sha256').update(Buffer.from(guess, 'hex')).digest('hex')).not.toBe(row.payment_hash);

  // The good credential still reads its own article.
  expect((await apiFetch(contentUrl(id), { headers: { authorization: `L402 ${cred.token}:${cred.preimage}` } })).status).toBe(200);
});

test('hidden, draft and unknown articles are 404 problems, never challenges', async () => {
  const [hidden] = await site
    .knex('articles')
    .insert({ title: 'Hidden', teaser: 't', body: 'b', price_sat: 5, status: 'deleted by admin' })
    .returning('id');
  const n = (await machinePayments()).length;
  for (const url of [contentUrl(hidden.id), contentUrl(999999), `${http.baseUrl}/api/v1/articles/abc/content`]) {
    const res = await apiFetch(url);
    expect(res.status).toBe(404);
    expect(res.json.code).toBe('not_found');
  }
  expect((await machinePayments()).length).toBe(n);
});

test('challenges nobody paid are pruned two days after their invoice expired; paid and recent ones stay', async () => {
  const id = articleIds[4];
  const unpaid = await challengeFor(id);
  const recent = await challengeFor(id);
  const paid = await paidCredential(id);
  // Age two of them: as if their invoices had expired three days ago.
  const old = new Date(Date.now() - 3 * 86400_000);
  await site.knex('payments').whereIn('payment_hash', [unpaid.res.json.paymentHash, paid.paymentHash]).update({ invoice_expires_at: old });
  expect(await site.machineApi.pruneUnpaid()).toBe(1);
  expect(await site.knex('payments').where({ payment_hash: unpaid.res.json.paymentHash }).first()).toBeUndefined();
  expect(await site.knex('payment_invoices').where({ payment_hash: unpaid.res.json.paymentHash }).first()).toBeUndefined();
  expect(await site.knex('payments').where({ payment_hash: recent.res.json.paymentHash }).first()).toMatchObject({
    status: 'pending_payment',
  });
  // Paid, though nobody booked it yet (no watcher here): the node says settled, so it is booked, kept, and reads.
  expect(await site.knex('payments').where({ payment_hash: paid.paymentHash }).first()).toMatchObject({ status: 'complete' });
  expect(
    await site
      .knex('l402_tokens')
      .where({ payment_id: (await site.knex('payments').where({ payment_hash: unpaid.res.json.paymentHash }).first())?.id ?? -1 })
      .first(),
  ).toBeUndefined();
  const res = await apiFetch(contentUrl(id), { headers: { authorization: `L402 ${paid.token}:${paid.preimage}` } });
  expect(res.status).toBe(200);
});

test('the node is down: 503 problem with Retry-After, and no payment or token is left behind', async () => {
  const n = (await machinePayments()).length;
  const tokens = await site.knex('l402_tokens').count({ n: '*' }).first();
  await site.devnet.stopNodes();
  try {
    const res = await apiFetch(contentUrl(articleIds[0]));
    expect(res.status).toBe(503);
    expect(res.json.code).toBe('node_unavailable');
    expect(res.headers.get('retry-after')).toBe('30');
    expect(res.text).not.toMatch(/at .*\.ts:\d+/);
  } finally {
    await site.devnet.startNodes();
  }
  expect((await machinePayments()).length).toBe(n);
  expect(await site.knex('l402_tokens').count({ n: '*' }).first()).toEqual(tokens);
});
