/**
 * What the article page and the home page read, kept in memory: the article (with its rendered
 * HTML), the fact that a reader's view payment is complete, and the first page of the home list in
 * each order. A paid reader opening an article, the most frequent request of the site, and a
 * visit to the home page then cost no query beyond the session's.
 *
 * Why it stays right:
 * - A complete payment stays complete unless a person moves it to error (the one way out of
 *   `complete` the state machine has) or deletes it; a trigger announces either on
 *   `paywall_view_revoked` (migration ...32), and the reader's entry is forgotten. So "this reader
 *   has paid for this article" can be remembered as long as there is room.
 * - Articles change (new ones, edits, moderation, counters moved by payments, a fix in psql);
 *   every insert, update and delete of a row is announced by a trigger on the channel
 *   `paywall_article_changed` (migrations ...30 and ...31), and `followArticleChanges` makes every
 *   process forget that article, and every list page, when it hears it. Writes made by this
 *   process also forget at once (`forget`).
 * - Nothing is served from memory while the LISTEN connection is down: news may be missed, so
 *   every read goes to the database, and everything remembered (paid views too) is dropped when
 *   the connection goes down and again when it is back.
 * - A read that raced a change is not remembered: each forget moves a generation counter, and a
 *   row read before the counter moved is used once but not kept.
 */
import type { Article, ArticlesRepo } from './articles-repo';
import type { ArticlePage } from './article-list-page';
import type { Payment, PaymentsRepo } from '../payments/payments-repo';
import type { PgListener } from '../db/pg-listener';
import { Lru } from '../lib/lru';

export const ARTICLE_CHANNEL = 'paywall_article_changed';
export const REVOKED_CHANNEL = 'paywall_view_revoked';

export type ReaderView = { article: Article; viewPayment: Payment | null };

export interface ArticlePageReads {
  findById(id: number): Promise<Article | null>;
  /**
   * The article if memory holds it now (and changes are being heard), without waiting for anything:
   * a hot read can then be answered in the same tick. undefined: ask findById. Only the cache has it.
   */
  peek?(id: number): Article | undefined;
  findForReader(id: number, readerId: number): Promise<ReaderView | null>;
  /** A page of the home list; first pages (no cursor) come from memory. */
  listPage(options: ListPageOptions): Promise<ArticlePage>;
}

type ListPageOptions = Parameters<ArticlesRepo['listPage']>[0];

export interface ArticleCache extends ArticlePageReads {
  /** Forgets one article (and the list pages), or everything, paid views included, when no id is given. */
  forget(id?: number): void;
  /** Forgets that this reader has paid for this article. */
  forgetPaidView(readerId: number, articleId: number): void;
  stats(): { articles: number; paidViews: number; listPages: number; live: boolean };
}

export interface ArticleCacheOptions {
  articles: Pick<ArticlesRepo, 'findById' | 'findForReader' | 'listPage'>;
  payments: Pick<PaymentsRepo, 'find'>;
  /** Whether changes are being heard right now; nothing is served from memory while false. */
  live: () => boolean;
  /** Characters of text (Markdown and HTML) kept at most; 8 million by default (8-16 MB). */
  maxArticleChars?: number;
  /** Complete view payments remembered at most (about 1 KB each). */
  maxPaidViews?: number;
}

/** What an article weighs in the cache: its texts, plus room for the rest of the row. */
const articleChars = (a: Article) => a.title.length + a.teaser.length + a.teaserHtml.length + a.body.length + a.bodyHtml.length + 512;

export function createArticleCache(options: ArticleCacheOptions): ArticleCache {
  const { articles, payments, live } = options;
  const byId = new Lru<number, Article>(options.maxArticleChars ?? 8_000_000, articleChars);
  // `${readerId}:${articleId}` -> the reader's complete view payment.
  const paid = new Lru<string, Payment>(options.maxPaidViews ?? 20_000);
  // `${sort}:${limit}` -> the first page of the home list in that order. Any change to any article
  // (a new one, an edit, moderation, counters moved by a payment) can move it, so all go at once.
  const firstPages = new Map<string, ArticlePage>();
  let generation = 0;

  /**
   * A read from the database, its result handed to `keep` only if no change was announced while
   * it was on its way (and changes are still being heard): a row read before a change is used for
   * this request, not remembered.
   */
  async function readThrough<T>(read: () => Promise<T>, keep: (value: T) => void): Promise<T> {
    const readAt = generation;
    const value = await read();
    if (readAt === generation && live()) keep(value);
    return value;
  }
  // Moves whenever a paid view is forgotten: a payment read before a revocation is not kept.
  let paidGeneration = 0;
  const rememberPaid = (readerId: number, payment: Payment | null, readAt: number) => {
    if (readAt === paidGeneration && payment?.status === 'complete' && payment.purpose === 'view')
      paid.set(`${readerId}:${payment.articleId}`, payment);
  };

  return {
    peek(id) {
      return live() ? byId.get(id) : undefined;
    },
    async findById(id) {
      const cached = live() ? byId.get(id) : undefined;
      if (cached) return cached;
      return readThrough(
        () => articles.findById(id),
        (article) => article && byId.set(id, article),
      );
    },
    async findForReader(id, readerId) {
      const article = live() ? byId.get(id) : undefined;
      if (article) {
        const payment = paid.get(`${readerId}:${id}`);
        if (payment) return { article, viewPayment: payment };
        // Not paid yet (or not remembered): only the payment is read.
        const paidAt = paidGeneration;
        const viewPayment = await payments.find(readerId, id, 'view');
        rememberPaid(readerId, viewPayment, paidAt);
        return { article, viewPayment };
      }
      const paidAt = paidGeneration;
      const found = await readThrough(
        () => articles.findForReader(id, readerId),
        (f) => f && byId.set(id, f.article),
      );
      if (found) rememberPaid(readerId, found.viewPayment, paidAt);
      return found;
    },
    async listPage(listOptions) {
      if (listOptions.after || !live()) return articles.listPage(listOptions);
      const key = `${listOptions.sort}:${listOptions.limit}`;
      const cached = firstPages.get(key);
      if (cached) return cached;
      return readThrough(
        () => articles.listPage(listOptions),
        (page) => firstPages.set(key, page),
      );
    },
    forget(id) {
      generation += 1;
      firstPages.clear();
      if (id !== undefined) return byId.delete(id);
      byId.clear();
      paid.clear();
      paidGeneration += 1;
    },
    forgetPaidView(readerId, articleId) {
      paidGeneration += 1;
      paid.delete(`${readerId}:${articleId}`);
    },
    stats: () => ({ articles: byId.size, paidViews: paid.size, listPages: firstPages.size, live: live() }),
  };
}

/** Makes `cache` forget what the database announces as changed, and everything when news may have been missed. */
export function followArticleChanges(listener: PgListener, cache: ArticleCache): void {
  listener.on(ARTICLE_CHANNEL, (payload) => {
    const id = Number(payload);
    cache.forget(payload !== '' && Number.isSafeInteger(id) ? id : undefined);
  });
  listener.on(REVOKED_CHANNEL, (payload) => {
    const m = /^(\d+):(\d+)$/.exec(payload);
    if (m) cache.forgetPaidView(Number(m[1]), Number(m[2]));
    else cache.forget();
  });
  listener.onState(() => cache.forget());
}
