import { payInvoice } from '../../src/devnet/pay';
import { startTestSite, loggedInAgent, articleBody, paymentRequestFrom, type TestSite } from '../helpers/site';
import { adminArticles } from '../helpers/db-probes';

let site: TestSite;
beforeAll(async () => {
  site = await startTestSite({ invoiceExpirySeconds: 2 });
});
afterAll(() => site.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('an invoice that expired unpaid is replaced by a fresh one on the next view, and the fresh one unlocks the article', async () => {
  const [article] = await adminArticles(site.knex);
  const agent = await loggedInAgent(site.app, 'bob');
  const first = await agent.get(`/articles/${article.id}`);
  const oldPr = paymentRequestFrom(first.text);
  const old = await site.knex('payments').where({ article_id: article.id }).first();

  await sleep(3000);
  // The node cancelled it, as LND does at expiry; paying it now fails.
  expect((await site.node.lookupInvoice(old.payment_hash)).state).toBe('CANCELED');
  // LND refuses an expired invoice before trying a route: a gRPC error, not a FAILED payment.
  await expect(payInvoice(site.devnet.nodes.bob, oldPr)).rejects.toThrow(/invoice expired/);

  const next = await agent.get(`/articles/${article.id}`);
  const newPr = paymentRequestFrom(next.text);
  expect(newPr).not.toBe(oldPr);
  const rows = await site.knex('payments').where({ article_id: article.id });
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ status: 'pending_payment', payment_request: newPr });
  expect(rows[0].payment_hash).not.toBe(old.payment_hash);

  const paid = await payInvoice(site.devnet.nodes.bob, newPr);
  expect(paid.status).toBe('SUCCEEDED');
  const done = await agent.get(`/articles/${article.id}?check=true`);
  expect(articleBody(done.text)).not.toBeNull();
  expect((await site.knex('payments').where({ id: rows[0].id }).first()).status).toBe('complete');
});
