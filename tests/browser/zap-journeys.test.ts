/**
 * The upvote (a zap) paid inline, with JavaScript, in headless Chromium: a reader who paid for an
 * article picks an amount, the invoice panel appears where the form was without leaving the page,
 * she pays from her wallet, and the live payment news turns it into "Upvote received" with the
 * counters moved, still on the same page. On a desktop with a quick amount, on a phone with
 * another amount; and without JavaScript, where the form's post comes back to the same article page
 * with the panel and "I've paid – check" confirms it.
 */
import type { BrowserContextOptions, Page } from 'playwright-core';
import { payInvoice } from '../../src/devnet/pay';
import { startTestSite, type TestSite } from '../helpers/site';
import { listen } from '../helpers/http';
import { payView } from '../helpers/payouts';
import { adminArticles } from '../helpers/db-probes';
import { launchPages, type BrowserPages, journey, logInThroughForm, holdRequestsTo, DESKTOP, PHONE } from '../helpers/browser';

jest.setTimeout(120_000);

let site: TestSite;
let http: Awaited<ReturnType<typeof listen>>;
let pages: BrowserPages;
let articleIds: number[];

beforeAll(async () => {
  [site, pages] = await Promise.all([startTestSite({ watcher: true }), launchPages()]);
  http = await listen(site.app);
  articleIds = (await adminArticles(site.knex)).map((a) => a.id);
  await payView(site, 'alice', articleIds[0]);
  await payView(site, 'bob', articleIds[1]);
  await payView(site, 'alice', articleIds[2]);
});

afterAll(async () => {
  await pages?.close();
  await http?.close();
  await site?.close();
});

const newPage = (options: BrowserContextOptions): Promise<Page> => pages.newPage(options);

const upvoteRows = (username: string, articleId: number) =>
  site
    .knex('payments as p')
    .join('users as u', 'u.id', 'p.user_id')
    .where({ 'u.username': username, 'p.article_id': articleId, 'p.purpose': 'upvote' })
    .orderBy('p.id')
    .select('p.id', 'p.status', 'p.amount_sat', 'p.amount_paid_sat');

/** Marks the document, so a test can tell it was never replaced by a navigation. */
const markDocument = (page: Page) => page.evaluate('window.__sameDocument = true');
const sameDocument = (page: Page) => page.evaluate('window.__sameDocument === true');

async function zap(page: Page, who: 'alice' | 'bob', articleId: number, name: string, start: () => Promise<void>, amount: number) {
  const j = journey(name, page);
  await j.step('log in and open the paid article', async () => {
    await logInThroughForm(page, http.baseUrl, who);
    await page.goto(`${http.baseUrl}/articles/${articleId}`);
    await page.locator('.article-body').waitFor();
    await page.getByRole('heading', { name: 'Upvote this article' }).waitFor();
  });
  await j.shot('upvote form');
  await markDocument(page);
  await j.step('pick an amount: the invoice panel appears in place, on the same page', async () => {
    await start();
    await page.getByRole('heading', { name: 'Pay your upvote' }).waitFor();
    expect(await sameDocument(page)).toBe(true);
    expect(page.url()).toMatch(new RegExp(`/articles/${articleId}\\?upvote=\\d+$`));
    // The live unlock is on: the panel says so rather than asking for a check.
    await page.getByText('Your upvote counts as soon as the payment arrives.').waitFor();
  });
  await j.shot('invoice panel in place');
  const [row] = await upvoteRows(who, articleId);
  expect(row).toMatchObject({ status: 'pending_payment', amount_sat: amount });
  const invoice = await page.getByRole('textbox', { name: 'Lightning invoice' }).inputValue();
  const held = await holdRequestsTo(page, `${http.baseUrl}/articles/${articleId}?upvote=${row.id}&paid=live`);
  await j.step('pay from the wallet: the panel hears of it live', async () => {
    expect((await payInvoice(site.devnet.nodes[who], invoice)).status).toBe('SUCCEEDED');
    await page.locator('[data-paywall][data-state="paid"]').getByText('Upvote received. Thank you!').waitFor({ timeout: 15_000 });
  });
  await j.shot('paid');
  await held.release();
  await j.step('"Upvote received" and the counters moved, without leaving the page', async () => {
    await page.getByText(`Upvote received: ${amount.toLocaleString('en-US')} sats.`).waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-paywall]').count()).toBe(0);
    expect(await page.locator('.meta .upvotes').textContent()).toContain(`1 upvote (${amount.toLocaleString('en-US')} sats)`);
    expect(await sameDocument(page)).toBe(true);
    // Focus moved to the confirmation, for a screen reader.
    expect(await page.evaluate("document.activeElement && document.activeElement.hasAttribute('data-upvote-received')")).toBe(true);
  });
  await j.shot('upvote received');
  expect(await upvoteRows(who, articleId)).toEqual([{ id: row.id, status: 'complete', amount_sat: amount, amount_paid_sat: amount }]);
  const article = await site.knex('articles').where({ id: articleId }).first();
  expect(article).toMatchObject({ upvotes_count: 1, upvote_sats: amount });
}

test('with JavaScript, a reader zaps a quick amount inline and sees it received live (desktop)', async () => {
  const page = await newPage(DESKTOP);
  await zap(page, 'alice', articleIds[0], 'zap-desktop', () => page.getByRole('button', { name: '100 sats upvote' }).click(), 100);
});

test('with JavaScript, a reader zaps another amount inline on a phone, and nothing scrolls sideways', async () => {
  const page = await newPage(PHONE);
  await zap(
    page,
    'bob',
    articleIds[1],
    'zap-phone',
    async () => {
      await page.getByLabel(/Other amount in sats/).fill('1250');
      await page.getByRole('button', { name: 'Upvote', exact: true }).click();
    },
    1250,
  );
  expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
});

test("without JavaScript, the zap posts back to the same article page with its invoice, and I've paid – check confirms it", async () => {
  const articleId = articleIds[2];
  const page = await newPage({ ...DESKTOP, javaScriptEnabled: false });
  const j = journey('zap-no-javascript', page);
  await j.step('log in and open the paid article', async () => {
    await logInThroughForm(page, http.baseUrl, 'alice');
    await page.goto(`${http.baseUrl}/articles/${articleId}`);
    await page.getByRole('heading', { name: 'Upvote this article' }).waitFor();
  });
  await j.step('pick 1,000 sats: the same article page, with the panel where the form was', async () => {
    await page.getByRole('button', { name: '1,000 sats upvote' }).click();
    await page.getByRole('heading', { name: 'Pay your upvote' }).waitFor();
    expect(page.url()).toMatch(new RegExp(`/articles/${articleId}\\?upvote=\\d+#upvote$`));
    expect(await page.locator('.article-body').count()).toBe(1);
    // Without JavaScript the panel does not promise a live confirmation.
    expect(await page.getByText('Your upvote counts as soon as the payment arrives.').isVisible()).toBe(false);
  });
  await j.shot('panel without javascript');
  const invoice = await page.getByRole('textbox', { name: 'Lightning invoice' }).inputValue();
  expect((await payInvoice(site.devnet.nodes.alice, invoice)).status).toBe('SUCCEEDED');
  await j.step("I've paid – check: Upvote received, on the same article page", async () => {
    await page.getByRole('button', { name: "I've paid – check" }).click();
    await page.getByText('Upvote received: 1,000 sats.').waitFor();
    expect(page.url()).toMatch(new RegExp(`/articles/${articleId}\\?upvote=\\d+&check=true#upvote$`));
    expect(await page.locator('.meta .upvotes').textContent()).toContain('1 upvote (1,000 sats)');
  });
  await j.shot('received without javascript');
  expect(await upvoteRows('alice', articleId)).toEqual([expect.objectContaining({ status: 'complete', amount_paid_sat: 1000 })]);
});
