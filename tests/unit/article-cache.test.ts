/** The article cache's rules, with its two reads played by hand (timing is what is tested here). */
import { createArticleCache } from '../../src/articles/article-cache';
import type { Article } from '../../src/articles/articles-repo';
import type { Payment } from '../../src/payments/payments-repo';

const article = (id: number, title = `Article ${id}`, body = 'Text.') =>
  ({ id, title, status: 'published', teaser: 'Teaser.', teaserHtml: '<p>Teaser.</p>', body, bodyHtml: `<p>${body}</p>` }) as Article;
const payment = (articleId: number, status: Payment['status']) => ({ id: 1, articleId, userId: 7, purpose: 'view', status }) as Payment;

function setup(options: { live?: boolean; maxArticleChars?: number } = {}) {
  let live = options.live ?? true;
  const calls: string[] = [];
  let rows = new Map<number, Article>([[1, article(1)]]);
  let viewPayment: Payment | null = payment(1, 'complete');
  let gate: Promise<void> = Promise.resolve();
  const cache = createArticleCache({
    maxArticleChars: options.maxArticleChars,
    live: () => live,
    articles: {
      async findById(id) {
        calls.push(`article ${id}`);
        const row = rows.get(id) ?? null; // read now, delivered when the gate opens
        await gate;
        return row;
      },
      async findForReader(id) {
        calls.push(`article+payment ${id}`);
        const a = rows.get(id);
        await gate;
        return a ? { article: a, viewPayment } : null;
      },
      async listPage({ sort, after }) {
        calls.push(`list ${sort}${after ? ' after' : ''}`);
        const page = { articles: [...rows.values()], next: null };
        await gate;
        return page;
      },
    },
    payments: {
      async find(_user, articleId) {
        calls.push(`payment ${articleId}`);
        return viewPayment;
      },
    },
  });
  return {
    cache,
    calls,
    setLive: (v: boolean) => (live = v),
    setRows: (r: Map<number, Article>) => (rows = r),
    setPayment: (p: Payment | null) => (viewPayment = p),
    hold: () => {
      let release!: () => void;
      gate = new Promise((r) => (release = r));
      return () => {
        gate = Promise.resolve();
        release();
      };
    },
  };
}

test('a complete view payment and its article are read once, then served from memory', async () => {
  const t = setup();
  await t.cache.findForReader(1, 7);
  const again = await t.cache.findForReader(1, 7);
  expect(again?.viewPayment?.status).toBe('complete');
  expect(t.calls).toEqual(['article+payment 1']);
});

test('a payment that is not complete is read again every time; only the payment, while the article is remembered', async () => {
  const t = setup();
  t.setPayment(payment(1, 'pending_payment'));
  await t.cache.findForReader(1, 7);
  await t.cache.findForReader(1, 7);
  t.setPayment(payment(1, 'complete'));
  expect((await t.cache.findForReader(1, 7))?.viewPayment?.status).toBe('complete');
  await t.cache.findForReader(1, 7);
  expect(t.calls).toEqual(['article+payment 1', 'payment 1', 'payment 1']);
});

test('a row read before a change was announced is used for that request but not remembered', async () => {
  const t = setup();
  const release = t.hold();
  const reading = t.cache.findById(1);
  // The change commits and its notice arrives while the old row is on its way.
  t.setRows(new Map([[1, article(1, 'New title')]]));
  t.cache.forget(1);
  release();
  expect((await reading)?.title).toBe('Article 1');
  expect((await t.cache.findById(1))?.title).toBe('New title');
  expect(t.calls).toEqual(['article 1', 'article 1']);
});

test('nothing is served from memory or remembered while changes cannot be heard', async () => {
  const t = setup();
  await t.cache.findById(1);
  t.setLive(false);
  await t.cache.findById(1);
  await t.cache.findById(1);
  t.setLive(true);
  await t.cache.findById(1);
  expect(t.calls).toEqual(['article 1', 'article 1', 'article 1']);
});

test('a missing article is not remembered, and forgetting everything empties it', async () => {
  const t = setup();
  expect(await t.cache.findById(2)).toBeNull();
  expect(await t.cache.findById(2)).toBeNull();
  await t.cache.findById(1);
  expect(t.cache.stats().articles).toBe(1);
  t.cache.forget();
  expect(t.cache.stats().articles).toBe(0);
  expect(t.calls).toEqual(['article 2', 'article 2', 'article 1']);
});

test('memory is bounded by the size of the texts kept, not the number of articles', async () => {
  const t = setup({ maxArticleChars: 100_000 });
  t.setRows(new Map(Array.from({ length: 20 }, (_, i) => [i + 1, article(i + 1, `Long ${i + 1}`, 'x'.repeat(10_000))])));
  for (let id = 1; id <= 20; id++) await t.cache.findById(id);
  // Each weighs about 20,000 characters (Markdown and HTML): four fit.
  expect(t.cache.stats().articles).toBe(4);
  expect((await t.cache.findById(20))?.title).toBe('Long 20');
  expect(t.calls.filter((c) => c === 'article 20')).toHaveLength(1);
});

test('the first page of each home order is read once; pages after a cursor always; any change forgets them all', async () => {
  const t = setup();
  await t.cache.listPage({ sort: 'new', after: null, limit: 20 });
  await t.cache.listPage({ sort: 'new', after: null, limit: 20 });
  await t.cache.listPage({ sort: 'top', after: null, limit: 20 });
  await t.cache.listPage({ sort: 'new', after: { value: 5, id: 5 }, limit: 20 });
  await t.cache.listPage({ sort: 'new', after: { value: 5, id: 5 }, limit: 20 });
  expect(t.cache.stats().listPages).toBe(2);
  t.cache.forget(12345);
  expect(t.cache.stats().listPages).toBe(0);
  await t.cache.listPage({ sort: 'new', after: null, limit: 20 });
  expect(t.calls).toEqual(['list new', 'list top', 'list new after', 'list new after', 'list new']);
});

test('a list read before a change was announced is used once, not kept', async () => {
  const t = setup();
  const release = t.hold();
  const reading = t.cache.listPage({ sort: 'new', after: null, limit: 20 });
  t.cache.forget(1);
  release();
  await reading;
  expect(t.cache.stats().listPages).toBe(0);
});

test('a paid view revoked while it was being read is used once and not kept; forgetting everything drops paid views', async () => {
  const t = setup();
  const release = t.hold();
  const reading = t.cache.findForReader(1, 7);
  t.cache.forgetPaidView(7, 1);
  release();
  expect((await reading)?.viewPayment?.status).toBe('complete');
  expect(t.cache.stats().paidViews).toBe(0);
  await t.cache.findForReader(1, 7);
  expect(t.cache.stats().paidViews).toBe(1);
  t.cache.forget();
  expect(t.cache.stats().paidViews).toBe(0);
});
