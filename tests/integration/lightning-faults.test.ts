/**
 * The Lightning node going away and coming back, for real: the test stops the site's devnet (its
 * gRPC servers close) and starts it again on the same ports with the same state.
 */
import request from 'supertest';
import { withCircuitBreaker, type CircuitBreakerNode } from '../../src/lightning/circuit-breaker';
import type { InvoiceWatcher } from '../../src/payments/invoice-watcher';
import { createMetrics } from '../../src/ops/metrics';
import { payInvoice } from '../../src/devnet/pay';
import { silentLogger } from '../../src/lib/logger';
import { startTestSite, loggedInAgent, articleBody, paymentRequestFrom, type TestSite } from '../helpers/site';
import { eventually } from '../helpers/http';
import { adminArticles } from '../helpers/db-probes';

let site: TestSite;
let breaker: CircuitBreakerNode;
let watcher: InvoiceWatcher;
const metrics = createMetrics({ collectDefaults: false });
let articles: number[];
/** The breaker's clock runs ahead when the test says so: "the open period is over" without waiting. */
let skewMs = 0;

beforeAll(async () => {
  site = await startTestSite({
    wrapNode: (node) => {
      breaker = withCircuitBreaker(node, {
        failureThreshold: 2,
        openMs: 60_000,
        now: () => Date.now() + skewMs,
        logger: silentLogger,
        onCall: (method, outcome) => metrics.nodeCalls.inc({ method, outcome }),
      });
      return breaker;
    },
    // The site's own watcher, on the breaker: /readyz reports its stream.
    watcher: true,
    readinessDeadlineMs: 3_000,
    metrics,
    metricsAccess: { public: true, token: null },
  });
  watcher = site.watcher!;
  articles = (await adminArticles(site.knex)).map((a) => a.id);
});
afterAll(async () => {
  await site.devnet.startNodes();
  await site.close();
});

test('with the node up, /readyz says database, node and watcher are fine', async () => {
  await eventually(async () => (watcher.status().connected ? true : undefined), 'the watcher to connect');
  const res = await request(site.app).get('/readyz');
  expect(res.status).toBe(200);
  expect(res.body.checks).toEqual({ database: { ok: true }, lightning: { ok: true }, watcher: { ok: true } });
});

test('node down: pages that need no node work, articles say payments are unavailable (503), the circuit opens, /readyz says why', async () => {
  await site.devnet.stopNodes();
  const agent = await loggedInAgent(site.app, 'bob');

  expect((await agent.get('/')).status).toBe(200);
  for (let i = 0; i < 2; i += 1) {
    const res = await agent.get(`/articles/${articles[0]}`);
    expect(res.status).toBe(503);
    expect(res.text).toContain('Payments are unavailable right now');
    expect(articleBody(res.text)).toBeNull();
  }
  expect(breaker.circuit().state).toBe('open');
  // With the circuit open the page is answered without asking the node at all.
  // The watcher's reconnect probes are rejected too (getInfo); count only the page's own call.
  const rejectedInvoices = async () =>
    (await metrics.nodeCalls.get()).values.find((v) => v.labels.outcome === 'rejected' && v.labels.method === 'createInvoice')?.value ?? 0;
  const before = await rejectedInvoices();
  const fast = await agent.get(`/articles/${articles[0]}`);
  expect(fast.status).toBe(503);
  const after = await rejectedInvoices();
  expect(after).toBeGreaterThan(before);

  // The payment is left as it was: no invoice, nothing half-written.
  const payment = await site
    .knex('payments as p')
    .join('users as u', 'u.id', 'p.user_id')
    .where({ 'u.username': 'bob', 'p.article_id': articles[0] })
    .first('p.*');
  expect(payment?.status ?? 'pending_invoice').toBe('pending_invoice');

  const ready = await eventually(async () => {
    const r = await request(site.app).get('/readyz');
    return r.status === 503 && r.body.checks.watcher.ok === false ? r : undefined;
  }, 'readyz to report the outage');
  expect(ready.body.ok).toBe(false);
  expect(ready.body.checks.database).toEqual({ ok: true });
  expect(ready.body.checks.lightning.ok).toBe(false);
  expect(ready.body.checks.watcher).toEqual({ ok: false, detail: 'invoice stream disconnected' });
});

test('node back: a probe closes the circuit, the watcher reconnects, /readyz recovers and the article issues an invoice', async () => {
  await site.devnet.startNodes();
  await eventually(async () => {
    // Each poll, the open period is over: the next call is let through as a probe (a probe can
    // still fail while the client's channel reconnects; then the circuit opens again).
    skewMs += 60_000;
    const r = await request(site.app).get('/readyz');
    return r.status === 200 ? r : undefined;
  }, 'readyz to recover');
  expect(breaker.circuit().state).toBe('closed');
  expect(watcher.status().connected).toBe(true);
  expect(watcher.status().reconnects).toBeGreaterThan(0);

  const agent = await loggedInAgent(site.app, 'bob');
  const res = await agent.get(`/articles/${articles[0]}`);
  expect(res.status).toBe(200);
  expect(paymentRequestFrom(res.text)).toMatch(/^lnbcrt/);
});

test('a settlement made while the site could not hear the node is credited when the stream comes back', async () => {
  const agent = await loggedInAgent(site.app, 'alice');
  const page = await agent.get(`/articles/${articles[1]}`);
  const pr = paymentRequestFrom(page.text);
  // Drop the site's stream (the node restarts) and pay while it is gone.
  await site.devnet.stopNodes();
  await site.devnet.startNodes();
  const paid = await payInvoice(site.devnet.nodes.alice, pr);
  expect(paid.status).toBe('SUCCEEDED');

  const row = await eventually(async () => {
    skewMs += 60_000; // time passes for the breaker: a circuit opened by the restart lets a probe through
    const p = await site
      .knex('payments as p')
      .join('users as u', 'u.id', 'p.user_id')
      .where({ 'u.username': 'alice', 'p.article_id': articles[1] })
      .first('p.*');
    return p?.status === 'complete' ? p : undefined;
  }, 'the payment to be credited');
  expect(row.amount_paid_sat).toBeGreaterThan(0);
  const unlocked = await agent.get(`/articles/${articles[1]}`);
  expect(articleBody(unlocked.text)).not.toBeNull();
});

test('/metrics exposes node calls by outcome in Prometheus text', async () => {
  const res = await request(site.app).get('/metrics');
  expect(res.status).toBe(200);
  expect(res.text).toContain('lightning_node_calls_total{method="createInvoice",outcome="ok"}');
  expect(res.text).toMatch(/lightning_node_calls_total\{method="\w+",outcome="rejected"\} [1-9]/);
  expect(res.text).toMatch(/http_requests_total\{method="GET",route="\/articles\/:id",status="503"\} [1-9]/);
});
