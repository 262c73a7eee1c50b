/**
 * Prices in fiat: local HTTP servers answer in each source's documented format (and with errors,
 * garbage and slowness); the feed combines them; a writer prices an article in EUR; a reader's
 * invoice, payment and page all carry the same sats, with the rate stored on the payment.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPriceFeed, type PriceFeed } from '../../src/prices/price-feed';
import { DEFAULT_SOURCES, type PriceSourceName } from '../../src/prices/price-sources';
import { combineRates } from '../../src/prices/combine-rates';
import { fiatToSats, parseFiat, approxFiat } from '../../src/prices/fiat-money';
import { createLogger } from '../../src/lib/logger';
import { startTestSite, loggedInAgent, csrfFrom, paymentRequestFrom, type TestSite } from '../helpers/site';
import { decode } from 'light-bolt11-decoder';

type Reply = { status?: number; body: string } | { hold: true };
const replies: Record<PriceSourceName, Reply> = {
  kraken: { body: '' },
  coinbase: { body: '' },
  bitstamp: { body: '' },
  coingecko: { body: '' },
};
const held: http.ServerResponse[] = [];
let server: http.Server;
let base: string;
const requested: string[] = [];

/** Every source answering "price = eur" in its own documented format. */
function priceAll(eur: { kraken: number; coinbase: number; bitstamp: number; coingecko: number }) {
  replies.kraken = {
    body: JSON.stringify({
      error: [],
      result: {
        XXBTZEUR: {
          a: ['1', '1', '1.0'],
          b: ['1', '1', '1.0'],
          c: [eur.kraken.toFixed(1), '0.0100'],
          v: ['1', '2'],
          p: ['1', '1'],
          t: [1, 2],
          l: ['1', '1'],
          h: ['1', '1'],
          o: '1',
        },
      },
    }),
  };
  replies.coinbase = { body: JSON.stringify({ data: { amount: eur.coinbase.toFixed(2), base: 'BTC', currency: 'EUR' } }) };
  replies.bitstamp = {
    body: JSON.stringify({
      timestamp: '1700000000',
      open: '1',
      high: '1',
      low: '1',
      last: String(eur.bitstamp),
      volume: '1',
      vwap: '1',
      bid: '1',
      ask: '1',
    }),
  };
  replies.coingecko = { body: JSON.stringify({ bitcoin: { eur: eur.coingecko } }) };
}

let clock = Date.now();
const feedWith = (names: PriceSourceName[], timeoutMs = 1000): PriceFeed =>
  createPriceFeed({
    currency: 'EUR',
    sources: names.map((n) => ({ ...DEFAULT_SOURCES[n], url: `${base}/${n}?cur={cur}&CUR={CUR}` })),
    timeoutMs,
    refreshMs: 60_000,
    maxAgeMs: 600_000,
    logger: createLogger({ level: 'error', write: () => undefined }),
    now: () => new Date(clock),
  });
const ALL: PriceSourceName[] = ['kraken', 'coinbase', 'bitstamp', 'coingecko'];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requested.push(req.url ?? '');
    const name = (req.url ?? '').split('?')[0].slice(1) as PriceSourceName;
    const r = replies[name];
    if (!r) return res.writeHead(404).end();
    if ('hold' in r) return void held.push(res);
    res.writeHead(r.status ?? 200, { 'content-type': 'application/json' }).end(r.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const r of held) r.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('money arithmetic', () => {
  test("fiat to sats rounds up to the next sat; parsing takes the currency's decimals", () => {
    expect(fiatToSats(500, 'EUR', 50_000)).toBe(10_000);
    expect(fiatToSats(85, 'EUR', 61_234.56)).toBe(1389); // 0.85 / 61234.56 BTC = 1388.1 sats
    expect(fiatToSats(100, 'JPY', 9_000_000)).toBe(1112);
    expect(parseFiat('0.85', 'EUR')).toBe(85);
    expect(parseFiat('1,234.5', 'EUR')).toBe(123_450);
    expect(parseFiat('12', 'JPY')).toBe(12);
    expect(parseFiat('1.5', 'JPY')).toBeNull();
    expect(parseFiat('abc', 'EUR')).toBeNull();
    expect(approxFiat(1000, 'EUR', 85_000)).toBe('≈ €0.85');
  });

  test('the median of what answered, with a source more than 2 % off dropped', () => {
    expect(combineRates([50_000, 50_100, 49_900, 90_000])).toEqual({ rate: 50_000, used: [50_000, 50_100, 49_900], dropped: [90_000] });
    expect(combineRates([50_000, 52_000])?.rate).toBe(51_000);
    expect(combineRates([])).toBeNull();
  });
});

describe("the price feed against each source's format", () => {
  test('all four sources in their formats: the median, with the currency in each URL', async () => {
    priceAll({ kraken: 50_000, coinbase: 50_100, bitstamp: 49_900, coingecko: 50_050 });
    const feed = feedWith(ALL);
    const rate = await feed.refresh();
    expect(rate).toMatchObject({ currency: 'EUR', rate: 50_025, sources: ALL });
    expect(requested).toEqual(expect.arrayContaining(ALL.map((n) => `/${n}?cur=eur&CUR=EUR`)));
  });

  test.each(ALL)('%s alone is read correctly', async (name) => {
    priceAll({ kraken: 41_000, coinbase: 41_000, bitstamp: 41_000, coingecko: 41_000 });
    expect((await feedWith([name]).refresh())?.rate).toBe(41_000);
  });

  test('errors, garbage and an outlier are left out; the others decide', async () => {
    priceAll({ kraken: 50_000, coinbase: 50_200, bitstamp: 95_000, coingecko: 50_000 });
    replies.kraken = { body: JSON.stringify({ error: ['EQuery:Unknown asset pair'] }) };
    replies.coingecko = { body: '<html>rate limited</html>' };
    const feed = feedWith(ALL);
    // Two answered (coinbase, bitstamp): with fewer than three nothing can be called an outlier.
    expect((await feed.refresh())?.sources.sort()).toEqual(['bitstamp', 'coinbase']);
    priceAll({ kraken: 50_000, coinbase: 50_200, bitstamp: 95_000, coingecko: 50_000 });
    replies.coinbase = { status: 500, body: '{"errors":[{"id":"internal_server_error"}]}' };
    expect(await feed.refresh()).toMatchObject({ rate: 50_000, sources: ['kraken', 'coingecko'] });
  });

  test('a slow source is given up after the deadline', async () => {
    priceAll({ kraken: 50_000, coinbase: 50_000, bitstamp: 50_000, coingecko: 50_000 });
    replies.bitstamp = { hold: true };
    const rate = await feedWith(ALL, 300).refresh();
    expect(rate).toMatchObject({ rate: 50_000, sources: ['kraken', 'coinbase', 'coingecko'] });
  });

  test('when nothing answers the kept rate stays until it is too old, then prices are hidden', async () => {
    priceAll({ kraken: 50_000, coinbase: 50_000, bitstamp: 50_000, coingecko: 50_000 });
    const feed = feedWith(ALL);
    await feed.refresh();
    for (const n of ALL) replies[n] = { status: 503, body: 'down' };
    expect(await feed.refresh()).toBeNull();
    expect(feed.approx(1000)).toBe('≈ €0.50');
    clock += 600_001;
    expect(feed.current()).toBeNull();
    expect(feed.approx(1000)).toBe('');
    expect(feed.toSats(500)).toBeNull();
  });
});

describe('a site with FIAT_CURRENCY=EUR', () => {
  let site: TestSite;
  let feed: PriceFeed;
  beforeAll(async () => {
    clock = Date.now();
    priceAll({ kraken: 50_000, coinbase: 50_000, bitstamp: 50_000, coingecko: 50_000 });
    feed = feedWith(ALL);
    await feed.refresh();
    site = await startTestSite({ prices: feed });
  });
  afterAll(() => site.close());

  test('a writer prices in euros; the invoice, the payment and the page show the same sats, and the rate is kept', async () => {
    const writer = await loggedInAgent(site.app, 'alice');
    const form = await writer.get('/write');
    expect(form.text).toContain('Or a price in EUR (optional)');
    const made = await writer
      .post('/write')
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        title: 'Euro priced',
        teaser: 'Teaser',
        body: 'Body.',
        priceSat: '100',
        priceFiat: '5.00',
        intent: 'publish',
      });
    expect(made.status).toBe(302);
    const id = Number(/\/articles\/(\d+)/.exec(made.headers.location)![1]);
    expect(await site.knex('articles').where({ id }).first('price_sat', 'price_fiat_minor', 'price_currency')).toEqual({
      price_sat: 10_000,
      price_fiat_minor: 500,
      price_currency: 'EUR',
    });

    // The euro moves: the next reader's invoice is converted at the new rate.
    priceAll({ kraken: 40_000, coinbase: 40_000, bitstamp: 40_000, coingecko: 40_000 });
    await feed.refresh();
    const reader = await loggedInAgent(site.app, 'bob');
    const page = await reader.get(`/articles/${id}`);
    const payment = await site.knex('payments').where({ article_id: id }).first();
    expect(payment).toMatchObject({ amount_sat: 12_500, fiat_currency: 'EUR', fiat_minor: 500, fiat_rate: '40000.00000000' });
    const pr = paymentRequestFrom(page.text);
    const amountMsat = decode(pr).sections.find((s) => s.name === 'amount')!.value;
    expect(amountMsat).toBe('12500000');
    expect((await site.node.lookupInvoice(payment.payment_hash)).valueSat).toBe(12_500);
    expect(page.text).toContain('data-sats="12500">12,500 sats ≈ €5.00</span>');
    expect(page.text).toMatch(/<strong class="amount">12,500 sats<\/strong> ≈ €5.00/);

    // A rate change after the payment was issued changes nothing for it.
    priceAll({ kraken: 60_000, coinbase: 60_000, bitstamp: 60_000, coingecko: 60_000 });
    await feed.refresh();
    const again = await reader.get(`/articles/${id}`);
    expect(paymentRequestFrom(again.text)).toBe(pr);
    expect(again.text).toContain('data-sats="12500">12,500 sats ≈ €7.50</span>');
  });

  test('a bad euro price is refused with a clear message and nothing is saved', async () => {
    const writer = await loggedInAgent(site.app, 'alice');
    const form = await writer.get('/write');
    const before = await site.knex('articles').count('* as n').first();
    const res = await writer
      .post('/write')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), title: 'Bad', teaser: 'T', body: 'B', priceSat: '100', priceFiat: 'five', intent: 'publish' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('The price in EUR must be an amount such as 0.85');
    expect(await site.knex('articles').count('* as n').first()).toEqual(before);
  });

  test('the home page shows euro amounts beside sats, and does not wait for a slow price source', async () => {
    for (const n of ALL) replies[n] = { hold: true };
    const slow = createPriceFeed({
      currency: 'EUR',
      sources: [{ ...DEFAULT_SOURCES.kraken, url: `${base}/kraken` }],
      timeoutMs: 20_000,
      refreshMs: 60_000,
      maxAgeMs: 600_000,
      logger: createLogger({ level: 'error', write: () => undefined }),
    });
    let settled = false;
    const pending = slow.refresh().finally(() => (settled = true));
    const home = await loggedInAgent(site.app, 'bob').then((a) => a.get('/'));
    expect(home.status).toBe(200);
    expect(home.text).toMatch(/sats ≈ €\d/);
    expect(settled).toBe(false);
    for (const r of held.splice(0)) r.destroy();
    await pending;
  });
});
