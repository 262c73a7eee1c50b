/**
 * An operator's journeys in headless Chromium: the node page from the admin menu, and a webhook
 * endpoint added, tested and delivered again, received by a real local receiver that verifies each
 * signature. Screenshots go to tests/browser/screenshots/.
 */
import type { Browser, Page } from 'playwright-core';
import { createLogger } from '../../src/lib/logger';
import { createWebhookDelivery } from '../../src/webhooks/start-delivery';
import type { WebhookWorker } from '../../src/webhooks/delivery-worker';
import { startTestSite, type TestSite } from '../helpers/site';
import { listen } from '../helpers/http';
import { launchBrowser, journey, logInThroughForm, DESKTOP, PHONE } from '../helpers/browser';
import { startReceiver, verifyWith, type Receiver } from '../helpers/webhook-receiver';

jest.setTimeout(120_000);

let site: TestSite;
let http: Awaited<ReturnType<typeof listen>>;
let browser: Browser;
let receiver: Receiver;
let worker: WebhookWorker;

beforeAll(async () => {
  [site, browser, receiver] = await Promise.all([startTestSite({ lowInboundArticlePrices: 10 }), launchBrowser(), startReceiver()]);
  http = await listen(site.app);
  worker = createWebhookDelivery({
    knex: site.knex,
    logger: createLogger({ level: 'error', write: () => undefined }),
    settings: { timeoutMs: 3000, guardAddresses: false, allowedHosts: [] },
  });
  worker.start(100);
});
afterAll(async () => {
  await worker?.stop();
  await browser?.close();
  await receiver?.stop();
  await http?.close();
  await site?.close();
});

/** Reloads until `selector` shows up: the worker delivers in the background. */
async function reloadUntil(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if ((await page.locator(selector).count()) > 0) return;
    await page.waitForTimeout(100);
    await page.reload();
  }
  throw new Error(`${selector} never appeared`);
}

test('an admin opens the node page from the admin menu and sees the channels, on a desktop and a phone', async () => {
  for (const [device, options] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    const j = journey(`node page ${device}`, page);
    try {
      await j.step('log in', () => logInThroughForm(page, http.baseUrl, 'admin'));
      await j.step('open the node page from the menu', async () => {
        await page.goto(`${http.baseUrl}/admin`);
        await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Node' }).click();
        await page.getByRole('heading', { name: 'Channels' }).waitFor();
      });
      await j.step('the node and its channels are shown', async () => {
        expect(await page.locator('[data-field="alias"]').innerText()).toBe('site');
        expect(await page.locator('#channels tbody tr').count()).toBe(2);
        expect(await page.locator('[data-field="inbound"]').innerText()).toBe('1,980,000 sats');
        expect(await page.locator('#low-inbound').count()).toBe(0);
      });
      await j.shot('node page');
    } finally {
      await context.close();
    }
  }
});

test('an admin adds a webhook endpoint, copies its secret, sends a test event and delivers it again', async () => {
  const context = await browser.newContext(DESKTOP);
  const page = await context.newPage();
  const j = journey('webhook endpoint', page);
  try {
    await j.step('log in and open Webhooks', async () => {
      await logInThroughForm(page, http.baseUrl, 'admin');
      await page.goto(`${http.baseUrl}/admin`);
      await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Webhooks' }).click();
      await page.getByRole('heading', { name: 'Add an endpoint' }).waitFor();
    });
    const secret = await j.step('add an endpoint for payments only', async () => {
      await page.getByLabel('URL').fill(receiver.url);
      for (const t of ['article.published', 'article.hidden', 'article.restored', 'withdrawal.succeeded', 'withdrawal.failed'])
        await page.getByLabel(t).uncheck();
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      await page.getByText('Copy its signing secret now').waitFor();
      return page.getByLabel('Signing secret (shown only now)').inputValue();
    });
    expect(secret).toMatch(/^whsec_/);
    await j.shot('secret shown once');
    await j.step('send a test event and see it delivered', async () => {
      await page.getByRole('button', { name: 'Send a test event' }).click();
      await page.getByText('A test event is on its way.').waitFor();
      await reloadUntil(page, '#deliveries tr[data-status="succeeded"]');
      expect(await page.locator('#deliveries tr[data-status="succeeded"] [data-http]').innerText()).toBe('200');
      expect(await page.content()).not.toContain(secret);
    });
    await j.shot('delivered');
    await j.step('deliver it again', async () => {
      await page.getByRole('button', { name: /Deliver again/ }).click();
      await page.getByText('The event will be delivered again.').waitFor();
      await reloadUntil(page, '#deliveries tr[data-status="succeeded"] [data-attempt]:text-is("2")');
    });
    const got = await receiver.waitFor(2);
    expect(got[1].headers['webhook-id']).toBe(got[0].headers['webhook-id']);
    expect(verifyWith(secret, got[1])).toMatchObject({ type: 'webhook.test' });
    const row = await site.knex('webhook_endpoints').first();
    expect(row.events).toEqual(['payment.completed']);
  } finally {
    await context.close();
  }
});
