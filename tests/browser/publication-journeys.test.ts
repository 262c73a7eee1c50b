/**
 * Issue 14's journeys in headless Chromium against the whole site: a writer uploads a cover and an
 * inline image through the editor and tags the article; a reader finds it by tag and by search; a
 * reader who paid sees Unlocked marks. Screenshots at 1280 and 390 px go to tests/browser/screenshots/.
 */
import type { BrowserContextOptions, Page } from 'playwright-core';
import sharp from 'sharp';
import { startTestSite, type TestSite } from '../helpers/site';
import { listen } from '../helpers/http';
import { recordPaidView } from '../helpers/db-probes';
import { launchPages, type BrowserPages, journey, logInThroughForm, DESKTOP, PHONE } from '../helpers/browser';

let site: TestSite;
let http: Awaited<ReturnType<typeof listen>>;
let pages: BrowserPages;
const TITLE = 'A Field Guide to Watchtowers';

beforeAll(async () => {
  [site, pages] = await Promise.all([startTestSite(), launchPages()]);
  http = await listen(site.app);
});

afterAll(async () => {
  await pages?.close();
  await http?.close();
  await site?.close();
});

const newPage = (options: BrowserContextOptions): Promise<Page> => pages.newPage(options);

const picture = (width: number, height: number, colour: string) =>
  sharp({ create: { width, height, channels: 3, background: colour } })
    .jpeg()
    .withExif({ IFD0: { Artist: 'Someone' } })
    .toBuffer();

test('a writer uploads a cover and an inline image, tags the article and publishes it', async () => {
  const page = await newPage(DESKTOP);
  const j = journey('images-and-tags', page);
  await j.step('log in and open the editor', async () => {
    await logInThroughForm(page, http.baseUrl, 'bob');
    await page.goto(`${http.baseUrl}/write`);
    await page.getByRole('heading', { level: 1, name: 'Write an article' }).waitFor();
  });
  await j.step('fill in the text and the tags', async () => {
    await page.getByLabel('Title').fill(TITLE);
    await page.getByLabel(/^Teaser/).fill('Who keeps an eye on your **channels** while you sleep.');
    await page
      .getByLabel(/^Article/)
      .fill('Intro paragraph.\n\n```js\nconst watch = (channel) => channel.breach ? punish() : sleep();\n```\n\n> A quote worth keeping.');
    await page.getByLabel(/^Tags/).fill('Lightning, Security');
    await page.getByLabel('Price in sats').fill('150');
  });
  await j.step('upload a cover image and describe it', async () => {
    await page
      .locator('[data-cover-file]')
      .setInputFiles({ name: 'cover.jpg', mimeType: 'image/jpeg', buffer: await picture(1600, 900, '#2a6fc8') });
    await page.getByText('Cover image uploaded. Describe it below.').waitFor();
    await page.getByLabel('Cover image description (alt text)').fill('A blue night sky');
  });
  await j.step('insert an image into the text: the Markdown arrives with a placeholder description', async () => {
    await page
      .locator('[data-insert-image]')
      .setInputFiles({ name: 'inline.jpg', mimeType: 'image/jpeg', buffer: await picture(800, 600, '#c8702a') });
    await page.getByText('Image added: describe it between the brackets.').waitFor();
    expect(await page.getByLabel(/^Article/).inputValue()).toMatch(/!\[Describe the image\]\(\/images\/\d+\)/);
  });
  await j.step('publishing with the placeholder is refused next to the field', async () => {
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.locator('#body-error').getByText('Describe every image').waitFor();
  });
  await j.shot('refused without a description');
  await j.step('describe the image and preview it', async () => {
    const body = page.getByLabel(/^Article/);
    await body.fill((await body.inputValue()).replace('Describe the image', 'An orange square'));
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.locator('.preview img[alt="An orange square"]').waitFor();
    await page.locator('.preview .hljs-keyword').first().waitFor();
  });
  await j.shot('preview');
  await j.step('publish: the cover, the image and the tags show on the article', async () => {
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await page.getByRole('img', { name: 'A blue night sky' }).waitFor();
    await page.locator('.article-body img[alt="An orange square"]').scrollIntoViewIfNeeded();
    expect(
      await page
        .locator('.article-body img[alt="An orange square"]')
        .evaluate(
          (img) =>
            (img as unknown as { complete: boolean; naturalWidth: number }).complete &&
            (img as unknown as { naturalWidth: number }).naturalWidth > 0,
        ),
    ).toBe(true);
    await page.getByRole('link', { name: '#security' }).first().waitFor();
  });
  await j.shot('published');
});

test('a writer edits their profile: name, bio and picture, shown on their page and under their article', async () => {
  const page = await newPage(PHONE);
  const j = journey('writer-profile', page);
  await j.step('log in and open the account page', async () => {
    await logInThroughForm(page, http.baseUrl, 'alice');
    await page.goto(`${http.baseUrl}/account`);
    await page.getByRole('heading', { level: 2, name: 'Your profile' }).waitFor();
  });
  await j.step('a name that is too long is refused next to the field', async () => {
    await page.getByLabel('Display name').evaluate((el) => el.removeAttribute('maxlength'));
    await page.getByLabel('Display name').fill('A'.repeat(61));
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.locator('#profile-displayName-error').getByText('The name can be at most 60 characters').waitFor();
  });
  await j.shot('profile refused');
  await j.step('upload a picture, write a name and a bio, save', async () => {
    await page
      .locator('[data-avatar-file]')
      .setInputFiles({ name: 'me.jpg', mimeType: 'image/jpeg', buffer: await picture(600, 600, '#3c9a5f') });
    await page.getByText('Picture uploaded. Save your profile to use it.').waitFor();
    await page.getByLabel('Display name').fill('Alice Lovelace');
    await page.getByLabel('Short bio').fill('Writes about routing and liquidity.\nRuns a node at home.');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Your profile is saved').waitFor();
  });
  await j.step('the writer page shows the name, the bio and the picture', async () => {
    await page.goto(`${http.baseUrl}/writers/alice`);
    await page.getByRole('heading', { level: 1, name: 'Alice Lovelace' }).waitFor();
    await page.getByText('Runs a node at home.').waitFor();
    expect(
      await page.locator('.writer-head img.avatar').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    ).toBeGreaterThan(0);
  });
  await j.shot('writer page');
  const row = await site.knex('users').where({ username: 'alice' }).first('display_name', 'bio', 'avatar_image_id');
  expect(row).toMatchObject({ display_name: 'Alice Lovelace', bio: 'Writes about routing and liquidity.\nRuns a node at home.' });
  expect(row.avatar_image_id).not.toBeNull();
  const articleId = (
    await site
      .knex('articles')
      .where({ author_id: (await site.knex('users').where({ username: 'alice' }).first('id')).id, status: 'published' })
      .first('id')
  )?.id;
  if (articleId) {
    await j.step('the byline under her article shows them too', async () => {
      await page.goto(`${http.baseUrl}/articles/${articleId}`);
      await page.locator('.byline').getByText('By Alice Lovelace').waitFor();
    });
    await j.shot('byline');
  }
});

for (const size of ['desktop', 'phone'] as const) {
  test(`a reader finds articles by tag and by search, and sees Unlocked on the one she paid for (${size})`, async () => {
    const alice = await site.knex('users').where({ username: 'alice' }).first('id');
    const paid = await site.knex('articles').orderBy('id').first('id', 'price_sat', 'title');
    await site
      .knex('articles')
      .where({ id: paid.id })
      .update({ tags: ['essays'] });
    await recordPaidView(
      site.knex,
      Number(alice.id),
      { id: Number(paid.id), price_sat: Number(paid.price_sat) },
      size === 'phone' ? 'cd' : 'ab',
    ).catch(() => undefined);
    const page = await newPage(size === 'phone' ? PHONE : DESKTOP);
    const j = journey(`find-${size}`, page);
    await j.step('log in', () => logInThroughForm(page, http.baseUrl, 'alice'));
    await j.shot('home signed in');
    await j.step('the paid article is marked Unlocked on the home page', async () => {
      const card = page.locator('.article-card', { has: page.getByRole('link', { name: paid.title, exact: true }) });
      await card.getByText('Unlocked').waitFor();
    });
    await j.step('open a tag from an article card', async () => {
      await page.goto(`${http.baseUrl}/tags/essays`);
      await page.getByRole('heading', { level: 1, name: 'Articles tagged #essays' }).waitFor();
      await page.getByRole('link', { name: paid.title, exact: true }).waitFor();
    });
    await j.shot('tag page');
    await j.step('search from the header', async () => {
      await page.getByRole('link', { name: 'Search', exact: true }).click();
      await page.getByLabel('Search articles').fill('liquidity');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.getByText('Results for “liquidity”').waitFor();
      expect(await page.locator('.article-card').count()).toBeGreaterThan(0);
    });
    await j.shot('search results');
    await j.step('the paid article says Unlocked on its page', async () => {
      await page.goto(`${http.baseUrl}/articles/${paid.id}`);
      await page.locator('.meta').getByText('Unlocked').waitFor();
      await page.locator('.article-body').waitFor();
    });
    await j.shot('article unlocked');
    await j.step('nothing is wider than the screen', async () => {
      const { scroll, inner } = (await page.evaluate('({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })')) as {
        scroll: number;
        inner: number;
      };
      expect(scroll).toBeLessThanOrEqual(inner);
    });
  });
}
