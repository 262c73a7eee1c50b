/**
 * What several workers on one database rely on, with two of everything in one test process:
 * payment news crosses between them over PostgreSQL LISTEN/NOTIFY, and two invoice watchers
 * following the same node never apply one settlement twice.
 */
import { createPgPaymentEvents, type SharedPaymentEvents } from '../../src/payments/pg-payment-events';
import { createPaymentsService } from '../../src/payments/payments-service';
import { createPaymentsRepo } from '../../src/payments/payments-repo';
import { createWatcherStateRepo } from '../../src/payments/watcher-state-repo';
import { createInvoiceWatcher, type InvoiceWatcher } from '../../src/payments/invoice-watcher';
import type { PaymentCompleted, PaymentEvents } from '../../src/payments/payment-events';
import type { LightningNode } from '../../src/lightning/types';
import { payInvoice } from '../../src/devnet/pay';
import { silentLogger } from '../../src/lib/logger';
import { startTestSite, loggedInAgent, paymentRequestFrom, nodeFor, type TestSite } from '../helpers/site';
import { eventually } from '../helpers/http';
import { adminArticles } from '../helpers/db-probes';

let site: TestSite;
const shared: SharedPaymentEvents[] = [];
const watchers: InvoiceWatcher[] = [];
const nodes: LightningNode[] = [];

beforeAll(async () => {
  site = await startTestSite();
});
afterAll(async () => {
  for (const w of watchers) await w.stop();
  for (const e of shared) await e.stop();
  for (const n of nodes) n.close();
  await site.close();
});

async function sharedEvents(): Promise<SharedPaymentEvents> {
  const e = createPgPaymentEvents({ connectionString: site.db.url, logger: silentLogger });
  await e.start();
  shared.push(e);
  return e;
}

test('a completion published by one worker reaches the pages of another, once each', async () => {
  const [one, two] = [await sharedEvents(), await sharedEvents()];
  expect(one.listening() && two.listening()).toBe(true);
  const heardByOne: PaymentCompleted[] = [];
  const heardByTwo: PaymentCompleted[] = [];
  one.onCompleted(42, (e) => heardByOne.push(e));
  two.onCompleted(42, (e) => heardByTwo.push(e));
  two.onCompleted(43, () => {
    throw new Error('another reader must not hear it');
  });

  one.completed({ paymentId: 7, userId: 42, articleId: 3, purpose: 'upvote' });

  await eventually(async () => (heardByTwo.length > 0 ? true : undefined), 'the other worker to hear it');
  expect(heardByTwo).toEqual([{ paymentId: 7, userId: 42, articleId: 3, purpose: 'upvote' }]);
  // The sender hears it at once in its own process, and does not hear its own echo a second time.
  await new Promise((r) => setTimeout(r, 200));
  expect(heardByOne).toEqual([{ paymentId: 7, userId: 42, articleId: 3, purpose: 'upvote' }]);
});

test('two watchers see the same settlement; it is applied once and every worker hears of it once', async () => {
  const counted: PaymentEvents[] = [];
  let completions = 0;
  for (let i = 0; i < 2; i += 1) {
    const events = await sharedEvents();
    const countingEvents: PaymentEvents = {
      ...events,
      completed(e) {
        completions += 1;
        events.completed(e);
      },
    };
    counted.push(countingEvents);
    const node = nodeFor(site.devnet, 'site', silentLogger);
    nodes.push(node);
    const payments = createPaymentsService({
      repo: createPaymentsRepo(site.knex),
      node,
      logger: silentLogger,
      siteName: 'Test Reads',
      invoiceExpirySeconds: 3600,
      events: countingEvents,
    });
    const watcher = createInvoiceWatcher({ node, payments, state: createWatcherStateRepo(site.knex), logger: silentLogger });
    watcher.start();
    watchers.push(watcher);
  }
  await eventually(async () => (watchers.every((w) => w.status().connected) ? true : undefined), 'both watchers to connect');

  const alice = await site.knex('users').where({ username: 'alice' }).first('id');
  const heard = counted.map(() => [] as PaymentCompleted[]);
  counted.forEach((e, i) => e.onCompleted(alice.id, (ev) => heard[i].push(ev)));

  const [article] = await adminArticles(site.knex);
  const agent = await loggedInAgent(site.app, 'alice');
  const pr = paymentRequestFrom((await agent.get(`/articles/${article.id}`)).text);
  expect((await payInvoice(site.devnet.nodes.alice, pr)).status).toBe('SUCCEEDED');

  await eventually(async () => (heard.every((h) => h.length > 0) ? true : undefined), 'both workers to hear of the payment');
  await Promise.all(watchers.map((w) => w.idle()));
  await new Promise((r) => setTimeout(r, 300));
  expect(completions).toBe(1);
  expect(heard.map((h) => h.length)).toEqual([1, 1]);
  const rows = await site.knex('payments').where({ user_id: alice.id, article_id: article.id });
  expect(rows).toHaveLength(1);
  expect(rows[0].status).toBe('complete');
  const invoices = await site.knex('payment_invoices').where({ payment_id: rows[0].id }).whereNotNull('settled_at');
  expect(invoices).toHaveLength(1);
});
