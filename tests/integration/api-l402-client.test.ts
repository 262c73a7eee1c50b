/**
 * A third-party L402 client works unchanged against the site: @getalby/lightning-tools'
 * fetchWithL402 with a wallet that pays through the devnet's alice node. And a settlement that
 * arrives only on the invoice stream completes a machine payment and lands in the books, even
 * though the client never comes back.
 */
import { payInvoice } from '../../src/devnet/pay';
import { createInvoiceWatcher, type InvoiceWatcher } from '../../src/payments/invoice-watcher';
import { createWatcherStateRepo } from '../../src/payments/watcher-state-repo';
import type { PaymentsService } from '../../src/payments/payments-service';
import { silentLogger } from '../../src/lib/logger';
import { startTestSite, loggedInAgent, type TestSite } from '../helpers/site';
import { listen, eventually } from '../helpers/http';
import { apiFetch, checkApiResponse, useOpenApiFrom } from '../helpers/openapi-check';

// The package is ESM with a CommonJS build; Jest runs CommonJS, so its `require` entry is used.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { fetchWithL402 } = require('@getalby/lightning-tools/402/l402') as typeof import('@getalby/lightning-tools/402/l402', {
  with: { 'resolution-mode': 'require' },
});

let site: TestSite;
let http: Awaited<ReturnType<typeof listen>>;
let watcher: InvoiceWatcher;
let swept = false;
let sweeps = 0;
const fromStream: string[] = [];

beforeAll(async () => {
  site = await startTestSite();
  http = await listen(site.app);
  await useOpenApiFrom(http.baseUrl);
  // The watcher as server.ts runs it, with its two ways in observed: the sweep at connect and the stream.
  const observed: PaymentsService = {
    ...site.payments,
    async sweepPending() {
      const r = await site.payments.sweepPending();
      swept = true;
      sweeps += 1;
      return r;
    },
    async applyInvoiceUpdate(invoice) {
      const done = await site.payments.applyInvoiceUpdate(invoice);
      if (done) fromStream.push(invoice.paymentHash);
      return done;
    },
  };
  watcher = createInvoiceWatcher({
    node: site.node,
    payments: observed,
    state: createWatcherStateRepo(site.knex),
    logger: silentLogger,
    backoff: { initialMs: 100, maxMs: 400 },
  });
  watcher.start();
  await eventually(async () => (swept ? true : undefined), 'the watcher to subscribe and sweep');
});
afterAll(async () => {
  await watcher.stop();
  await http.close();
  await site.close();
});

test('fetchWithL402 pays once through alice, reads the article, and reads it again with the stored credential', async () => {
  const article = await site.knex('articles').where({ status: 'published' }).orderBy('id').first();
  const invoices: string[] = [];
  const wallet = {
    async payInvoice({ invoice }: { invoice: string }) {
      invoices.push(invoice);
      const paid = await payInvoice(site.devnet.nodes.alice, invoice);
      if (paid.status !== 'SUCCEEDED') throw new Error(`payment failed: ${paid.failureReason}`);
      return { preimage: paid.preimage };
    },
  };
  const url = `${http.baseUrl}/api/v1/articles/${article.id}/content`;
  const first = await fetchWithL402(url, {}, { wallet });
  const body = await first.text();
  checkApiResponse('GET', url, first.status, first.headers.get('content-type'), body);
  expect(first.status).toBe(200);
  expect(JSON.parse(body)).toMatchObject({ id: article.id, title: article.title, bodyMarkdown: article.body });
  expect(invoices).toHaveLength(1);
  expect(first.payment?.paid).toBe(true);
  const credentials = first.payment!.credentials;
  expect(credentials.value).toMatch(/^L402 [A-Za-z0-9+/=]+:[0-9a-f]{64}$/);

  const again = await fetchWithL402(url, {}, { wallet, credentials });
  const againBody = await again.text();
  checkApiResponse('GET', url, again.status, again.headers.get('content-type'), againBody);
  expect(again.status).toBe(200);
  expect(JSON.parse(againBody).bodyHtml).toBe(article.body_html);
  expect(invoices).toHaveLength(1); // not paid twice

  const payments = await site.knex('payments').where({ purpose: 'machine', article_id: article.id });
  expect(payments).toHaveLength(1);
  expect(payments[0]).toMatchObject({ status: 'complete', payment_request: invoices[0], user_id: null });
});

test('a settlement that arrives only on the stream completes the machine payment, and the books count it once', async () => {
  const article = await site
    .knex('articles as a')
    .join('users as u', 'u.id', 'a.author_id')
    .where('a.status', 'published')
    .orderBy('a.id', 'desc')
    .first('a.*', 'u.username');
  const today = () => site.knex('revenue_days').whereRaw("day = (now() AT TIME ZONE 'UTC')::date").first();
  const dayBefore = (await today()) ?? { sats: 0, payments: 0 };

  const sweepsBefore = sweeps;
  const challenge = await apiFetch(`${http.baseUrl}/api/v1/articles/${article.id}/content`);
  expect(challenge.status).toBe(402);
  const { invoice, paymentHash, token } = challenge.json;
  const paid = await payInvoice(site.devnet.nodes.alice, invoice);
  if (paid.status !== 'SUCCEEDED') throw new Error('payment failed');
  // The client does not come back: only the stream can complete it (the sweep ran before it existed).
  const row = await eventually(async () => {
    const p = await site.knex('payments').where({ payment_hash: paymentHash }).first();
    return p?.status === 'complete' ? p : undefined;
  }, 'the watcher to complete the machine payment');
  // The stream booked it, unless the stream dropped on a loaded machine and the watcher's sweep at
  // reconnect booked it first: either way the watcher did, while the client never came back.
  if (!fromStream.includes(paymentHash)) expect(sweeps).toBeGreaterThan(sweepsBefore);
  expect(row).toMatchObject({ purpose: 'machine', user_id: null, amount_paid_sat: article.price_sat });

  const after = await site.knex('articles').where({ id: article.id }).first();
  expect(after).toMatchObject({
    machine_reads_count: article.machine_reads_count + 1,
    views_count: article.views_count,
    revenue_sat: article.revenue_sat + article.price_sat,
  });
  const day = await today();
  expect(day.sats - dayBefore.sats).toBe(article.price_sat);
  expect(day.payments - dayBefore.payments).toBe(1);

  // The admin dashboard and the writer's own page show machine reads apart from paid views.
  const admin = await loggedInAgent(site.app, 'admin');
  const dash = await admin.get('/admin/dashboard');
  const total = await site.knex('articles').sum({ n: 'machine_reads_count' }).first();
  expect(dash.text).toContain(`<dt>Machine reads</dt><dd data-total="machine-reads">${total!.n}</dd>`);
  expect(dash.text).toMatch(
    new RegExp(
      `data-article-id="${article.id}">[\\s\\S]*?<td class="num" data-label="Machine reads" data-machine-reads>${after.machine_reads_count}</td>`,
    ),
  );
  const writer = await loggedInAgent(site.app, article.username);
  const mine = await writer.get('/me/articles');
  const writerReads = await site.knex('articles').where({ author_id: article.author_id }).sum({ n: 'machine_reads_count' }).first();
  expect(mine.text).toContain(`<dd data-total="machine-reads">${writerReads!.n}</dd>`);

  // Coming back later with the credential reads the article and counts nothing twice.
  const back = await apiFetch(`${http.baseUrl}/api/v1/articles/${article.id}/content`, {
    headers: { authorization: `L402 ${token}:${paid.preimage}` },
  });
  // On a refusal the problem's detail names the reason (seen once in a loaded run: a 402 here).
  expect({ status: back.status, detail: back.json.detail }).toEqual({ status: 200, detail: undefined });
  expect(back.json.title).toBe(article.title);
  expect(await site.knex('articles').where({ id: article.id }).first()).toMatchObject({
    machine_reads_count: after.machine_reads_count,
    revenue_sat: after.revenue_sat,
  });
});
