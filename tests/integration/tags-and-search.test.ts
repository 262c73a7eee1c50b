/**
 * Tags and search over HTTP against a real database: a writer tags an article, its tags are stored
 * normalised and link to a tag page and a tag feed; search finds articles by title, teaser and tag,
 * ranked and paged, and never by (or showing) the paid body.
 */
import request from 'supertest';
import { startTestSite, loggedInAgent, csrfFrom, TEST_PUBLIC_URL, type TestSite } from '../helpers/site';
import { parseXml } from '../helpers/xml';

let site: TestSite;
let bob: Awaited<ReturnType<typeof loggedInAgent>>;

beforeAll(async () => {
  site = await startTestSite();
  bob = await loggedInAgent(site.app, 'bob');
});
afterAll(() => site.close());

async function publish(fields: Record<string, string>) {
  const form = await bob.get('/write');
  return bob
    .post('/write')
    .type('form')
    .send({ _csrf: csrfFrom(form.text), priceSat: '100', intent: 'publish', ...fields });
}

test('a writer tags an article: the tags are stored normalised and shown as links on the page and in lists', async () => {
  const res = await publish({
    title: 'Routing fees, demystified',
    teaser: 'How nodes price their liquidity.',
    body: 'The secret word is zanzibar.',
    tags: 'Lightning, Open Source;  lightning, #fees',
  });
  expect(res.status).toBe(302);
  const row = await site.knex('articles').where({ title: 'Routing fees, demystified' }).first();
  expect(row.tags).toEqual(['lightning', 'open-source', 'fees']);
  const page = await request(site.app).get(`/articles/${row.id}`);
  expect(page.text).toContain('<a href="/tags/open-source" rel="tag">#open-source</a>');
  const tag = await request(site.app).get('/tags/open-source');
  expect(tag.status).toBe(200);
  expect(tag.text).toContain('Articles tagged <span class="tag-name">#open-source</span>');
  expect(tag.text).toContain(`<a href="/articles/${row.id}">Routing fees, demystified</a>`);
  expect(tag.text).toContain('<link rel="alternate" type="application/rss+xml" title="#open-source" href="/tags/open-source/feed.xml">');
});

test('a bad tag is refused next to the field and nothing is saved', async () => {
  const res = await publish({ title: 'Badly tagged', teaser: 't', body: 'b', tags: 'ok, !!!' });
  expect(res.status).toBe(422);
  expect(res.text).toMatch(/<p id="tags-error" class="field-error">“!!!” is not a usable tag/);
  expect(res.text).toContain('aria-invalid="true"');
  expect(await site.knex('articles').where({ title: 'Badly tagged' }).first()).toBeUndefined();
  const six = await publish({ title: 'Too many tags', teaser: 't', body: 'b', tags: 'a, b, c, d, e, f' });
  expect(six.text).toContain('At most 5 tags, separated by commas.');
});

test('a tag has an RSS feed of its published articles only', async () => {
  await publish({ title: 'Feed me', teaser: 'A teaser & more', body: 'b', tags: 'feedtag' });
  const form = await bob.get('/write');
  await bob
    .post('/write')
    .type('form')
    .send({
      _csrf: csrfFrom(form.text),
      priceSat: '100',
      intent: 'draft',
      title: 'Draft in the tag',
      teaser: 't',
      body: 'b',
      tags: 'feedtag',
    });
  const res = await request(site.app).get('/tags/feedtag/feed.xml');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
  const channel = parseXml(res.text).children[0];
  const items = channel.children.filter((c) => c.name === 'item');
  expect(items.map((i) => i.children.find((c) => c.name === 'title')!.text)).toEqual(['Feed me']);
  expect(items[0].children.find((c) => c.name === 'category')!.text).toBe('feedtag');
  expect(channel.children.find((c) => c.name === 'link')!.text).toBe(`${TEST_PUBLIC_URL}/tags/feedtag`);
});

test('an unknown or malformed tag is a clean 404', async () => {
  expect((await request(site.app).get('/tags/Not%20A%20Tag')).status).toBe(404);
  const empty = await request(site.app).get('/tags/nothing-here');
  expect(empty.status).toBe(200);
  expect(empty.text).toContain('No published article has this tag yet.');
});

describe('search', () => {
  beforeAll(async () => {
    await publish({
      title: 'Watchtowers explained',
      teaser: 'Who guards your channel while you sleep.',
      body: 'Paid words: quokka platypus.',
      tags: 'security',
    });
    await publish({ title: 'A hushed essay', teaser: 'Mentions watchtowers once, in passing.', body: 'b' });
    await publish({ title: 'Marmalade', teaser: 'Nothing about nodes.', body: 'b', tags: 'watchtowers' });
  });

  test('finds by title, teaser and tag, the title and tag matches first', async () => {
    const res = await request(site.app).get('/search?q=watchtower');
    expect(res.status).toBe(200);
    const titles = [...res.text.matchAll(/<h2><a href="\/articles\/\d+">([^<]+)<\/a><\/h2>/g)].map((m) => m[1]);
    expect(titles).toHaveLength(3);
    expect(titles[2]).toBe('A hushed essay');
    expect(titles.slice(0, 2).sort()).toEqual(['Marmalade', 'Watchtowers explained']);
  });

  test('everyday queries work: phrases, or, minus', async () => {
    const titlesFor = async (q: string) =>
      [
        ...(await request(site.app).get(`/search?q=${encodeURIComponent(q)}`)).text.matchAll(
          /<h2><a href="\/articles\/\d+">([^<]+)<\/a><\/h2>/g,
        ),
      ]
        .map((m) => m[1])
        .sort();
    expect(await titlesFor('"guards your channel"')).toEqual(['Watchtowers explained']);
    expect(await titlesFor('watchtowers -marmalade')).toEqual(['A hushed essay', 'Watchtowers explained']);
    expect(await titlesFor('hushed or marmalade')).toEqual(['A hushed essay', 'Marmalade']);
  });

  test('the paid body is never searched nor shown', async () => {
    const res = await request(site.app).get('/search?q=quokka');
    expect(res.text).toContain('No article matches “quokka”.');
    const hit = await request(site.app).get('/search?q=watchtowers');
    expect(hit.text).not.toContain('quokka');
  });

  test('a query of stop words or punctuation says so; a huge page number is clamped; HTML in the query is text', async () => {
    expect((await request(site.app).get('/search?q=the%20and')).text).toContain('has nothing to search for');
    const res = await request(site.app).get('/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E&page=999');
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('<script>alert(1)');
    expect(res.text).toContain('&lt;script&gt;');
  });

  test('an article hidden by an admin, or still a draft, is not found', async () => {
    await site.knex('articles').where({ title: 'Marmalade' }).update({ status: 'deleted by admin' });
    const res = await request(site.app).get('/search?q=marmalade');
    expect(res.text).toContain('No article matches “marmalade”.');
    expect(
      await site.knex('article_search as s').join('articles as a', 'a.id', 's.article_id').where('a.title', 'Marmalade').first(),
    ).toBeUndefined();
    await site.knex('articles').where({ title: 'Marmalade' }).update({ status: 'published' });
    expect((await request(site.app).get('/search?q=marmalade')).text).toContain('>Marmalade</a>');
  });

  test('results come a page at a time', async () => {
    for (let i = 0; i < 21; i++)
      await site.knex('articles').insert({
        author_id: (await site.knex('users').where({ username: 'bob' }).first()).id,
        title: `Pagination probe ${i}`,
        teaser: 'zebrafish',
        body: 'b',
        price_sat: 10,
        status: 'published',
      });
    const first = await request(site.app).get('/search?q=zebrafish');
    expect([...first.text.matchAll(/Pagination probe \d+/g)]).toHaveLength(20);
    expect(first.text).toContain('<a href="/search?q=zebrafish&amp;page=2" rel="next">Next page</a>');
    const second = await request(site.app).get('/search?q=zebrafish&page=2');
    expect([...second.text.matchAll(/Pagination probe \d+/g)]).toHaveLength(1);
    expect(second.text).not.toContain('rel="next"');
  });
});
