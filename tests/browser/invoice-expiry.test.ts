/**
 * An invoice that runs out while the reader looks at it: the panel says so and fetches a fresh one
 * by itself. The site issues 3-second invoices here so the countdown reaches zero during the test.
 */
import type { Browser } from 'playwright-core';
import { startTestSite, type TestSite } from '../helpers/site';
import { listen } from '../helpers/http';
import { launchBrowser, journey, logInThroughForm, holdRequestsTo, DESKTOP } from '../helpers/browser';

// A browser, the devnet and PostgreSQL on a busy 2-core machine: a step can take far longer than Jest's 30 s.
jest.setTimeout(120_000);

let site: TestSite;
let http: Awaited<ReturnType<typeof listen>>;
let browser: Browser;

beforeAll(async () => {
  [site, browser] = await Promise.all([startTestSite({ invoiceExpirySeconds: 3 }), launchBrowser()]);
  http = await listen(site.app);
});
afterAll(async () => {
  await browser?.close();
  await http?.close();
  await site?.close();
});

test('when the invoice expires, the panel says so and shows a fresh invoice without a click', async () => {
  const article = await site.knex('articles as a').join('users as u', 'u.id', 'a.author_id').where('u.username', 'admin').first('a.id');
  const context = await browser.newContext(DESKTOP);
  const page = await context.newPage();
  const j = journey('invoice-expiry', page);
  const url = `${http.baseUrl}/articles/${article.id}`;
  const invoiceBox = page.getByRole('textbox', { name: 'Lightning invoice' });
  try {
    await j.step('log in through the form', () => logInThroughForm(page, http.baseUrl, 'bob'));
    await j.step('open the article', () => page.goto(url));
    const first = await j.step('see the invoice', () => invoiceBox.inputValue());
    await j.shot('waiting');
    // Hold the re-render so the `expired` state stays on screen long enough to look at.
    const held = await holdRequestsTo(page, url);
    await j.step('the panel says the invoice expired', () =>
      page.locator('[data-paywall][data-state="expired"]').getByText('This invoice expired').waitFor({ timeout: 10_000 }),
    );
    await j.shot('expired');
    await held.release();
    await j.step('a fresh invoice replaces it', async () => {
      await page.waitForFunction(
        (old) => {
          const box = (
            globalThis as unknown as { document: { getElementById(id: string): { value: string } | null } }
          ).document.getElementById('payment-request');
          return box !== null && box.value !== old;
        },
        first,
        { timeout: 10_000 },
      );
      expect(await invoiceBox.inputValue()).toMatch(/^lnbcrt\d+/);
      expect(await page.locator('[data-paywall]').getAttribute('data-state')).toBe('waiting');
    });
    await j.shot('fresh invoice');
  } finally {
    await context.close();
  }
});
