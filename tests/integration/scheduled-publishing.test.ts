/**
 * Scheduled publishing against a real database: an article scheduled on the write page is
 * invisible everywhere readers look (pages, lists, search, feeds, sitemap, API, its URL) until its
 * time, listed as scheduled for its writer, then appears by itself; the article.published webhook
 * event is sent once, by whichever publish worker claims it. No test waits for a clock: publish
 * times are moved in the database, and the worker is run by hand.
 */
import request from 'supertest';
import { startTestSite, loggedInAgent, csrfFrom, type TestSite } from '../helpers/site';
import { eventually, listen } from '../helpers/http';
import { apiFetch, useOpenApiFrom } from '../helpers/openapi-check';
import { createScheduledPublisher } from '../../src/articles/scheduled-publisher';
import { silentLogger } from '../../src/lib/logger';
import { inputValue } from '../../src/articles/schedule';

let site: TestSite;
let http: Awaited<ReturnType<typeof listen>>;
type Agent = Awaited<ReturnType<typeof loggedInAgent>>;
let bob: Agent;

beforeAll(async () => {
  site = await startTestSite();
  http = await listen(site.app);
  await useOpenApiFrom(http.baseUrl);
  bob = await loggedInAgent(site.app, 'bob');
  await site.knex('webhook_endpoints').insert({ url: 'https://hooks.example/in', events: ['article.published'], secret: 'whsec_test' });
});
afterAll(async () => {
  await http.close();
  await site.close();
});

const inAnHour = () => inputValue(new Date(Date.now() + 3_600_000));

async function write(fields: Record<string, string>) {
  const form = await bob.get('/write');
  return bob
    .post('/write')
    .type('form')
    .send({ _csrf: csrfFrom(form.text), teaser: 'Free part.', body: 'Paid part.', priceSat: '21', tags: 'timecapsule', ...fields });
}

const publishedEvents = async (articleId: number) =>
  (await site.knex('webhook_events').where({ type: 'article.published' }).select('body'))
    .map((r) => JSON.parse(r.body))
    .filter((b) => b.data.articleId === articleId);

/** Everything a reader can look at, and whether the article (by its unique title word) shows there. */
async function whereReadersSee(id: number, word: string): Promise<string[]> {
  expect(word).toMatch(/^[a-z]+$/i);
  const anon = request(site.app);
  const alice = await loggedInAgent(site.app, 'alice');
  const seen: string[] = [];
  // A link to it (pages, feeds, sitemap, the API's urls): the search page also repeats the query word.
  const link = new RegExp(`/articles/${id}(?![0-9])`);
  const has = (text: string) => link.test(text);
  if ((await anon.get(`/articles/${id}`)).status === 200) seen.push('article page');
  if ((await alice.get(`/articles/${id}`)).status === 200) seen.push('article page (reader)');
  if (has((await anon.get('/')).text)) seen.push('home');
  if (has((await anon.get('/?sort=top')).text)) seen.push('home (top)');
  if (has((await anon.get('/tags/timecapsule')).text)) seen.push('tag page');
  if (has((await anon.get('/tags/timecapsule/feed.xml')).text)) seen.push('tag feed');
  if (has((await anon.get(`/search?q=${word}`)).text)) seen.push('search');
  if (has((await anon.get('/feed.xml')).text)) seen.push('feed');
  if (has((await anon.get('/sitemap.xml')).text)) seen.push('sitemap');
  if (has((await anon.get('/writers/bob')).text)) seen.push('writer page');
  if (has(JSON.stringify((await apiFetch(`${http.baseUrl}/api/v1/articles?limit=100`)).json))) seen.push('api list');
  if ((await apiFetch(`${http.baseUrl}/api/v1/articles/${id}`)).status === 200) seen.push('api article');
  if (has(JSON.stringify((await apiFetch(`${http.baseUrl}/api/v1/writers/bob`)).json))) seen.push('api writer');
  return seen;
}

const EVERYWHERE = [
  'article page',
  'article page (reader)',
  'home',
  'home (top)',
  'tag page',
  'tag feed',
  'search',
  'feed',
  'sitemap',
  'writer page',
  'api list',
  'api article',
  'api writer',
];

test('a scheduled article is invisible to readers until its time, then appears by itself and is announced once', async () => {
  const res = await write({ title: 'Zephyrword arrives later', intent: 'publish', publishAt: inAnHour(), tzOffset: '0' });
  expect(res.status).toBe(302);
  const row = await site.knex('articles').where({ title: 'Zephyrword arrives later' }).first();
  expect(row.status).toBe('published');
  expect(row.published_at.getTime()).toBeGreaterThan(Date.now() + 3_000_000);
  expect(await site.knex('scheduled_publications').where({ article_id: row.id }).first()).toBeDefined();

  expect(await whereReadersSee(row.id, 'Zephyrword')).toEqual([]);
  // Its writer sees it, marked as scheduled.
  const own = await bob.get(`/articles/${row.id}`);
  expect(own.status).toBe(200);
  expect(own.text).toContain('Scheduled: readers can see it from');
  const mine = await bob.get('/me/articles');
  expect(mine.text).toMatch(
    /<span class="scheduled-mark">Scheduled for <time datetime="[^"]+">\d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC<\/time><\/span>/,
  );
  // Not due: the worker does nothing.
  await site.scheduledPublisher.runOnce();
  expect(await publishedEvents(row.id)).toEqual([]);

  // Its time comes (moved in the database instead of waiting).
  await site
    .knex('articles')
    .where({ id: row.id })
    .update({ published_at: new Date(Date.now() - 1000) });
  await eventually(
    async () => ((await request(site.app).get('/')).text.includes('Zephyrword') ? true : undefined),
    'the home page lists it',
  );
  expect(await whereReadersSee(row.id, 'Zephyrword')).toEqual(EVERYWHERE);

  // Two workers (two processes) and a second pass: one event.
  const other = createScheduledPublisher({ knex: site.knex, logger: silentLogger, intervalMs: 60_000 });
  await Promise.all([site.scheduledPublisher.runOnce(), other.runOnce(), site.scheduledPublisher.runOnce()]);
  await site.scheduledPublisher.runOnce();
  const events = await publishedEvents(row.id);
  expect(events).toHaveLength(1);
  expect(events[0].data).toMatchObject({ articleId: row.id, title: 'Zephyrword arrives later', priceSat: 21 });
  expect(await site.knex('scheduled_publications').where({ article_id: row.id }).first()).toBeUndefined();
  expect(
    await site
      .knex('webhook_deliveries')
      .where({ event_id: (await site.knex('webhook_events').where({ type: 'article.published' }).orderBy('id', 'desc').first()).id }),
  ).toHaveLength(1);
});

test('many due articles at once: each announced exactly once across concurrent workers', async () => {
  const author = await site.knex('users').where({ username: 'bob' }).first('id');
  const ids: number[] = [];
  for (let i = 0; i < 60; i++) {
    const [r] = await site
      .knex('articles')
      .insert({
        author_id: author.id,
        title: `Batch ${i}`,
        teaser: 't',
        body: 'b',
        price_sat: 5,
        status: 'published',
        published_at: new Date(Date.now() - 60_000),
      })
      .returning('id');
    ids.push(Number(r.id));
  }
  await site.knex('scheduled_publications').insert(ids.map((id) => ({ article_id: id })));
  const workers = [0, 1, 2].map(() => createScheduledPublisher({ knex: site.knex, logger: silentLogger, intervalMs: 60_000 }));
  const counts = await Promise.all(workers.map((w) => w.runOnce()));
  expect(counts.reduce((a, b) => a + b, 0)).toBe(60);
  for (const id of ids) expect(await publishedEvents(id)).toHaveLength(1);
});

test('publish now, back to draft, and rescheduling from the edit page', async () => {
  await write({ title: 'Quillfeather schedule', intent: 'publish', publishAt: inAnHour(), tzOffset: '0' });
  const row = await site.knex('articles').where({ title: 'Quillfeather schedule' }).first();
  const edit = await bob.get(`/articles/${row.id}/edit`);
  expect(edit.text).toContain('Scheduled for <strong>');
  expect(edit.text).toContain('value="unschedule"');
  const post = (fields: Record<string, string>) =>
    bob
      .post(`/articles/${row.id}/edit`)
      .type('form')
      .send({
        _csrf: csrfFrom(edit.text),
        title: 'Quillfeather schedule',
        teaser: 'Free part.',
        body: 'Paid part.',
        priceSat: '21',
        ...fields,
      });

  // Back to draft: not published, nothing owed.
  expect((await post({ intent: 'unschedule' })).status).toBe(302);
  expect((await site.knex('articles').where({ id: row.id }).first()).status).toBe('draft');
  expect(await site.knex('scheduled_publications').where({ article_id: row.id }).first()).toBeUndefined();
  // Scheduled again, then published now: announced at once, and never again by the worker.
  expect((await post({ intent: 'publish', publishAt: inAnHour(), tzOffset: '0' })).status).toBe(302);
  expect(await site.knex('scheduled_publications').where({ article_id: row.id }).first()).toBeDefined();
  expect((await post({ intent: 'now' })).status).toBe(302);
  const after = await site.knex('articles').where({ id: row.id }).first();
  expect(after.published_at.getTime()).toBeLessThanOrEqual(Date.now());
  expect(await publishedEvents(row.id)).toHaveLength(1);
  await site.scheduledPublisher.runOnce();
  expect(await publishedEvents(row.id)).toHaveLength(1);
  expect((await request(site.app).get(`/articles/${row.id}`)).status).toBe(200);
});

test.each([
  ['a time in the past', '2020-01-01T10:00', 'The publish time has to be in the future.'],
  ['a time that is not one', 'next tuesday', 'Give the publish time as a date and a time'],
  ['a time more than a year ahead', '2099-01-01T10:00', 'The publish time can be at most 366 days ahead.'],
])('%s is refused next to the field and nothing is saved', async (_label, publishAt, message) => {
  const before = await site.knex('articles').count({ n: '*' }).first();
  const res = await write({ title: 'Never saved', intent: 'publish', publishAt, tzOffset: '0' });
  expect(res.status).toBe(422);
  expect(res.text).toContain(`<p id="publishAt-error" class="field-error">${message}`);
  expect(res.text).toContain(`value="${publishAt}"`);
  expect(await site.knex('articles').count({ n: '*' }).first()).toEqual(before);
});

test("the writer's time zone decides the moment", async () => {
  // 12:00 typed in UTC+2 (the browser's offset -120) is 10:00 UTC.
  const wall = inputValue(new Date(Date.now() + 3 * 3_600_000));
  expect((await write({ title: 'Tzcheck article', intent: 'publish', publishAt: wall, tzOffset: '-120' })).status).toBe(302);
  const row = await site.knex('articles').where({ title: 'Tzcheck article' }).first();
  expect(row.published_at.getTime()).toBe(Date.parse(`${wall}:00Z`) - 120 * 60_000);
});
