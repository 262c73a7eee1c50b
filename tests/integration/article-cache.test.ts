/**
 * The article page from memory (src/articles/article-cache.ts), over the real database and its
 * change notices: a paid reader's repeat view costs no query, and whatever changes the article
 * (moderation, an edit made in psql, a payment moving its counters) shows on the next view; while
 * the LISTEN connection is down, every view reads the database.
 */
import pg from 'pg';
import request from 'supertest';
import { startTestSite, loggedInAgent, csrfFrom, articleBody, paymentRequestFrom, type TestSite } from '../helpers/site';
import { queriesDuring, recordPaidView } from '../helpers/db-probes';
import { eventually } from '../helpers/http';

let site: TestSite;
beforeAll(async () => {
  site = await startTestSite();
});
afterAll(() => site.close());

type Agent = Awaited<ReturnType<typeof loggedInAgent>>;

async function adminArticle(offset: number): Promise<{ id: number; price_sat: number; title: string }> {
  return site
    .knex('articles as a')
    .join('users as u', 'u.id', 'a.author_id')
    .where({ 'u.username': 'admin', 'a.status': 'published' })
    .orderBy('a.id')
    .offset(offset)
    .first('a.id', 'a.price_sat', 'a.title');
}

/** A complete view payment for `username` (as the watcher would record it). */
async function paidView(username: string, article: { id: number; price_sat: number }, hashByte: string): Promise<void> {
  const user = await site.knex('users').where({ username }).first('id');
  await recordPaidView(site.knex, user.id, article, hashByte);
}

async function view(agent: Agent, id: number): Promise<{ status: number; text: string; queries: string[] }> {
  const { result: res, queries } = await queriesDuring(site.knex, async () => agent.get(`/articles/${id}`));
  return { status: res.status, text: res.text, queries };
}

/** A change made outside the site (another connection, as psql would): the site only hears the notice. */
async function outside(sql: string, params: unknown[]): Promise<void> {
  const client = new pg.Client({ connectionString: site.db.url });
  await client.connect();
  try {
    await client.query(sql, params);
  } finally {
    await client.end();
  }
}

test('a paid reader’s repeat view is served from memory, and an edit made in psql shows on the next views', async () => {
  const article = await adminArticle(0);
  await paidView('alice', article, 'a1');
  const alice = await loggedInAgent(site.app, 'alice');
  const first = await view(alice, article.id);
  expect(articleBody(first.text)).not.toBeNull();
  const again = await view(alice, article.id);
  expect(again.queries).toEqual([]);
  expect(again.text).toContain(article.title);

  await outside('UPDATE articles SET title = $1 WHERE id = $2', ['Renamed in psql', article.id]);
  await eventually(
    async () => ((await view(alice, article.id)).text.includes('Renamed in psql') ? true : undefined),
    'the new title on the page',
  );
  const after = await view(alice, article.id);
  expect(after.queries).toEqual([]);
  expect(articleBody(after.text)).not.toBeNull();
});

test('an admin hides an article: the very next view by a reader who paid is the 404 page, and restoring brings it back', async () => {
  const article = await adminArticle(1);
  await paidView('bob', article, 'b2');
  const bob = await loggedInAgent(site.app, 'bob');
  expect((await view(bob, article.id)).status).toBe(200);
  expect((await view(bob, article.id)).queries).toEqual([]);

  const admin = await loggedInAgent(site.app, 'admin');
  const csrf = csrfFrom((await admin.get('/')).text);
  expect((await admin.post(`/admin/articles/${article.id}/hide`).type('form').send({ _csrf: csrf, reason: 'Spam' })).status).toBe(302);
  expect((await view(bob, article.id)).status).toBe(404);

  expect((await admin.post(`/admin/articles/${article.id}/restore`).type('form').send({ _csrf: csrf })).status).toBe(302);
  expect((await view(bob, article.id)).status).toBe(200);
});

test('a payment by another reader moves the paid-view count on the page', async () => {
  const article = await adminArticle(2);
  await paidView('alice', article, 'c3');
  const alice = await loggedInAgent(site.app, 'alice');
  const before = Number(/(\d+) paid views?/.exec((await view(alice, article.id)).text)![1]);
  await paidView('bob', article, 'd4');
  await eventually(
    async () => ((await view(alice, article.id)).text.includes(`${before + 1} paid view`) ? true : undefined),
    'the count to move',
  );
});

test('while the LISTEN connection is down every view reads the database, and memory is used again once it is back', async () => {
  const article = await adminArticle(3);
  await paidView('alice', article, 'e5');
  const alice = await loggedInAgent(site.app, 'alice');
  await view(alice, article.id);
  expect((await view(alice, article.id)).queries).toEqual([]);

  await site.listener.stop();
  try {
    expect(site.articleCache!.stats()).toMatchObject({ live: false, articles: 0 });
    // A change now sends a notice nobody hears; the page must show it all the same.
    await outside('UPDATE articles SET title = $1 WHERE id = $2', ['Changed while deaf', article.id]);
    const deaf = await view(alice, article.id);
    expect(deaf.queries).toHaveLength(1);
    expect(deaf.text).toContain('Changed while deaf');
    expect((await view(alice, article.id)).queries).toHaveLength(1);
  } finally {
    await site.listener.start();
  }
  expect(site.listener.listening()).toBe(true);
  await view(alice, article.id);
  expect((await view(alice, article.id)).queries).toEqual([]);
});

test('the home page comes from memory on a repeat visit, and shows an article added in psql on the next visits', async () => {
  const anonymous = async () => {
    const { result: res, queries } = await queriesDuring(site.knex, async () => request(site.app).get('/'));
    expect(res.status).toBe(200);
    return { text: res.text, queries };
  };
  await anonymous();
  expect((await anonymous()).queries).toEqual([]);

  const admin = await site.knex('users').where({ username: 'admin' }).first('id');
  await outside(
    `INSERT INTO articles (author_id, title, teaser, body, teaser_html, body_html, price_sat, status, published_at)
     VALUES ($1, 'Added in psql', 'A teaser.', 'A body.', '<p>A teaser.</p>', '<p>A body.</p>', 100, 'published', now())`,
    [admin.id],
  );
  await eventually(async () => ((await anonymous()).text.includes('Added in psql') ? true : undefined), 'the new article on the home page');
  expect((await anonymous()).queries).toEqual([]);
});

test('a paid view moved to error by a person in psql is no longer served from memory', async () => {
  const article = await adminArticle(4);
  await paidView('bob', article, 'f6');
  const bob = await loggedInAgent(site.app, 'bob');
  await view(bob, article.id);
  expect((await view(bob, article.id)).queries).toEqual([]);

  const user = await site.knex('users').where({ username: 'bob' }).first('id');
  await outside(
    `UPDATE payments SET status = 'error', error_reason = 'disputed' WHERE user_id = $1 AND article_id = $2 AND purpose = 'view'`,
    [user.id, article.id],
  );
  const locked = await eventually(async () => {
    const page = await view(bob, article.id);
    return articleBody(page.text) === null ? page : undefined;
  }, 'the article to be locked again');
  // The reader is never stuck in error: the page says so and offers a fresh invoice (issue 11).
  expect(locked.text).toContain('Your earlier payment for this article needed our attention');
  expect(paymentRequestFrom(locked.text)).toMatch(/^lnbcrt/);
});
