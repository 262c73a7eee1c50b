/**
 * Reader and admin journeys in headless Chromium against the whole site: real database, the devnet
 * over gRPC, the invoice watcher, the real pages and scripts. Screenshots go to tests/browser/screenshots/.
 */
import type { BrowserContextOptions, Page } from 'playwright-core';
import { payInvoice } from '../../src/devnet/pay';
import { startTestSite, type TestSite } from '../helpers/site';
import { listen } from '../helpers/http';
import { launchPages, type BrowserPages, journey, logInThroughForm, holdRequestsTo, DESKTOP, PHONE } from '../helpers/browser';

// A browser, the devnet and PostgreSQL on a busy 2-core machine: a step can take far longer than Jest's 30 s.
jest.setTimeout(120_000);

let site: TestSite;
let http: Awaited<ReturnType<typeof listen>>;
let pages: BrowserPages;
/** Articles written by admin, so alice and bob pay for them. */
let articles: Array<{ id: number; title: string }>;

beforeAll(async () => {
  [site, pages] = await Promise.all([startTestSite({ watcher: true }), launchPages()]);
  http = await listen(site.app);
  articles = await site
    .knex('articles as a')
    .join('users as u', 'u.id', 'a.author_id')
    .where('u.username', 'admin')
    .orderBy('a.id')
    .select('a.id', 'a.title');
});

afterAll(async () => {
  await pages?.close();
  await http?.close();
  await site?.close();
});

const newPage = (options: BrowserContextOptions): Promise<Page> => pages.newPage(options);

/** Checks the invoice panel shows a QR code with a text alternative and the invoice; returns the invoice. */
async function invoiceOnPanel(page: Page): Promise<string> {
  await page.getByRole('img', { name: /QR code of the Lightning invoice/ }).waitFor();
  const invoice = await page.getByRole('textbox', { name: 'Lightning invoice' }).inputValue();
  expect(invoice).toMatch(/^lnbcrt\d+/);
  return invoice;
}

async function pay(from: 'alice' | 'bob', invoice: string): Promise<void> {
  const result = await payInvoice(site.devnet.nodes[from], invoice);
  expect(result.status).toBe('SUCCEEDED');
}

/** Tabs through the page until `name`d button has focus (a keyboard user's way there). */
async function tabTo(page: Page, name: string): Promise<void> {
  const target = page.getByRole('button', { name, exact: true });
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === el.ownerDocument.activeElement)) return;
  }
  throw new Error(`the "${name}" button cannot be reached with the Tab key`);
}

test('a reader logs in, pays the invoice from her wallet, and the article appears without a click', async () => {
  const article = articles[0];
  const page = await newPage(DESKTOP);
  const j = journey('live-unlock', page);
  await j.step('log in through the form', () => logInThroughForm(page, http.baseUrl, 'alice'));
  await j.shot('home signed in');
  await j.step('open the article from the home page', async () => {
    await page.getByRole('link', { name: article.title }).click();
    await page.getByRole('heading', { level: 1, name: article.title }).waitFor();
  });
  const invoice = await j.step('see the QR code and the invoice', () => invoiceOnPanel(page));
  await j.shot('invoice panel');
  const urlBefore = page.url();
  // Holding the page's re-render (paywall.js fetches `?paid=live`) keeps the panel's `paid` state
  // on screen to look at, however fast the machine is.
  const held = await holdRequestsTo(page, `${urlBefore}?paid=live`);
  await j.step('pay from the alice wallet', () => pay('alice', invoice));
  await j.step('the panel says the payment arrived', async () => {
    await page.locator('[data-paywall][data-state="paid"]').getByText('Payment received').waitFor({ timeout: 15_000 });
  });
  await j.shot('paid');
  await held.release();
  await j.step('the article appears by itself', async () => {
    await page.locator('.article-body').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-paywall]').count()).toBe(0);
    expect(page.url()).toBe(urlBefore);
  });
  await j.shot('unlocked');
});

test("without JavaScript, the reader reaches I've paid – check with the keyboard and it unlocks the article once paid", async () => {
  const article = articles[1];
  const page = await newPage({ ...DESKTOP, javaScriptEnabled: false });
  const j = journey('no-javascript', page);
  await j.step('log in through the form', () => logInThroughForm(page, http.baseUrl, 'alice'));
  await j.step('open the article', () => page.goto(`${http.baseUrl}/articles/${article.id}`));
  const invoice = await j.step('see the QR code and the invoice', () => invoiceOnPanel(page));
  await j.shot('invoice panel');
  await j.step("I've paid – check, before paying, says the payment has not arrived", async () => {
    await tabTo(page, "I've paid – check");
    await page.keyboard.press('Enter');
    await page.getByText('We have not received the payment yet').waitFor();
    expect(await page.locator('.article-body').count()).toBe(0);
  });
  await j.shot('not paid yet');
  await j.step('pay from the alice wallet', () => pay('alice', invoice));
  await j.step("I've paid – check, pressed with the keyboard, shows the article", async () => {
    await tabTo(page, "I've paid – check");
    await page.keyboard.press('Enter');
    await page.getByText('Payment received').waitFor();
    await page.locator('.article-body').waitFor();
  });
  await j.shot('unlocked');
});

test('a reader on a phone reads the list, pays and gets the article, and nothing scrolls sideways', async () => {
  const article = articles[2];
  const page = await newPage(PHONE);
  const j = journey('phone', page);
  const fitsWidth = async () => {
    const { scroll, client } = (await page.evaluate(
      '({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })',
    )) as { scroll: number; client: number };
    expect(scroll).toBeLessThanOrEqual(client);
  };
  await j.step('log in through the form', () => logInThroughForm(page, http.baseUrl, 'bob'));
  await j.step('the home page fits the screen', fitsWidth);
  await j.shot('home');
  await j.step('open the article', async () => {
    await page.getByRole('link', { name: article.title }).click();
    await page.getByRole('heading', { level: 1, name: article.title }).waitFor();
  });
  const invoice = await j.step('see the QR code and the invoice', () => invoiceOnPanel(page));
  await j.step('the invoice panel fits the screen', fitsWidth);
  await j.shot('invoice panel');
  await j.step('pay from the bob wallet', () => pay('bob', invoice));
  await j.step('the article appears by itself', () => page.locator('.article-body').waitFor({ timeout: 15_000 }));
  await j.step('the article fits the screen', fitsWidth);
  await j.shot('unlocked');
});

test('an admin hides an article at /admin and a reader then gets the not-found page', async () => {
  const article = articles[3];
  const admin = await newPage(DESKTOP);
  const reader = await newPage(DESKTOP);
  const j = journey('admin-hides', admin);
  await j.step('the reader can open the article first', async () => {
    const res = await reader.goto(`${http.baseUrl}/articles/${article.id}`);
    expect(res?.status()).toBe(200);
  });
  await j.step('the admin logs in and opens /admin', async () => {
    await logInThroughForm(admin, http.baseUrl, 'admin');
    await admin.getByRole('link', { name: 'Admin', exact: true }).click();
    await admin.getByRole('heading', { level: 1, name: 'Moderation' }).waitFor();
  });
  await j.shot('admin');
  await j.step('the admin hides the article', async () => {
    // Each row's hide form sits behind its own compact "Hide…" (issue 14: no full form per row).
    const row = admin.locator('details.row-action', { has: admin.locator(`form[action="/admin/articles/${article.id}/hide"]`) });
    await row.locator('summary').click();
    await row.getByRole('button', { name: `Hide “${article.title}”` }).click();
    await admin.getByText(`“${article.title}” was hidden.`).waitFor();
  });
  await j.shot('hidden');
  await j.step('the reader gets the not-found page', async () => {
    const res = await reader.goto(`${http.baseUrl}/articles/${article.id}`);
    expect(res?.status()).toBe(404);
    await reader.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
  });
  await j.shot('reader sees not found', reader);
  await j.step('the home page no longer lists it', async () => {
    await reader.goto(`${http.baseUrl}/`);
    expect(await reader.getByRole('link', { name: article.title }).count()).toBe(0);
  });
});

test('a writer publishes an article and another reader finds it on the home page, behind an invoice at its price', async () => {
  const title = 'Notes on Writing in Public';
  const writer = await newPage(DESKTOP);
  const reader = await newPage(DESKTOP);
  const j = journey('writer-publishes', writer);
  await j.step('the writer logs in and opens the editor', async () => {
    await logInThroughForm(writer, http.baseUrl, 'bob');
    await writer.getByRole('link', { name: 'Write', exact: true }).click();
    await writer.getByRole('heading', { level: 1, name: 'Write an article' }).waitFor();
  });
  await j.step('the writer fills in the article', async () => {
    await writer.getByLabel('Title').fill(title);
    await writer.getByLabel(/^Teaser/).fill('Why a small audience that pays is worth more than a large one that scrolls.');
    await writer
      .getByLabel(/^Article/)
      .fill('Writing for **readers who pay** changes what you write.\n\nIt rewards the slow piece over the fast one.');
    await writer.getByLabel('Price in sats').fill('210');
  });
  await j.step('the preview shows the Markdown rendered', async () => {
    await writer.getByRole('button', { name: 'Preview' }).click();
    await writer.getByRole('heading', { name: /Preview/ }).waitFor();
    expect(await writer.locator('.preview strong').first().textContent()).toBe('readers who pay');
  });
  await j.shot('preview');
  await j.step('the writer publishes and reads it free', async () => {
    await writer.getByRole('button', { name: 'Publish' }).click();
    await writer.getByRole('heading', { level: 1, name: title }).waitFor();
    await writer.getByText('You wrote this article').waitFor();
    await writer.locator('.article-body').getByText('changes what you write').waitFor();
  });
  await j.shot('published');
  await j.step('another reader finds it on the home page and meets the invoice at its price', async () => {
    await logInThroughForm(reader, http.baseUrl, 'alice');
    await reader.getByRole('link', { name: title }).click();
    await reader.getByRole('heading', { level: 1, name: title }).waitFor();
    await reader.getByRole('img', { name: 'QR code of the Lightning invoice for 210 sats' }).waitFor();
  });
  await j.shot('reader sees the invoice', reader);
});
