import request from 'supertest';
import { startTestSite, loggedInAgent, TEST_PUBLIC_URL, type TestSite } from '../helpers/site';
import { parseXml, child, childrenNamed } from '../helpers/xml';
import { createPaymentsRepo } from '../../src/payments/payments-repo';

let site: TestSite;
beforeAll(async () => {
  site = await startTestSite();
  // 45 more articles with known counters and times (rows written directly, without stored HTML,
  // the way a bulk load would), some sharing values so the id breaks ties.
  const bob = await site.knex('users').where({ username: 'bob' }).first();
  const base = Date.parse('2026-01-01T00:00:00.000Z');
  await site.knex('articles').insert(
    Array.from({ length: 45 }, (_, i) => ({
      author_id: bob.id,
      title: `Bulk ${String(i).padStart(2, '0')} & <friends>`,
      teaser: `Teaser *${i}*`,
      body: 'Body',
      price_sat: 10,
      status: i === 44 ? 'draft' : 'published',
      published_at: new Date(base + (i % 15) * 60_000),
      views_count: i % 7,
      upvote_sats: (i * 37) % 11,
    })),
  );
});
afterAll(() => site.close());

const idsOn = (html: string) =>
  [...html.matchAll(/<li class="article-card">\s*<h2><a href="\/articles\/(\d+)">/g)].map((m) => Number(m[1]));

async function walk(sort: string): Promise<number[]> {
  const seen: number[] = [];
  let href: string | null = `/?sort=${sort}`;
  for (let pages = 0; href && pages < 10; pages += 1) {
    const res = await request(site.app).get(href);
    expect(res.status).toBe(200);
    const ids = idsOn(res.text);
    expect(ids.length).toBeLessThanOrEqual(20);
    seen.push(...ids);
    const next = /<a href="([^"]+)" rel="next">Next page<\/a>/.exec(res.text);
    href = next ? next[1].replace(/&amp;/g, '&') : null;
  }
  return seen;
}

describe('the home list', () => {
  test.each([
    ['new', 'published_at'],
    ['read', 'views_count'],
    ['top', 'upvote_sats'],
  ])('sort=%s pages through every published article once, in %s then id order', async (sort, column) => {
    const expected = await site
      .knex('articles')
      .where({ status: 'published' })
      .orderBy([
        { column, order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .pluck('id');
    const seen = await walk(sort);
    expect(seen).toEqual(expected);
    expect(expected.length).toBe(54);
  });

  test('the current sort is marked, a page past the first links back to the first, and a bogus cursor is ignored', async () => {
    const first = await request(site.app).get('/?sort=top');
    expect(first.text).toContain('<a href="/?sort=top" aria-current="page">Top</a>');
    expect(first.text).not.toContain('First page');
    const nextHref = /<a href="([^"]+)" rel="next">/.exec(first.text)![1].replace(/&amp;/g, '&');
    const second = await request(site.app).get(nextHref);
    expect(second.text).toContain('<a href="/?sort=top">First page</a>');
    expect(first.text).toContain(`<link rel="canonical" href="${TEST_PUBLIC_URL}/?sort=top">`);
    expect((await request(site.app).get('/')).text).toContain(`<link rel="canonical" href="${TEST_PUBLIC_URL}/">`);
    const bogus = await request(site.app).get("/?sort=nonsense&after=1'%20OR%201=1");
    expect(bogus.status).toBe(200);
    expect(idsOn(bogus.text)).toEqual(idsOn((await request(site.app).get('/')).text));
  });

  test('teasers written without stored HTML are rendered on read, and titles are escaped', async () => {
    const res = await request(site.app).get('/?sort=new');
    expect(res.text).toContain('Bulk 14 &amp; &lt;friends&gt;');
    expect(res.text).toMatch(/<div class="teaser"><p>Teaser <em>14<\/em><\/p>/);
  });
});

describe('feed and sitemap', () => {
  test('/feed.xml is well-formed RSS 2.0 with the latest published articles, teasers and absolute URLs', async () => {
    const res = await request(site.app).get('/feed.xml');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    const rss = parseXml(res.text);
    expect(rss.name).toBe('rss');
    expect(rss.attrs.version).toBe('2.0');
    const channel = child(rss, 'channel')!;
    expect(child(channel, 'title')!.text).toBe('Test Reads');
    expect(child(channel, 'link')!.text).toBe(`${TEST_PUBLIC_URL}/`);
    expect(child(channel, 'atom:link')!.attrs.href).toBe(`${TEST_PUBLIC_URL}/feed.xml`);
    const items = childrenNamed(channel, 'item');
    const expected = await site
      .knex('articles')
      .where({ status: 'published' })
      .orderBy([
        { column: 'published_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(50);
    expect(items.map((i) => child(i, 'link')!.text)).toEqual(expected.map((a) => `${TEST_PUBLIC_URL}/articles/${a.id}`));
    const bulk = items.find((i) => child(i, 'title')!.text === 'Bulk 14 & <friends>')!;
    expect(child(bulk, 'description')!.text).toBe('<p>Teaser <em>14</em></p>\n');
    expect(child(bulk, 'guid')!.attrs.isPermaLink).toBe('true');
    expect(new Date(child(bulk, 'pubDate')!.text).toISOString()).toBe('2026-01-01T00:14:00.000Z');
    expect(child(bulk, 'dc:creator')!.text).toBe('bob');
    expect(res.text).not.toContain('Bulk 44');
  });

  test('/sitemap.xml is a well-formed urlset of the home page and every published article', async () => {
    const res = await request(site.app).get('/sitemap.xml');
    const urlset = parseXml(res.text);
    expect(urlset.name).toBe('urlset');
    expect(urlset.attrs.xmlns).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
    const locs = childrenNamed(urlset, 'url').map((u) => child(u, 'loc')!.text);
    const published = await site.knex('articles').where({ status: 'published' }).pluck('id');
    expect(locs[0]).toBe(`${TEST_PUBLIC_URL}/`);
    const articleLocs = locs.filter((l) => l.startsWith(`${TEST_PUBLIC_URL}/articles/`));
    expect(new Set(articleLocs)).toEqual(new Set(published.map((id) => `${TEST_PUBLIC_URL}/articles/${id}`)));
    // Then where machines start: /llms.txt and the API's description (src/api/).
    expect(locs.slice(1 + articleLocs.length)).toEqual([`${TEST_PUBLIC_URL}/llms.txt`, `${TEST_PUBLIC_URL}/api/v1/openapi.json`]);
    for (const u of childrenNamed(urlset, 'url').slice(1, 1 + articleLocs.length))
      expect(Number.isNaN(Date.parse(child(u, 'lastmod')!.text))).toBe(false);
  });

  test('every page links the feed for readers that discover it', async () => {
    expect((await request(site.app).get('/')).text).toContain(
      '<link rel="alternate" type="application/rss+xml" title="Test Reads" href="/feed.xml">',
    );
  });
});

describe('the admin dashboard', () => {
  test('totals, per-article numbers and the 30-day chart agree with the database', async () => {
    const repo = createPaymentsRepo(site.knex);
    const [alice, bob] = await Promise.all(['alice', 'bob'].map(async (u) => (await site.knex('users').where({ username: u }).first()).id));
    const article = await site.knex('articles').where({ slug: 'what-channel-liquidity-really-means' }).first();
    const settle = async (p: { id: number }, hash: string, amount: number, settledAt: Date) => {
      await repo.attachInvoice(p.id, {
        paymentHash: hash,
        paymentRequest: `lnbcrt1${hash.slice(0, 8)}`,
        expiresAt: new Date(Date.now() + 60_000),
      });
      expect(await repo.markComplete(p.id, hash, { amountPaidSat: amount, settledAt })).toBe(true);
    };
    const today = new Date();
    const threeDaysAgo = new Date(today.getTime() - 3 * 86_400_000);
    await settle(
      await repo.findOrCreate({ userId: alice, articleId: article.id, purpose: 'view', amountSat: article.price_sat }),
      'a1'.repeat(32),
      article.price_sat,
      today,
    );
    await settle(
      await repo.findOrCreate({ userId: bob, articleId: article.id, purpose: 'view', amountSat: article.price_sat }),
      'b1'.repeat(32),
      article.price_sat,
      threeDaysAgo,
    );
    await settle(await repo.createUpvote({ userId: alice, articleId: article.id, amountSat: 40 }), 'a2'.repeat(32), 40, today);

    const admin = await loggedInAgent(site.app, 'admin');
    const res = await admin.get('/admin/dashboard');
    expect(res.status).toBe(200);
    const sums = await site
      .knex('articles')
      .first(
        site.knex.raw('sum(revenue_sat)::int as sats'),
        site.knex.raw('sum(views_count)::int as views'),
        site.knex.raw('sum(upvotes_count)::int as upvotes'),
      );
    const paid = await site
      .knex('payments')
      .where({ status: 'complete' })
      .first(site.knex.raw('sum(amount_paid_sat)::int as sats'), site.knex.raw('count(DISTINCT user_id)::int as readers'));
    expect(sums.sats).toBe(paid.sats);
    expect(sums.sats).toBe(2 * article.price_sat + 40);
    // The per-day rollup the chart reads agrees with the payments it was built from.
    const days = await site.knex('revenue_days').first(site.knex.raw('sum(sats)::int as sats'), site.knex.raw('sum(payments)::int as n'));
    expect(days).toEqual({ sats: paid.sats, n: 3 });
    const writers = await site.knex('articles').where({ status: 'published' }).first(site.knex.raw('count(DISTINCT author_id)::int as n'));
    expect(res.text).toContain(`<dd data-total="sats">${sums.sats.toLocaleString('en-US')} sats</dd>`);
    const count = (n: number) => n.toLocaleString('en-US');
    expect(res.text).toContain(`<dd data-total="views">${count(sums.views)}</dd>`);
    expect(res.text).toContain(`<dd data-total="upvotes">${count(sums.upvotes)}</dd>`);
    expect(res.text).toContain(`<dd data-total="readers">${count(paid.readers)}</dd>`);
    expect(res.text).toContain(`<dd data-total="writers">${count(writers.n)}</dd>`);

    const row = res.text.split(`<tr data-article-id="${article.id}">`)[1].split('</tr>')[0];
    // Counts with thousands separators, sats with their unit (the cells are labelled for the phone's cards).
    expect(
      [...row.matchAll(/<td class="num" data-label="(?:Views|Upvotes|Upvoted sats|Revenue)">([^<]+)<\/td>/g)].map((m) => m[1]),
    ).toEqual(['2', '1', '40 sats', `${(2 * article.price_sat + 40).toLocaleString('en-US')} sats`]);
    // Only articles that earned something are listed.
    const earned = await site.knex('articles').where('revenue_sat', '>', 0).count('* as n').first();
    expect(res.text.match(/<tr data-article-id=/g)).toHaveLength(Number(earned!.n));

    const day = (d: Date) => d.toISOString().slice(0, 10);
    expect(res.text).toContain(
      `<tr data-day="${day(today)}"><td>${day(today)}</td><td class="num">${(article.price_sat + 40).toLocaleString('en-US')} sats</td></tr>`,
    );
    expect(res.text).toContain(
      `<tr data-day="${day(threeDaysAgo)}"><td>${day(threeDaysAgo)}</td><td class="num">${article.price_sat.toLocaleString('en-US')} sats</td></tr>`,
    );
    expect(res.text.match(/<tr data-day=/g)).toHaveLength(30);
    const svg = parseXml(/<svg[\s\S]*?<\/svg>/.exec(res.text)![0]);
    expect(svg.attrs.role).toBe('img');
    expect(childrenNamed(svg, 'rect')).toHaveLength(30);
    expect(child(svg, 'desc')!.text).toContain(`${(2 * article.price_sat + 40).toLocaleString('en-US')} sats earned`);
  });
});
