/**
 * After logging out, the browser's Back button must not show the paid text or "Signed in as"
 * again: every page that depends on who is asking is `Cache-Control: private, no-store`, so
 * Chromium keeps it in neither its HTTP cache nor its back/forward cache, and asks the site again.
 */
import type { Browser } from 'playwright-core';
import { payInvoice } from '../../src/devnet/pay';
import { startTestSite, paymentRequestFrom, type TestSite } from '../helpers/site';
import { listen } from '../helpers/http';
import { launchBrowser, journey, logInThroughForm, DESKTOP } from '../helpers/browser';

let site: TestSite;
let http: Awaited<ReturnType<typeof listen>>;
let browser: Browser;

beforeAll(async () => {
  [site, browser] = await Promise.all([startTestSite(), launchBrowser()]);
  http = await listen(site.app);
});

afterAll(async () => {
  await browser?.close();
  await http?.close();
  await site?.close();
});

test('a reader pays, reads, logs out and goes Back: no paid text, not signed in', async () => {
  const article = await site
    .knex('articles as a')
    .join('users as u', 'u.id', 'a.author_id')
    .where('u.username', 'admin')
    .where('a.status', 'published')
    .orderBy('a.id')
    .first('a.id', 'a.title');
  const context = await browser.newContext(DESKTOP);
  const page = await context.newPage();
  const j = journey('back after logout', page);
  try {
    await j.step('log in', () => logInThroughForm(page, http.baseUrl, 'alice'));
    await j.step('pay and read the article', async () => {
      await page.goto(`${http.baseUrl}/articles/${article.id}`);
      const invoice = paymentRequestFrom(await page.content());
      expect((await payInvoice(site.devnet.nodes.alice, invoice)).status).toBe('SUCCEEDED');
      await page.goto(`${http.baseUrl}/articles/${article.id}?check=true`);
      await page.locator('.article-body').waitFor();
      await page.getByText('Signed in as alice').waitFor();
      await j.shot('paid article');
    });
    await j.step('log out', async () => {
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.getByRole('link', { name: 'Log in' }).waitFor();
    });
    await j.step('go back: the site is asked again and shows the anonymous page', async () => {
      await page.goBack();
      await page.getByRole('heading', { name: article.title }).waitFor();
      await j.shot('after back');
      expect(await page.locator('.article-body').count()).toBe(0);
      expect(await page.getByText('Signed in as').count()).toBe(0);
      await page.getByRole('link', { name: 'Log in' }).first().waitFor();
    });
  } finally {
    await context.close();
  }
});
