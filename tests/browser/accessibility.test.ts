/**
 * axe-core in headless Chromium on every kind of page, in the light and the dark theme: no serious or
 * critical violation. Each page is also saved as a screenshot (light and dark) for a person to look at.
 */
import type { Page } from 'playwright-core';
import { payInvoice } from '../../src/devnet/pay';
import { renderMarkdown } from '../../src/articles/markdown';
import { startTestSite, type TestSite } from '../helpers/site';
import { listen } from '../helpers/http';
import {
  launchPages,
  type BrowserPages,
  journey,
  logInThroughForm,
  seriousA11yViolations,
  describeViolations,
  DESKTOP,
  PHONE,
} from '../helpers/browser';

// A browser, the devnet and PostgreSQL on a busy 2-core machine: a step can take far longer than Jest's 30 s.
jest.setTimeout(120_000);

let site: TestSite;
let http: Awaited<ReturnType<typeof listen>>;
let browser: BrowserPages;
const pages: Record<'anonymous' | 'alice' | 'admin', Page> = {} as Record<'anonymous' | 'alice' | 'admin', Page>;
let byAdmin: number[];
let byAlice: number;

beforeAll(async () => {
  [site, browser] = await Promise.all([startTestSite(), launchPages()]);
  http = await listen(site.app);
  const ids = async (author: string) =>
    (
      await site.knex('articles as a').join('users as u', 'u.id', 'a.author_id').where('u.username', author).orderBy('a.id').select('a.id')
    ).map((r) => Number(r.id));
  byAdmin = await ids('admin');
  byAlice = (await ids('alice'))[0];
  // A writer with a profile (name, bio; initials for a picture): the writer page's header and the byline are checked too.
  await site
    .knex('users')
    .where({ username: 'alice' })
    .update({ display_name: 'Alice Lovelace', bio: 'Writes about routing and liquidity.\nRuns a node at home.' });
  for (const who of ['anonymous', 'alice', 'admin'] as const) {
    // axe is injected as an inline script, so these pages bypass CSP; the journeys keep it on.
    pages[who] = await browser.newPage({ ...DESKTOP, bypassCSP: true });
    if (who !== 'anonymous') await logInThroughForm(pages[who], http.baseUrl, who);
  }
});

afterAll(async () => {
  await browser?.close();
  await http?.close();
  await site?.close();
});

/**
 * Runs axe on what `page` shows now, all rules in the light theme and the colour contrast again in the
 * dark one (the only rule a colour scheme changes), and saves both screenshots.
 */
async function expectAccessible(page: Page, name: string): Promise<void> {
  const j = journey(`a11y-${name}`, page);
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await j.shot(colorScheme);
    const violations = await seriousA11yViolations(page, colorScheme === 'dark' ? ['color-contrast'] : undefined);
    expect(`${colorScheme}: ${describeViolations(violations)}`).toBe(`${colorScheme}: `);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function visit(page: Page, path: string, status = 200): Promise<void> {
  const res = await page.goto(`${http.baseUrl}${path}`);
  expect(res?.status()).toBe(status);
}

test('the home page', async () => {
  await visit(pages.anonymous, '/');
  await expectAccessible(pages.anonymous, 'home');
});

test('the first Tab stop is the skip link, and it moves focus to the content', async () => {
  const page = pages.anonymous;
  await visit(page, '/');
  // Start from the document itself, whatever had focus before (on a loaded machine the page may
  // still be settling when the test types).
  await page.evaluate('document.activeElement && document.activeElement.blur()');
  await page.keyboard.press('Tab');
  await page.waitForFunction("document.activeElement && document.activeElement.textContent.trim() === 'Skip to content'", null, {
    timeout: 5_000,
  });
  const skip = page.getByRole('link', { name: 'Skip to content' });
  expect(await skip.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${http.baseUrl}/#main`, { timeout: 5_000 });
  expect(page.url()).toBe(`${http.baseUrl}/#main`);
});

test('the theme follows the system setting: light by default, dark when the system asks for it', async () => {
  const page = pages.anonymous;
  await visit(page, '/');
  const background = () => page.evaluate('getComputedStyle(document.body).backgroundColor') as Promise<string>;
  const lightness = (rgb: string) =>
    rgb
      .match(/\d+/g)!
      .slice(0, 3)
      .map(Number)
      .reduce((a, b) => a + b, 0) / 3;
  await page.emulateMedia({ colorScheme: 'light' });
  expect(lightness(await background())).toBeGreaterThan(200);
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(lightness(await background())).toBeLessThan(50);
  await page.emulateMedia({ colorScheme: 'light' });
});

test('login and sign-up, empty and with errors', async () => {
  const page = pages.anonymous;
  await visit(page, '/login');
  await expectAccessible(page, 'login');
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill('wrong-password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByText('Invalid username or password.').waitFor();
  await expectAccessible(page, 'login-error');

  await visit(page, '/signup');
  await expectAccessible(page, 'signup');
  await page.getByLabel('Username').fill('a!');
  await page.getByLabel('Password', { exact: true }).fill('short-but-ok');
  await page.getByLabel('Repeat the password').fill('not-the-same');
  // The browser's own checks would stop the form first; the server's messages are what this looks at.
  await page.locator('form.form').evaluate((form) => form.setAttribute('novalidate', ''));
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('alert').waitFor();
  await expectAccessible(page, 'signup-errors');
});

test('the not-found page', async () => {
  await visit(pages.anonymous, '/no/such/page', 404);
  await expectAccessible(pages.anonymous, 'not-found');
});

test('an article for a visitor who is not logged in', async () => {
  await visit(pages.anonymous, `/articles/${byAdmin[0]}`);
  await expectAccessible(pages.anonymous, 'article-anonymous');
});

test('an article locked behind its invoice panel, then unlocked', async () => {
  const page = pages.alice;
  await visit(page, `/articles/${byAdmin[0]}`);
  await page.getByRole('img', { name: /QR code of the Lightning invoice/ }).waitFor();
  await expectAccessible(page, 'article-locked');

  const invoice = await page.getByRole('textbox', { name: 'Lightning invoice' }).inputValue();
  expect((await payInvoice(site.devnet.nodes.alice, invoice)).status).toBe('SUCCEEDED');
  await visit(page, `/articles/${byAdmin[0]}?check=true`);
  await page.locator('.article-body').waitFor();
  await expectAccessible(page, 'article-unlocked');
});

test('an article its author reads free', async () => {
  await visit(pages.alice, `/articles/${byAlice}`);
  await pages.alice.getByText('You wrote this article').waitFor();
  await expectAccessible(pages.alice, 'article-author');
});

test('the admin page', async () => {
  await visit(pages.admin, '/admin');
  await expectAccessible(pages.admin, 'admin');
});

test('the other admin pages: dashboard, audit log, users', async () => {
  for (const path of ['/admin/dashboard', '/admin/audit', '/admin/users']) {
    await visit(pages.admin, path);
    await expectAccessible(pages.admin, path.slice(1).replace('/', '-'));
  }
});

test('the writer pages: the editor, its preview, your articles, a writer page', async () => {
  const page = pages.alice;
  await visit(page, '/write');
  await expectAccessible(page, 'write');
  await page.getByLabel('Title').fill('A draft');
  await page.getByLabel(/^Teaser/).fill('A teaser with *emphasis*.');
  await page.getByLabel(/^Article/).fill('A body with a [link](https://example.com) and **bold** text.');
  await page.getByRole('button', { name: 'Preview' }).click();
  await page.getByRole('heading', { name: /Preview/ }).waitFor();
  await expectAccessible(page, 'write-preview');
  await visit(page, '/me/articles');
  await expectAccessible(page, 'my-articles');
  await visit(page, '/writers/alice');
  await expectAccessible(page, 'writer-page');
});

test('search, its results, a tag page, and the phone header with its menu open (issue 14)', async () => {
  await site
    .knex('articles')
    .where({ id: byAdmin[0] })
    .update({ tags: ['essays'] });
  await visit(pages.alice, '/search?q=liquidity');
  await expectAccessible(pages.alice, 'search-results');
  await visit(pages.alice, '/tags/essays');
  await expectAccessible(pages.alice, 'tag-page');
  const page = await browser.newPage({ ...PHONE, bypassCSP: true });
  await logInThroughForm(page, http.baseUrl, 'alice');
  await page.getByText('Menu').click();
  await page.getByRole('link', { name: 'Your articles' }).waitFor();
  await expectAccessible(page, 'phone-menu-open');
});

test('the invoice panel on a phone', async () => {
  const page = await browser.newPage({ ...PHONE, bypassCSP: true });
  await logInThroughForm(page, http.baseUrl, 'alice');
  await visit(page, `/articles/${byAdmin[1]}`);
  await expectAccessible(page, 'phone-article-locked');
});

test('the page that says payments are unavailable while the node is down', async () => {
  await site.devnet.stopNodes();
  try {
    await visit(pages.alice, `/articles/${byAdmin[2]}`, 503);
    await pages.alice.getByRole('heading', { name: 'Payments are unavailable right now' }).waitFor();
    await expectAccessible(pages.alice, 'article-node-unavailable');
  } finally {
    await site.devnet.startNodes();
  }
});

test('the Lightning login and account pages', async () => {
  await visit(pages.anonymous, '/login/wallet');
  await expectAccessible(pages.anonymous, 'wallet-login');
  for (const path of ['/account', '/account/library', '/account/delete']) {
    await visit(pages.alice, path);
    await expectAccessible(pages.alice, path.slice(1).replace('/', '-'));
  }
});

test('the upvote paid inline: the form, its invoice panel in place, and an article with footnotes (issue 14)', async () => {
  const page = pages.alice;
  await visit(page, `/articles/${byAdmin[0]}`);
  if (!(await page.getByRole('heading', { name: 'Upvote this article' }).count())) {
    const invoice = await page.getByRole('textbox', { name: 'Lightning invoice' }).inputValue();
    expect((await payInvoice(site.devnet.nodes.alice, invoice)).status).toBe('SUCCEEDED');
    await visit(page, `/articles/${byAdmin[0]}?check=true`);
  }
  await page.getByRole('heading', { name: 'Upvote this article' }).waitFor();
  await expectAccessible(page, 'article-upvote-form');
  await page.getByRole('button', { name: '21 sats upvote' }).click();
  await page.getByRole('heading', { name: 'Pay your upvote' }).waitFor();
  await expectAccessible(page, 'article-upvote-panel');

  const [row] = await site
    .knex('articles')
    .insert({
      author_id: (await site.knex('users').where({ username: 'alice' }).first('id')).id,
      title: 'With footnotes',
      teaser: 'A teaser.',
      body: 'x',
      teaser_html: '<p>A teaser.</p>',
      body_html: renderMarkdown('A note[^1] and another[^2].\n\n[^1]: The first.\n[^2]: The second.'),
      price_sat: 10,
      status: 'published',
    })
    .returning('id');
  await visit(page, `/articles/${row.id}`);
  await page.locator('.footnotes').waitFor();
  await expectAccessible(page, 'article-footnotes');
});

test('the admin pages on a phone: moderation with a flagged card, users, dashboard (issue 14)', async () => {
  const bob = await site.knex('users').where({ username: 'bob' }).first('id');
  await site.knex('article_flags').insert({ article_id: byAdmin[4], user_id: bob.id, reason: 'Please look at this' });
  const page = await browser.newPage({ ...PHONE, bypassCSP: true });
  await logInThroughForm(page, http.baseUrl, 'admin');
  for (const path of ['/admin', '/admin/users', '/admin/users?q=a', '/admin/dashboard']) {
    await visit(page, path);
    await expectAccessible(page, `phone-${path.slice(1).replace(/[/?=]/g, '-')}`);
  }
});
