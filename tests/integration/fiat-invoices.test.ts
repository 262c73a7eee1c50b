/**
 * A fiat-priced article's invoices each keep the price and rate they were converted at, and the
 * payment records those of the invoice that was actually paid. A reader's invoice is issued at
 * €5.00 and rate A; the rate moves to B and the writer makes it €6.00, so the reader's next view
 * replaces the open invoice (still payable on the node) with one at €6.00 and rate B. Paying the
 * second records B; paying the first records A (the watcher credits a replaced invoice paid late).
 *
 * (A move of the rate alone keeps the open invoice; a replacement after expiry takes the same
 * path: invoice-steps.ts `replace`.)
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPriceFeed, type PriceFeed } from '../../src/prices/price-feed';
import { DEFAULT_SOURCES } from '../../src/prices/price-sources';
import { payInvoice } from '../../src/devnet/pay';
import { silentLogger } from '../../src/lib/logger';
import { startTestSite, loggedInAgent, paymentRequestFrom, articleBody, csrfFrom, type TestSite } from '../helpers/site';
import { eventually } from '../helpers/http';

let eur = 50_000;
let server: http.Server;
let feed: PriceFeed;
let site: TestSite;
let writer: Awaited<ReturnType<typeof loggedInAgent>>;

beforeAll(async () => {
  server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ bitcoin: { eur } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  feed = createPriceFeed({
    currency: 'EUR',
    sources: [{ ...DEFAULT_SOURCES.coingecko, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/coingecko` }],
    timeoutMs: 5000,
    refreshMs: 60_000,
    maxAgeMs: 600_000,
    logger: silentLogger,
  });
  await feed.refresh();
  site = await startTestSite({ prices: feed, watcher: true });
  writer = await loggedInAgent(site.app, 'admin');
  await site.knex('webhook_endpoints').insert({ url: 'https://hooks.example.com/', events: ['payment.completed'], secret: 'whsec_x' });
});
afterAll(async () => {
  await site?.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function rate(eurPerBtc: number): Promise<void> {
  eur = eurPerBtc;
  await feed.refresh();
}

const ARTICLE = { title: 'Euro priced', teaser: 'Teaser', body: 'The paid body.', priceSat: '100', intent: 'publish' };

/** The writer publishes an article at €5.00 (rate A: 50,000 €/BTC). */
async function publishAtFiveEuros(): Promise<number> {
  await rate(50_000);
  const form = await writer.get('/write');
  const made = await writer
    .post('/write')
    .type('form')
    .send({ _csrf: csrfFrom(form.text), ...ARTICLE, priceFiat: '5.00' });
  expect(made.status).toBe(302);
  return Number(/\/articles\/(\d+)/.exec(made.headers.location)![1]);
}

/** `reader` views at €5.00 and rate A; the rate moves to B and the writer asks €6.00; the reader's next view: a second invoice. */
async function twoInvoices(reader: 'alice' | 'bob') {
  const articleId = await publishAtFiveEuros();
  const agent = await loggedInAgent(site.app, reader);
  const view = await agent.get(`/articles/${articleId}`);
  expect(view.text).toMatch(/<strong class="amount">10,000 sats<\/strong> ≈ €5.00/);
  const first = paymentRequestFrom(view.text);

  await rate(40_000); // B
  // A move of the rate alone keeps the open invoice.
  expect(paymentRequestFrom((await agent.get(`/articles/${articleId}`)).text)).toBe(first);
  const form = await writer.get(`/articles/${articleId}/edit`);
  const saved = await writer
    .post(`/articles/${articleId}/edit`)
    .type('form')
    .send({ _csrf: csrfFrom(form.text), ...ARTICLE, priceFiat: '6.00' });
  expect(saved.status).toBe(302);
  // The page cache hears of the edit over LISTEN/NOTIFY: the view that sees €6.00 replaces the invoice.
  const page = await eventually(async () => {
    const p = await agent.get(`/articles/${articleId}`);
    return p.text.includes('≈ €6.00') ? p : undefined;
  }, 'the article page to show the new price');
  expect(page.text).toMatch(/<strong class="amount">15,000 sats<\/strong> ≈ €6.00/);
  const second = paymentRequestFrom(page.text);
  expect(second).not.toBe(first);

  const payment = await site
    .knex('payments as p')
    .join('users as u', 'u.id', 'p.user_id')
    .where({ 'p.article_id': articleId, 'p.purpose': 'view', 'u.username': reader })
    .first('p.*');
  const invoices = await site.knex('payment_invoices').where({ payment_id: payment.id }).orderBy('id');
  expect(invoices.map((i) => [i.payment_request, Number(i.amount_sat), i.fiat_currency, Number(i.fiat_minor), i.fiat_rate])).toEqual([
    [first, 10_000, 'EUR', 500, '50000.00000000'],
    [second, 15_000, 'EUR', 600, '40000.00000000'],
  ]);
  // While pending, the payment is its current invoice's.
  expect(payment).toMatchObject({ status: 'pending_payment', amount_sat: 15_000, fiat_minor: 600, fiat_rate: '40000.00000000' });
  return { agent, articleId, payment, first, second };
}

const completed = (id: number) =>
  eventually(async () => {
    const p = await site.knex('payments').where({ id }).first();
    return p.status === 'complete' ? p : undefined;
  }, `payment ${id} to complete`);

/** What a webhook endpoint is told of the payment's completion. */
const completionEvent = async (id: number) =>
  (await site.knex('webhook_events').where({ type: 'payment.completed' }).orderBy('id'))
    .map((e) => (JSON.parse(e.body) as { data: { paymentId: number } }).data)
    .find((d) => d.paymentId === id);

test.each([
  {
    name: 'the replacement invoice paid: the payment records its price, rate B and its sats',
    reader: 'bob' as const,
    pays: 'second' as const,
    sats: 15_000,
    fiatMinor: 600,
    rate: '40000.00000000',
  },
  {
    name: "the first invoice paid after it was replaced: the payment records its price, rate A and its sats, not the newer invoice's",
    reader: 'alice' as const,
    pays: 'first' as const,
    sats: 10_000,
    fiatMinor: 500,
    rate: '50000.00000000',
  },
])('$name', async ({ reader, pays, sats, fiatMinor, rate }) => {
  const invoices = await twoInvoices(reader);
  const { agent, articleId, payment } = invoices;
  expect((await payInvoice(site.devnet.nodes[reader], invoices[pays])).status).toBe('SUCCEEDED');
  const done = await completed(payment.id);
  expect(done).toMatchObject({
    amount_sat: sats,
    amount_paid_sat: sats,
    fiat_currency: 'EUR',
    fiat_minor: fiatMinor,
    fiat_rate: rate,
  });
  expect(await completionEvent(payment.id)).toMatchObject({ priceSat: sats, amountPaidSat: sats });
  expect(articleBody((await agent.get(`/articles/${articleId}`)).text)).not.toBeNull();
});
