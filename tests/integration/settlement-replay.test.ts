import { payInvoice } from '../../src/devnet/pay';
import { createInvoiceWatcher } from '../../src/payments/invoice-watcher';
import { createPaymentsRepo } from '../../src/payments/payments-repo';
import { createWatcherStateRepo } from '../../src/payments/watcher-state-repo';
import { silentLogger } from '../../src/lib/logger';
import type { PaymentCompleted } from '../../src/payments/payment-events';
import { startTestSite, loggedInAgent, paymentRequestFrom, type TestSite } from '../helpers/site';
import { eventually } from '../helpers/http';
import { adminArticles } from '../helpers/db-probes';

let site: TestSite;
let articles: number[];
const completions: PaymentCompleted[] = [];

beforeAll(async () => {
  site = await startTestSite();
  articles = (await adminArticles(site.knex)).map((a) => a.id);
  const alice = await site.knex('users').where({ username: 'alice' }).first();
  site.events.onCompleted(alice.id, (e) => completions.push(e));
});
afterAll(() => site.close());

test('replayed and duplicate settlement events change nothing', async () => {
  const articleId = articles[0];
  // An invoice before ours, so a replay from add index 1 includes ours (LND replays nothing from 0).
  await site.node.createInvoice({ valueSat: 1, memo: 'first invoice on the node' });
  const agent = await loggedInAgent(site.app, 'alice');
  const pr = paymentRequestFrom((await agent.get(`/articles/${articleId}`)).text);
  const before = await site.knex('payments').where({ article_id: articleId }).first();
  expect((await payInvoice(site.devnet.nodes.alice, pr)).status).toBe('SUCCEEDED');
  const settled = await site.node.lookupInvoice(before.payment_hash);

  expect(await site.payments.applyInvoiceUpdate(settled)).toBe(true);
  const once = await site.knex('payments').where({ id: before.id }).first();
  expect(await site.payments.applyInvoiceUpdate(settled)).toBe(false);
  expect(await site.payments.applyInvoiceUpdate(settled)).toBe(false);
  const thrice = await site.knex('payments').where({ id: before.id }).first();
  expect(thrice).toEqual(once);
  expect(completions.filter((c) => c.paymentId === before.id)).toHaveLength(1);

  // A watcher resuming from add index 1 gets the settled invoice replayed: still nothing changes.
  const info = await site.node.getInfo();
  await site.knex('invoice_watcher_state').insert({ node: info.identityPubkey, add_index: 1, settle_index: 0 });
  const watcher = createInvoiceWatcher({
    node: site.node,
    payments: site.payments,
    state: createWatcherStateRepo(site.knex),
    logger: silentLogger,
  });
  watcher.start();
  try {
    await eventually(async () => {
      const row = await site.knex('invoice_watcher_state').where({ node: info.identityPubkey }).first();
      return row && row.add_index >= settled.addIndex && row.settle_index >= settled.settleIndex ? row : undefined;
    }, 'the watcher to replay up to the settlement');
    await watcher.idle();
  } finally {
    await watcher.stop();
  }
  expect(await site.knex('payments').where({ id: before.id }).first()).toEqual(once);
  expect(completions.filter((c) => c.paymentId === before.id)).toHaveLength(1);
});

test('an invoice that was replaced but then paid after all still completes the payment, and its history is kept', async () => {
  const articleId = articles[1];
  const agent = await loggedInAgent(site.app, 'alice');
  const oldPr = paymentRequestFrom((await agent.get(`/articles/${articleId}`)).text);
  const payment = await site.knex('payments').where({ article_id: articleId }).first();
  // The site replaced the invoice (as it does at expiry) while the reader's wallet still held the old one.
  const fresh = await site.node.createInvoice({ valueSat: payment.amount_sat, memo: 'replacement' });
  const repo = createPaymentsRepo(site.knex);
  expect(await repo.replaceInvoice(payment.id, payment.payment_hash, fresh)).toBe(true);
  expect(paymentRequestFrom((await agent.get(`/articles/${articleId}`)).text)).toBe(fresh.paymentRequest);

  expect((await payInvoice(site.devnet.nodes.alice, oldPr)).status).toBe('SUCCEEDED');
  const swept = await site.payments.sweepPending();
  expect(swept.completed).toBe(1);

  const row = await site.knex('payments').where({ id: payment.id }).first();
  expect(row).toMatchObject({ status: 'complete', amount_paid_sat: payment.amount_sat });
  const history = await site.knex('payment_invoices').where({ payment_id: payment.id }).orderBy('id');
  expect(history.map((h) => h.payment_hash)).toEqual([payment.payment_hash, fresh.paymentHash]);
  expect(history[0].settled_at).toBeInstanceOf(Date);
  expect(history[1].settled_at).toBeNull();
});
