/**
 * Invoices the node deleted or canceled "early", against the devnet behaving as LND does (issue 11,
 * items 1 and 2): `gc-canceled-invoices-on-the-fly=true` (LookupInvoice answers NOT_FOUND once an
 * invoice is canceled or expired) and a node clock minutes ahead of the site's. Invoices here
 * expire after 2 s; the tests wait for the node to have acted, never for a fixed time.
 */
import { articleBody, clientForSite, loggedInAgent, paymentRequestFrom, startTestSite, type TestSite } from '../helpers/site';
import { eventually } from '../helpers/http';
import { InvoiceNotFoundError } from '../../src/lightning/types';
import { adminArticles, viewPaymentOf } from '../helpers/db-probes';

let site: TestSite;
let articles: number[];
const CLOCK_AHEAD_MS = 4 * 60 * 1000;

beforeAll(async () => {
  site = await startTestSite({
    invoiceExpirySeconds: 2,
    devnetBehaviours: { site: { gcCanceledInvoices: true, clockOffsetMs: CLOCK_AHEAD_MS } },
  });
  articles = (await adminArticles(site.knex)).map((a) => a.id);
});
afterAll(() => site.close());

const paymentOf = (username: string, articleId: number) => viewPaymentOf(site.knex, username, articleId);

/** Resolves once the node answers NOT_FOUND for the hash (it deleted the invoice). */
const goneFromNode = (hash: string) =>
  eventually(
    () =>
      site.node.lookupInvoice(hash).then(
        () => undefined,
        (err) => (err instanceof InvoiceNotFoundError ? true : undefined),
      ),
    'the node to delete the invoice',
  );

test('an expired invoice the node deleted (NOT_FOUND) is replaced by a fresh one on the next view; nothing is in error', async () => {
  site.devnet.control('site').setGcCanceledInvoices(true);
  const articleId = articles[0];
  const agent = await loggedInAgent(site.app, 'alice');
  const first = await agent.get(`/articles/${articleId}`);
  const oldPr = paymentRequestFrom(first.text);
  const before = await paymentOf('alice', articleId);
  await goneFromNode(before.payment_hash);
  // The site's own clock must also say expired (the node's runs ahead): wait for the stored expiry.
  await eventually(
    async () => (Date.now() > new Date(before.invoice_expires_at).getTime() ? true : undefined),
    'the stored expiry to pass',
  );

  const next = await agent.get(`/articles/${articleId}`);
  expect(next.status).toBe(200);
  expect(next.text).not.toContain('This payment needs our attention');
  const newPr = paymentRequestFrom(next.text);
  expect(newPr).not.toBe(oldPr);
  const after = await paymentOf('alice', articleId);
  expect(after).toMatchObject({ id: before.id, status: 'pending_payment', payment_request: newPr, error_reason: null });
  expect(await site.knex('payment_invoices').where({ payment_id: before.id })).toHaveLength(2);
  // Past its stored expiry, NOT_FOUND is simply "expired": no alarm for the operator.
  expect(site.logs.some((l) => l.includes('still within its expiry') && l.includes(before.payment_hash))).toBe(false);
  expect(site.logs.some((l) => l.includes('invoice gone from the node after its expiry replaced') && l.includes(before.payment_hash))).toBe(
    true,
  );
});

test('NOT_FOUND for an invoice still within its expiry is logged for the operator, and the reader still gets a fresh invoice', async () => {
  // A site whose invoices last an hour, on the same kind of node, so that "within its expiry" holds.
  const longer = await startTestSite({ invoiceExpirySeconds: 3600, devnetBehaviours: { site: { gcCanceledInvoices: true } } });
  try {
    const agent = await loggedInAgent(longer.app, 'bob');
    const first = await agent.get(`/articles/${articles[1]}`);
    const oldPr = paymentRequestFrom(first.text);
    const payment = await longer
      .knex('payments as p')
      .join('users as u', 'u.id', 'p.user_id')
      .where({ 'u.username': 'bob', 'p.article_id': articles[1] })
      .first('p.*');
    const admin = clientForSite(longer);
    await admin.call('invoices', 'CancelInvoice', { payment_hash: Buffer.from(payment.payment_hash, 'hex') });
    admin.close();
    await expect(longer.node.lookupInvoice(payment.payment_hash)).rejects.toBeInstanceOf(InvoiceNotFoundError);

    const next = await agent.get(`/articles/${articles[1]}?check=true`);
    expect(next.status).toBe(200);
    const newPr = paymentRequestFrom(next.text);
    expect(newPr).not.toBe(oldPr);
    const after = await longer.knex('payments').where({ id: payment.id }).first();
    expect(after).toMatchObject({ status: 'pending_payment', payment_request: newPr, error_reason: null });
    expect(
      longer.logs.some((l) => l.includes('"level":"error"') && l.includes('still within its expiry') && l.includes(payment.payment_hash)),
    ).toBe(true);
  } finally {
    await longer.close();
  }
});

test("with the node's clock minutes ahead, its expiry cancel does not look early: a fresh invoice, no error, no early-cancel alarm", async () => {
  site.devnet.control('site').setGcCanceledInvoices(false);
  const articleId = articles[2];
  const agent = await loggedInAgent(site.app, 'bob');
  const first = await agent.get(`/articles/${articleId}`);
  const oldPr = paymentRequestFrom(first.text);
  const before = await paymentOf('bob', articleId);
  const canceled = await eventually(async () => {
    const inv = await site.node.lookupInvoice(before.payment_hash);
    return inv.state === 'CANCELED' ? inv : undefined;
  }, 'the node to cancel the invoice at its expiry');
  // The node reports an expiry minutes after the site's clock: its clock runs ahead.
  expect(canceled.expiresAt.getTime() - Date.now()).toBeGreaterThan(60_000);
  await eventually(
    async () => (Date.now() > new Date(before.invoice_expires_at).getTime() ? true : undefined),
    'the stored expiry to pass',
  );

  const next = await agent.get(`/articles/${articleId}`);
  expect(next.status).toBe(200);
  expect(next.text).not.toContain('This payment needs our attention');
  expect(articleBody(next.text)).toBeNull();
  const newPr = paymentRequestFrom(next.text);
  expect(newPr).not.toBe(oldPr);
  expect(await paymentOf('bob', articleId)).toMatchObject({
    id: before.id,
    status: 'pending_payment',
    payment_request: newPr,
    error_reason: null,
  });
  expect(site.logs.some((l) => l.includes('before its expiry') && l.includes(before.payment_hash))).toBe(false);
});
