/**
 * LND's ordinary "not now" answers, from the devnet answering as LND does (issue 11, items 4 and 8):
 * a wallet still locked, an RPC server still starting, a macaroon LND refuses, a macaroon lacking
 * a permission. Readers get the 503 "payments are unavailable" page (never a 500), the circuit
 * breaker counts the answers, and /readyz and the log say which refusal it is and for which call.
 */
import fs from 'node:fs';
import request from 'supertest';
import { withCircuitBreaker, type CircuitBreakerNode } from '../../src/lightning/circuit-breaker';
import { createLndClient } from '../../src/lightning/lnd-grpc-client';
import { encodeLndconnect } from '../../src/lightning/lndconnect';
import { loadNodeConfig } from '../../src/lightning/load-node-config';
import { NodeNotReadyError, type LightningNode } from '../../src/lightning/types';
import { silentLogger } from '../../src/lib/logger';
import { loggedInAgent, paymentRequestFrom, startTestSite, type TestSite } from '../helpers/site';
import { adminArticles } from '../helpers/db-probes';

let site: TestSite;
let breaker: CircuitBreakerNode;
let skewMs = 0;
/** The node the site talks to; a test points it at a client holding another macaroon. */
let target: LightningNode;
const others: LightningNode[] = [];
let articles: number[];

/** Delegates every call to `target`, so a test can swap the macaroon the site uses. */
const switchable: LightningNode = {
  getInfo: () => target.getInfo(),
  createInvoice: (i) => target.createInvoice(i),
  lookupInvoice: (h) => target.lookupInvoice(h),
  subscribeInvoices: (f, h) => target.subscribeInvoices(f, h),
  close: () => undefined,
};

beforeAll(async () => {
  site = await startTestSite({
    wrapNode: (node) => {
      target = node;
      breaker = withCircuitBreaker(switchable, {
        failureThreshold: 2,
        openMs: 60_000,
        now: () => Date.now() + skewMs,
        logger: site?.logger ?? silentLogger,
      });
      return breaker;
    },
    readinessDeadlineMs: 5_000,
  });
  articles = (await adminArticles(site.knex)).map((a) => a.id);
});
afterAll(async () => {
  for (const n of others) n.close();
  await site.close();
});

/** A client of the site's node holding the macaroon in `file`. */
function clientWith(file: string): LightningNode {
  const n = site.devnet.nodes.site;
  const node = createLndClient({
    ...loadNodeConfig({ grpcHost: n.grpcHost, tlsCertPath: n.tlsCertPath, macaroonPath: file }),
    logger: site.logger,
  });
  others.push(node);
  return node;
}

/** Closes the circuit: the open period is over, and a call that succeeds closes it. */
async function closeCircuit(): Promise<void> {
  skewMs += 60_000;
  await breaker.getInfo();
  expect(breaker.circuit().state).toBe('closed');
}

const viewPayment = (username: string, articleId: number) =>
  site
    .knex('payments as p')
    .join('users as u', 'u.id', 'p.user_id')
    .where({ 'u.username': username, 'p.article_id': articleId })
    .first('p.*');

test('a locked wallet: the 503 page, the breaker counts it and opens, /readyz and the log say "locked"; unlocked, the reader gets an invoice', async () => {
  site.devnet.control('site').setRpcState('locked');
  const agent = await loggedInAgent(site.app, 'alice');
  for (let i = 0; i < 2; i += 1) {
    const res = await agent.get(`/articles/${articles[0]}`);
    expect(res.status).toBe(503);
    expect(res.text).toContain('Payments are unavailable right now');
    expect(res.text).not.toContain('Something went wrong');
  }
  expect(breaker.circuit().state).toBe('open');
  const payment = await viewPayment('alice', articles[0]);
  expect(payment.status).toBe('pending_invoice');
  expect(payment.payment_hash).toBeNull();

  const ready = await request(site.app).get('/readyz');
  expect(ready.status).toBe(503);
  expect(ready.body.checks.lightning.ok).toBe(false);
  expect(ready.body.checks.lightning.detail).toContain('Lightning node locked');
  expect(ready.body.checks.lightning.detail).toContain('wallet locked, unlock it to enable full RPC access');
  expect(site.logs.some((l) => l.includes('"reason":"locked"') && l.includes('AddInvoice'))).toBe(true);

  site.devnet.control('site').setRpcState('active');
  skewMs += 60_000;
  const page = await agent.get(`/articles/${articles[0]}`);
  expect(page.status).toBe(200);
  expect(paymentRequestFrom(page.text)).toBe((await viewPayment('alice', articles[0])).payment_request);
  expect(breaker.circuit().state).toBe('closed');
});

test('a node still starting up: 503 page, /readyz names it and the call', async () => {
  site.devnet.control('site').setRpcState('starting');
  try {
    const agent = await loggedInAgent(site.app, 'bob');
    const res = await agent.get(`/articles/${articles[1]}`);
    expect(res.status).toBe(503);
    expect(res.text).toContain('Payments are unavailable right now');
    expect(breaker.circuit().consecutiveFailures).toBe(1);
    const ready = await request(site.app).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.lightning.detail).toContain('Lightning node still starting up (GetInfo)');
    expect(ready.body.checks.lightning.detail).toContain(
      'the RPC server is in the process of starting up, but not yet ready to accept calls',
    );
    expect((await viewPayment('bob', articles[1])).status).toBe('pending_invoice');
  } finally {
    site.devnet.control('site').setRpcState('active');
    await closeCircuit();
  }
});

test('a macaroon LND refuses: 503 page, /readyz says the macaroon was refused', async () => {
  const original = target;
  target = clientWith(site.devnet.nodes.site.refusedMacaroonPath as string);
  try {
    await expect(target.getInfo()).rejects.toMatchObject({ name: 'LightningUnavailableError', reason: 'macaroon-refused' });
    const agent = await loggedInAgent(site.app, 'bob');
    const res = await agent.get(`/articles/${articles[2]}`);
    expect(res.status).toBe(503);
    expect(res.text).toContain('Payments are unavailable right now');
    const ready = await request(site.app).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.lightning.detail).toContain('refused our macaroon');
    expect(ready.body.checks.lightning.detail).toContain('verification failed: signature mismatch after caveat verification');
    expect((await viewPayment('bob', articles[2])).status).toBe('pending_invoice');
  } finally {
    target = original;
    await closeCircuit();
  }
});

test('a macaroon without info:read (invoice.macaroon): invoices still work, /readyz names the permission missing for GetInfo', async () => {
  const original = target;
  target = clientWith(site.devnet.nodes.site.invoiceMacaroonPath as string);
  try {
    const err = await target.getInfo().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(NodeNotReadyError);
    expect(err).toMatchObject({ reason: 'permission-denied', method: 'GetInfo', nodeText: 'permission denied' });
    const ready = await request(site.app).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks.lightning.detail).toBe(
      'Lightning node: our macaroon lacks the permission for this call (GetInfo): permission denied',
    );
    // invoices:write is there: the reader still gets an invoice.
    skewMs += 60_000;
    const agent = await loggedInAgent(site.app, 'alice');
    const page = await agent.get(`/articles/${articles[3]}`);
    expect(page.status).toBe(200);
    expect(paymentRequestFrom(page.text)).toBe((await viewPayment('alice', articles[3])).payment_request);
  } finally {
    target = original;
    await closeCircuit();
  }
});

test('an lndconnect URI carrying the macaroon in hex is accepted and talks to the node', async () => {
  const n = site.devnet.nodes.site;
  const macaroon = fs.readFileSync(n.macaroonPath);
  const uri = encodeLndconnect({ host: n.grpcHost, tlsCertPem: fs.readFileSync(n.tlsCertPath), macaroon }).replace(
    /macaroon=[^&]+/,
    `macaroon=${macaroon.toString('hex')}`,
  );
  expect(uri).toMatch(/macaroon=0201[0-9a-f]+$/);
  const config = loadNodeConfig({ connectUri: uri });
  expect(config.macaroon.equals(macaroon)).toBe(true);
  const client = createLndClient({ ...config, logger: silentLogger });
  others.push(client);
  expect((await client.getInfo()).identityPubkey).toBe(n.identityPubkey);

  // A macaroon parameter that is not a macaroon at all is refused at start, saying what is wrong.
  const bad = uri.replace(/macaroon=[^&]+/, 'macaroon=deadbeef');
  expect(() => loadNodeConfig({ connectUri: bad })).toThrow(/not an LND macaroon/);
});
