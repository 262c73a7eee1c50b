import request from 'supertest';
import { startTestSite, loggedInAgent, csrfFrom, articleBody, TEST_PUBLIC_URL, type TestSite } from '../helpers/site';

let site: TestSite;
beforeAll(async () => {
  site = await startTestSite();
});
afterAll(() => site.close());

type Agent = Awaited<ReturnType<typeof loggedInAgent>>;

async function write(agent: Agent, fields: Record<string, string>) {
  const form = await agent.get('/write');
  return agent
    .post('/write')
    .type('form')
    .send({ _csrf: csrfFrom(form.text), ...fields });
}

const article = {
  title: 'Channels, *explained*',
  teaser: 'A **free** teaser with <b>html</b>.',
  body: 'The paid part.\n\n[safe](https://example.com) and [bad](javascript:alert(1))\n\n<script>alert(1)</script>',
  priceSat: '250',
};

describe('writing', () => {
  test('anonymous visitors are sent to log in to write', async () => {
    const res = await request(site.app).get('/write');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/login?next=%2Fwrite');
  });

  test('preview shows the rendered Markdown and saves nothing', async () => {
    const bob = await loggedInAgent(site.app, 'bob');
    const before = await site.knex('articles').count('* as n').first();
    const res = await write(bob, { ...article, intent: 'preview' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('Preview (not saved yet)');
    expect(res.text).toContain('<strong>free</strong>');
    expect(res.text).toContain('&lt;b&gt;html&lt;/b&gt;');
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(res.text).not.toContain('href="javascript:');
    expect(await site.knex('articles').count('* as n').first()).toEqual(before);
  });

  test('a price outside the configured bounds is refused with a clear message', async () => {
    const bob = await loggedInAgent(site.app, 'bob');
    const res = await write(bob, { ...article, priceSat: '1000001', intent: 'publish' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('The price must be a whole number of sats from 1 to 1,000,000.');
    expect(res.text).toContain('value="1000001"');
    expect(await site.knex('articles').where({ title: article.title }).first()).toBeUndefined();
  });

  test('a draft is stored with its Markdown rendered once to safe HTML, and only its author can see it', async () => {
    const bob = await loggedInAgent(site.app, 'bob');
    const saved = await write(bob, { ...article, intent: 'draft' });
    expect(saved.status).toBe(302);
    const row = await site.knex('articles').where({ title: article.title }).first();
    expect(row).toMatchObject({ status: 'draft', price_sat: 250, teaser: article.teaser, body: article.body });
    expect(row.teaser_html).toBe('<p>A <strong>free</strong> teaser with &lt;b&gt;html&lt;/b&gt;.</p>\n');
    expect(row.body_html).toContain('<a href="https://example.com" rel="nofollow noopener noreferrer ugc">safe</a>');
    // The javascript: link stays visible as plain text, never a link; the script tag is text too.
    expect(row.body_html).toContain('and [bad](javascript:alert(1))</p>');
    expect(row.body_html).not.toMatch(/href="javascript:/i);
    expect(row.body_html).not.toContain('<script');
    expect(saved.headers.location).toBe(`/articles/${row.id}`);

    const own = await bob.get(`/articles/${row.id}`);
    expect(own.status).toBe(200);
    expect(own.text).toContain('This is a draft: only you can see it.');
    expect(articleBody(own.text)).toContain('The paid part.');

    expect((await request(site.app).get(`/articles/${row.id}`)).status).toBe(404);
    expect((await (await loggedInAgent(site.app, 'alice')).get(`/articles/${row.id}`)).status).toBe(404);
    const adminView = await (await loggedInAgent(site.app, 'admin')).get(`/articles/${row.id}`);
    expect(adminView.status).toBe(404);
    expect(adminView.text).not.toContain('The paid part.');
    expect((await request(site.app).get('/')).text).not.toContain(`/articles/${row.id}"`);
    expect((await request(site.app).get('/feed.xml')).text).not.toContain(`/articles/${row.id}<`);
    expect((await request(site.app).get('/writers/bob')).text).not.toContain(`/articles/${row.id}"`);
    expect(await site.knex('payments').where({ article_id: row.id }).count('* as n').first()).toEqual({ n: 0 });
  });

  test('the author edits and publishes the draft; it then leads the home list and the writer page', async () => {
    const bob = await loggedInAgent(site.app, 'bob');
    const row = await site.knex('articles').where({ title: article.title }).first();
    const form = await bob.get(`/articles/${row.id}/edit`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Channels, *explained*');
    const res = await bob
      .post(`/articles/${row.id}/edit`)
      .type('form')
      .send({ _csrf: csrfFrom(form.text), ...article, title: 'Channels explained', priceSat: '300', intent: 'publish' });
    expect(res.status).toBe(302);
    const after = await site.knex('articles').where({ id: row.id }).first();
    expect(after).toMatchObject({ status: 'published', title: 'Channels explained', price_sat: 300 });
    expect(after.published_at.getTime()).toBeGreaterThanOrEqual(row.published_at.getTime());

    const home = await request(site.app).get('/');
    const firstCard = home.text.split('<li class="article-card">')[1];
    expect(firstCard).toContain(`href="/articles/${row.id}"`);
    expect(firstCard).toContain('<strong>free</strong>');
    const page = await request(site.app).get('/writers/bob');
    expect(page.text).toContain('Articles by bob');
    expect(page.text).toContain(`href="/articles/${row.id}"`);
    expect(page.text).toContain(`<link rel="canonical" href="${TEST_PUBLIC_URL}/writers/bob">`);
  });

  test('the author reads their own published article free: no payment, no invoice', async () => {
    const bob = await loggedInAgent(site.app, 'bob');
    const row = await site.knex('articles').where({ title: 'Channels explained' }).first();
    const res = await bob.get(`/articles/${row.id}`);
    expect(res.text).toContain('You wrote this article, so you read it free.');
    expect(articleBody(res.text)).toContain('The paid part.');
    expect(await site.knex('payments').where({ article_id: row.id }).count('* as n').first()).toEqual({ n: 0 });
  });

  test('nobody else can edit an article: their edit page and their post are not found', async () => {
    const alice = await loggedInAgent(site.app, 'alice');
    const row = await site.knex('articles').where({ title: 'Channels explained' }).first();
    expect((await alice.get(`/articles/${row.id}/edit`)).status).toBe(404);
    const csrf = csrfFrom((await alice.get('/write')).text);
    const res = await alice
      .post(`/articles/${row.id}/edit`)
      .type('form')
      .send({ _csrf: csrf, ...article, title: 'Hijacked', intent: 'draft' });
    expect(res.status).toBe(404);
    expect((await site.knex('articles').where({ id: row.id }).first()).title).toBe('Channels explained');
  });

  test('an article page carries description, canonical and Open Graph tags with absolute URLs', async () => {
    const row = await site.knex('articles').where({ title: 'Channels explained' }).first();
    const res = await request(site.app).get(`/articles/${row.id}`);
    const url = `${TEST_PUBLIC_URL}/articles/${row.id}`;
    expect(res.text).toContain(`<link rel="canonical" href="${url}">`);
    expect(res.text).toContain(`<meta property="og:url" content="${url}">`);
    expect(res.text).toContain('<meta property="og:title" content="Channels explained">');
    expect(res.text).toContain('<meta name="description" content="A free teaser with &lt;b&gt;html&lt;/b&gt;.">');
    expect(res.text).toContain('<meta property="og:type" content="article">');
  });

  test("a writer's own page lists drafts too, with views, upvotes and sats earned", async () => {
    const bob = await loggedInAgent(site.app, 'bob');
    const bobId = (await site.knex('users').where({ username: 'bob' }).first()).id;
    await write(bob, { ...article, title: 'Still a draft', intent: 'draft' });
    const totals = await site
      .knex('articles')
      .where({ author_id: bobId })
      .first(site.knex.raw('sum(revenue_sat)::int as sats'), site.knex.raw('sum(views_count)::int as views'));
    const res = await bob.get('/me/articles');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Still a draft');
    expect(res.text).toMatch(/<td class="status" data-label="Status">draft<\/td>/);
    expect(res.text).toContain(`<dd data-total="sats">${totals.sats.toLocaleString('en-US')} sats</dd>`);
    expect(res.text).toContain(`<dd data-total="views">${totals.views}</dd>`);
  });
});
