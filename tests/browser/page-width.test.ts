/**
 * Whatever a writer types, no page gets wider than the window: a writer publishes a hostile article
 * (an unbroken 200-character title, a long URL in the teaser, a 300-character code line, a wide
 * table, a long word in a quote), a reader flags it, and every page that shows it is measured at
 * 390 and 1,280 px: the document's scrollWidth never exceeds the viewport.
 */
import type { Page } from 'playwright-core';
import { startTestSite, loggedInAgent, csrfFrom, type TestSite } from '../helpers/site';
import { listen } from '../helpers/http';
import { launchPages, type BrowserPages, journey, logInThroughForm, DESKTOP, PHONE } from '../helpers/browser';

let site: TestSite;
let http: Awaited<ReturnType<typeof listen>>;
let browser: BrowserPages;
let articleId: number;

const LONG_WORD = 'Supercalifragilistic'.repeat(10);
const TITLE = LONG_WORD.slice(0, 200);
const TEASER = `Read https://example.com/${'very-long-path-segment'.repeat(12)}?q=${'x'.repeat(80)} before **${LONG_WORD}** anything else.`;
const BODY = [
  `A paragraph with ${LONG_WORD} inside it.`,
  '',
  '```js',
  `const line = "${'0123456789'.repeat(30)}";`,
  '```',
  '',
  `> ${LONG_WORD}`,
  '',
  `| ${Array.from({ length: 12 }, (_, i) => `column${i}`).join(' | ')} |`,
  `| ${Array.from({ length: 12 }, () => '---').join(' | ')} |`,
  `| ${Array.from({ length: 12 }, () => LONG_WORD.slice(0, 40)).join(' | ')} |`,
  '',
  `Inline \`${'code'.repeat(60)}\` and a link https://example.org/${'a'.repeat(250)}`,
  '',
  `A footnote[^long] with a long word in it.`,
  '',
  `[^long]: ${LONG_WORD} https://example.org/${'b'.repeat(200)}`,
].join('\n');

beforeAll(async () => {
  [site, browser] = await Promise.all([startTestSite(), launchPages()]);
  http = await listen(site.app);
  const bob = await site.knex('users').where({ username: 'bob' }).first('id');
  // Published through the writer's form, as a writer would.
  const alice = await loggedInAgent(site.app, 'alice');
  const form = await alice.get('/write');
  const res = await alice
    .post('/write')
    .type('form')
    .send({ _csrf: csrfFrom(form.text), title: TITLE, teaser: TEASER, body: BODY, priceSat: '123456', intent: 'publish' });
  expect(res.status).toBe(302);
  articleId = Number(/\/articles\/(\d+)$/.exec(res.headers.location)![1]);
  await site.knex('article_flags').insert({ article_id: articleId, user_id: bob.id, reason: LONG_WORD.slice(0, 200) });
  // A hostile profile too: the longest unbroken name and bio the account page accepts (writer page, byline).
  await site
    .knex('users')
    .where({ username: 'alice' })
    .update({ display_name: LONG_WORD.slice(0, 60), bio: LONG_WORD.slice(0, 300) });
});

afterAll(async () => {
  await browser?.close();
  await http?.close();
  await site?.close();
});

async function pageAs(size: 'phone' | 'desktop', who: 'anonymous' | 'alice' | 'admin'): Promise<Page> {
  const page = await browser.newPage(size === 'phone' ? PHONE : DESKTOP);
  if (who !== 'anonymous') await logInThroughForm(page, http.baseUrl, who);
  return page;
}

/** The paths each kind of visitor opens, and the text that proves the hostile article is on it. */
const visits: Array<{ who: 'anonymous' | 'alice' | 'admin'; path: () => string }> = [
  { who: 'anonymous', path: () => '/' },
  { who: 'anonymous', path: () => `/articles/${articleId}` },
  { who: 'anonymous', path: () => '/writers/alice' },
  { who: 'alice', path: () => `/articles/${articleId}` },
  { who: 'alice', path: () => '/me/articles' },
  { who: 'admin', path: () => '/admin' },
  { who: 'admin', path: () => '/admin/dashboard' },
  { who: 'admin', path: () => '/admin/users' },
];

for (const size of ['phone', 'desktop'] as const) {
  test(`no page is wider than the window at ${size === 'phone' ? 390 : 1280} px with a hostile article on it`, async () => {
    const pages: Partial<Record<'anonymous' | 'alice' | 'admin', Page>> = {};
    const failures: string[] = [];
    for (const visit of visits) {
      const page = (pages[visit.who] ??= await pageAs(size, visit.who));
      const path = visit.path();
      const res = await page.goto(`${http.baseUrl}${path}`);
      expect(res?.status()).toBe(200);
      await journey(`width-${size}-${visit.who}`, page).shot(path);
      const { scroll, inner } = (await page.evaluate('({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })')) as {
        scroll: number;
        inner: number;
      };
      // On a phone Chromium widens the layout viewport to fit what overflows, so innerWidth grows
      // with the page: both are held to the window's real width.
      const width = size === 'phone' ? 390 : 1280;
      if (Math.max(scroll, inner) > width) failures.push(`${visit.who} ${path}: ${scroll} px wide in a ${inner} px window (${width} px)`);
    }
    // The hostile title is really on the pages measured (else the check proves nothing).
    const home = pages.anonymous as Page;
    await home.goto(`${http.baseUrl}/`);
    expect(await home.getByRole('link', { name: TITLE }).count()).toBe(1);
    expect(failures).toEqual([]);
  });
}
