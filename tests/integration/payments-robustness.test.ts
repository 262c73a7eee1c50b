import { createLndClient } from '../../src/lightning/lnd-grpc-client';
import { loadNodeConfig } from '../../src/lightning/load-node-config';
import type { LightningNode } from '../../src/lightning/types';
import { silentLogger } from '../../src/lib/logger';
import { startTestSite, loggedInAgent, articleBody, paymentRequestFrom, type TestSite } from '../helpers/site';
import { adminArticles as adminArticlesOf } from '../helpers/db-probes';

/** Delegates to whichever node the test points it at: lets one site lose and regain its node. */
function switchableNode(initial: LightningNode) {
  let current = initial;
  const node: LightningNode = {
    getInfo: () => current.getInfo(),
    createInvoice: (i) => current.createInvoice(i),
    lookupInvoice: (h) => current.lookupInvoice(h),
    subscribeInvoices: (f, h) => current.subscribeInvoices(f, h),
    close: () => current.close(),
  };
  return { node, use: (n: LightningNode) => (current = n) };
}

let site: TestSite;
let real: LightningNode;
let unreachable: LightningNode;
let switcher: ReturnType<typeof switchableNode>;
const adminArticles: number[] = [];

beforeAll(async () => {
  // A real gRPC client aimed at a port where nothing listens, with the site node's real cert.
  switcher = switchableNode(null as unknown as LightningNode);
  site = await startTestSite({ node: switcher.node });
  const s = site.devnet.nodes.site;
  real = createLndClient({
    ...loadNodeConfig({ grpcHost: s.grpcHost, tlsCertPath: s.tlsCertPath, macaroonPath: s.macaroonPath }),
    logger: silentLogger,
  });
  unreachable = createLndClient({
    ...loadNodeConfig({ grpcHost: '127.0.0.1:1', tlsCertPath: s.tlsCertPath, macaroonPath: s.macaroonPath }),
    logger: silentLogger,
    deadlineMs: 2000,
  });
  switcher.use(real);
  adminArticles.push(...(await adminArticlesOf(site.knex)).map((a) => a.id));
});
afterAll(async () => {
  real.close();
  unreachable.close();
  await site.close();
});

test('20 concurrent first views by one reader give one payment and one invoice', async () => {
  const articleId = adminArticles[1];
  const agent = await loggedInAgent(site.app, 'alice');
  const before = await real.createInvoice({ valueSat: 1, memo: 'index probe' });

  const pages = await Promise.all(Array.from({ length: 20 }, () => agent.get(`/articles/${articleId}`)));

  expect(pages.map((p) => p.status)).toEqual(Array(20).fill(200));
  const requests = new Set(pages.map((p) => paymentRequestFrom(p.text)));
  expect(requests.size).toBe(1);
  const rows = await site.knex('payments').where({ article_id: articleId });
  expect(rows).toHaveLength(1);
  expect(rows[0].status).toBe('pending_payment');
  // Exactly one invoice was added on the node between the two probes.
  const after = await real.createInvoice({ valueSat: 1, memo: 'index probe' });
  expect(after.addIndex).toBe(before.addIndex + 2);
});

test('when the node cannot be reached the page says payments are unavailable (503), the payment stays pending_invoice, and the next view tries again', async () => {
  const articleId = adminArticles[2];
  const agent = await loggedInAgent(site.app, 'bob');
  switcher.use(unreachable);
  try {
    const down = await agent.get(`/articles/${articleId}`);
    expect(down.status).toBe(503);
    expect(down.text).toContain('The payment service is unavailable');
    expect(down.text).toContain('try again');
    expect(down.text).not.toMatch(/at \w+ \(|Error:|UNAVAILABLE/);
    expect(articleBody(down.text)).toBeNull();
    const rows = await site.knex('payments').where({ article_id: articleId });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'pending_invoice', payment_hash: null, payment_request: null });
  } finally {
    switcher.use(real);
  }
  const up = await agent.get(`/articles/${articleId}`);
  expect(up.status).toBe(200);
  const pr = paymentRequestFrom(up.text);
  const rows = await site.knex('payments').where({ article_id: articleId });
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ status: 'pending_payment', payment_request: pr });
});

test('a Complete press while the node is down keeps the invoice and answers 503', async () => {
  const articleId = adminArticles[3];
  const agent = await loggedInAgent(site.app, 'bob');
  const first = await agent.get(`/articles/${articleId}`);
  const pr = paymentRequestFrom(first.text);
  switcher.use(unreachable);
  try {
    const res = await agent.get(`/articles/${articleId}?check=true`);
    expect(res.status).toBe(503);
    expect(res.text).toContain('The payment service is unavailable');
  } finally {
    switcher.use(real);
  }
  const row = await site.knex('payments').where({ article_id: articleId }).first();
  expect(row).toMatchObject({ status: 'pending_payment', payment_request: pr });
});

test('when our stored expiry has passed but the node still holds the invoice open, the node decides: the invoice is kept', async () => {
  const articleId = adminArticles[4];
  const agent = await loggedInAgent(site.app, 'alice');
  const first = await agent.get(`/articles/${articleId}`);
  const oldPr = paymentRequestFrom(first.text);
  const old = await site.knex('payments').where({ article_id: articleId }).first();
  // Our clock says the invoice is over; the node's own expiry says it is not.
  await site
    .knex('payments')
    .where({ id: old.id })
    .update({ invoice_expires_at: new Date(Date.now() - 1000) });
  const onNode = await real.lookupInvoice(old.payment_hash);
  expect(onNode.state).toBe('OPEN');
  const same = await agent.get(`/articles/${articleId}`);
  expect(paymentRequestFrom(same.text)).toBe(oldPr);
});
