import { payInvoice } from '../../src/devnet/pay';
import { createInvoiceWatcher, type InvoiceWatcher } from '../../src/payments/invoice-watcher';
import { createWatcherStateRepo } from '../../src/payments/watcher-state-repo';
import { startTestSite, loggedInAgent, paymentRequestFrom, articleBody, type TestSite } from '../helpers/site';
import { listen, loginCookie, openSse, eventually } from '../helpers/http';
import { silentLogger } from '../../src/lib/logger';
import { adminArticles } from '../helpers/db-probes';

let site: TestSite;
let http: Awaited<ReturnType<typeof listen>>;
let watcher: InvoiceWatcher;
let articles: number[];

const newWatcher = () =>
  createInvoiceWatcher({
    node: site.node,
    payments: site.payments,
    state: createWatcherStateRepo(site.knex),
    logger: silentLogger,
    backoff: { initialMs: 100, maxMs: 400 },
  });

const statusOf = async (articleId: number, username: string) => {
  const row = await site
    .knex('payments as p')
    .join('users as u', 'u.id', 'p.user_id')
    .where({ 'p.article_id': articleId, 'u.username': username })
    .first('p.*');
  return row;
};
const completeRow = (articleId: number, username: string) => async () => {
  const row = await statusOf(articleId, username);
  return row?.status === 'complete' ? row : undefined;
};

beforeAll(async () => {
  site = await startTestSite();
  http = await listen(site.app);
  watcher = newWatcher();
  watcher.start();
  articles = (await adminArticles(site.knex)).map((a) => a.id);
});
afterAll(async () => {
  await watcher.stop();
  await http.close();
  await site.close();
});

test('the page hears `complete` as soon as the node settles the invoice, and only its own reader hears it', async () => {
  const articleId = articles[0];
  const aliceCookie = await loginCookie(http.baseUrl, 'alice');
  const bobCookie = await loginCookie(http.baseUrl, 'bob');
  const page = await fetch(`${http.baseUrl}/articles/${articleId}`, { headers: { cookie: aliceCookie } });
  const html = await page.text();
  expect(html).toContain('<svg');
  expect(html).toContain('aria-label="QR code of the Lightning invoice');
  const pr = paymentRequestFrom(html);
  expect(html).toContain(`href="lightning:${pr}"`);

  const aliceStream = await openSse(`${http.baseUrl}/articles/${articleId}/events`, aliceCookie);
  const bobStream = await openSse(`${http.baseUrl}/articles/${articleId}/events`, bobCookie);
  expect(aliceStream.status).toBe(200);
  try {
    expect((await payInvoice(site.devnet.nodes.alice, pr)).status).toBe('SUCCEEDED');
    const event = await aliceStream.next('complete');
    expect(JSON.parse(event.data)).toMatchObject({ articleId });
    // The watcher, not a button press, completed it.
    expect(await statusOf(articleId, 'alice')).toMatchObject({ status: 'complete' });
    await watcher.idle();
    expect(bobStream.events.filter((e) => e.event === 'complete')).toEqual([]);

    // The page then renders the article for alice.
    const after = await fetch(`${http.baseUrl}/articles/${articleId}`, { headers: { cookie: aliceCookie } });
    expect(articleBody(await after.text())).not.toBeNull();
  } finally {
    aliceStream.close();
    bobStream.close();
  }
});

test('a stream opened after the payment completed gets `complete` at once; anonymous visitors get 401', async () => {
  const cookie = await loginCookie(http.baseUrl, 'alice');
  const stream = await openSse(`${http.baseUrl}/articles/${articles[0]}/events`, cookie);
  try {
    expect(JSON.parse((await stream.next('complete')).data)).toMatchObject({ articleId: articles[0] });
  } finally {
    stream.close();
  }
  const anon = await fetch(`${http.baseUrl}/articles/${articles[0]}/events`);
  expect(anon.status).toBe(401);
});

test('a settlement made while the site was down is credited when it starts again', async () => {
  const articleId = articles[1];
  const agent = await loggedInAgent(site.app, 'bob');
  const pr = paymentRequestFrom((await agent.get(`/articles/${articleId}`)).text);
  await watcher.stop(); // the site is down: nobody is listening to the node
  expect((await payInvoice(site.devnet.nodes.bob, pr)).status).toBe('SUCCEEDED');
  expect((await statusOf(articleId, 'bob')).status).toBe('pending_payment');
  watcher = newWatcher();
  watcher.start();
  await eventually(completeRow(articleId, 'bob'), 'the payment to be credited after restart');
});

test('a settlement made while the node was stopped and restarted is credited', async () => {
  const articleId = articles[2];
  const agent = await loggedInAgent(site.app, 'alice');
  const pr = paymentRequestFrom((await agent.get(`/articles/${articleId}`)).text);
  await site.devnet.stopNodes();
  await eventually(async () => (watcher.status().connected ? undefined : true), 'the watcher to notice the node is gone');
  await site.devnet.startNodes();
  // Paid while the watcher is still backing off: it must catch up by replay or sweep.
  expect((await payInvoice(site.devnet.nodes.alice, pr)).status).toBe('SUCCEEDED');
  await eventually(completeRow(articleId, 'alice'), 'the payment to be credited after the node restart');
  expect(watcher.status().reconnects).toBeGreaterThan(0);
});
