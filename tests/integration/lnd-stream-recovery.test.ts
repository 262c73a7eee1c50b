/**
 * Live unlock keeps working after what a real node does to the invoice stream (issue 11, items 5
 * and 6): a node reset (same identity key, invoice database restored empty: its indexes start
 * again), a bogus stored index, and one invoice the site cannot read (a value out of range), which
 * must neither stop the stream nor the sweep for everyone else. Real gRPC to the devnet.
 */
import { createWatcherStateRepo } from '../../src/payments/watcher-state-repo';
import { payInvoice } from '../../src/devnet/pay';
import { createInvoiceWatcher, type InvoiceWatcher } from '../../src/payments/invoice-watcher';
import { articleBody, loggedInAgent, paymentRequestFrom, startTestSite, type TestSite } from '../helpers/site';
import { eventually } from '../helpers/http';
import { adminArticles, viewPaymentOf } from '../helpers/db-probes';

let site: TestSite;
let watcher: InvoiceWatcher;
let articles: number[];

const newWatcher = () =>
  createInvoiceWatcher({
    node: site.node,
    payments: site.payments,
    state: createWatcherStateRepo(site.knex),
    logger: site.logger,
    backoff: { initialMs: 50, maxMs: 200 },
  });

beforeAll(async () => {
  site = await startTestSite({ invoiceExpirySeconds: 3600 });
  watcher = newWatcher();
  watcher.start();
  await eventually(async () => (watcher.status().connected ? true : undefined), 'the watcher to connect');
  articles = (await adminArticles(site.knex)).map((a) => a.id);
  expect(articles.length).toBeGreaterThanOrEqual(6);
});
afterAll(async () => {
  await watcher.stop();
  await site.close();
});

const paymentOf = (username: string, articleId: number) => viewPaymentOf(site.knex, username, articleId);
const position = async () => site.knex('invoice_watcher_state').where({ node: site.devnet.nodes.site.identityPubkey }).first();

/** A reader opens an article, pays its invoice, and the payment completes by the stream alone (no Complete). */
async function paidByStream(username: string, articleId: number): Promise<void> {
  const agent = await loggedInAgent(site.app, username);
  const pr = paymentRequestFrom((await agent.get(`/articles/${articleId}`)).text);
  expect((await payInvoice(site.devnet.nodes.alice, pr)).status).toBe('SUCCEEDED');
  await eventually(
    async () => ((await paymentOf(username, articleId)).status === 'complete' ? true : undefined),
    `${username}'s payment to complete from the stream`,
  );
  expect(articleBody((await agent.get(`/articles/${articleId}`)).text)).not.toBeNull();
}

test('after a node reset (same identity, empty invoice database) the watcher notices, resubscribes from what the node has, and live unlock works', async () => {
  await paidByStream('alice', articles[0]);
  const stored = await position();
  expect(Number(stored.settle_index)).toBeGreaterThanOrEqual(1);

  await site.devnet.stopNodes();
  await site.devnet.startNodes({ site: { resetInvoices: true } });
  // The client's channel reconnects by itself; then the node answers with the same identity.
  const info = await eventually(() => site.node.getInfo().catch(() => undefined), 'the node to answer again');
  expect(info.identityPubkey).toBe(site.devnet.nodes.site.identityPubkey);
  await eventually(
    async () =>
      site.logs.some((l) => l.includes('stored invoice stream position is beyond')) && watcher.status().connected ? true : undefined,
    'the watcher to notice the reset and resubscribe',
  );
  const reset = await position();
  expect(Number(reset.settle_index)).toBe(0);

  // The node's settle index starts again at 1: without the reset the stream would skip it.
  await paidByStream('bob', articles[1]);
});

test("a bogus stored index (beyond anything the node has) is replaced by the node's position when the watcher (re)connects", async () => {
  await watcher.stop();
  await site
    .knex('invoice_watcher_state')
    .where({ node: site.devnet.nodes.site.identityPubkey })
    .update({ add_index: 5_000_000_000, settle_index: 4_000_000_000 });
  watcher = newWatcher();
  watcher.start();
  await eventually(async () => (watcher.status().connected ? true : undefined), 'the watcher to connect');
  const p = await position();
  expect(Number(p.add_index)).toBeLessThan(1000);
  expect(Number(p.settle_index)).toBe(0);
  await paidByStream('alice', articles[2]);
});

test('one invoice the site cannot read is skipped with an error log and a count; the stream goes on and other readers still unlock', async () => {
  const agent = await loggedInAgent(site.app, 'bob');
  await agent.get(`/articles/${articles[3]}`);
  const unreadable = await paymentOf('bob', articles[3]);
  const reconnects = watcher.status().reconnects;
  const skippedBefore = watcher.status().unreadable;
  // amt_paid_sat beyond 2^53: the site refuses to read the number rather than lose precision.
  site.devnet.control('site').settleFor(unreadable.payment_hash, 9_100_000_000_000_000_000n);
  await eventually(
    async () => (watcher.status().unreadable > skippedBefore ? true : undefined),
    'the watcher to skip the unreadable invoice',
  );
  expect(site.logs.some((l) => l.includes('skipped an invoice the site cannot read'))).toBe(true);

  await paidByStream('alice', articles[4]);
  expect(watcher.status().reconnects).toBe(reconnects);
  expect((await paymentOf('bob', articles[3])).status).toBe('pending_payment');

  // The reader of that invoice gets "payments are unavailable" for it, never a 500.
  const page = await agent.get(`/articles/${articles[3]}?check=true`);
  expect(page.status).toBe(503);
  expect(page.text).toContain('Payments are unavailable right now');
});

test('the sweep goes past an invoice it cannot read and credits the others', async () => {
  await watcher.stop();
  const agent = await loggedInAgent(site.app, 'bob');
  const pr = paymentRequestFrom((await agent.get(`/articles/${articles[5]}`)).text);
  expect((await payInvoice(site.devnet.nodes.alice, pr)).status).toBe('SUCCEEDED');
  expect((await paymentOf('bob', articles[5])).status).toBe('pending_payment');

  // The unreadable invoice of the previous test is older, so the sweep meets it first.
  const swept = await site.payments.sweepPending();
  expect(swept.failed).toBe(1);
  expect(swept.completed).toBe(1);
  expect((await paymentOf('bob', articles[5])).status).toBe('complete');
  expect((await paymentOf('bob', articles[3])).status).toBe('pending_payment');
  expect(site.logs.some((l) => l.includes('sweep: skipped an invoice'))).toBe(true);
  watcher = newWatcher();
  watcher.start();
});
