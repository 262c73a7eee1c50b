import type { Knex } from 'knex';
import { renderMarkdown } from './markdown';
import { LIST_COLUMNS, toArticle, type Article, type ArticleRow } from './article-rows';
import { PAYMENT_COLUMNS, paymentFromPrefixedRow, type Payment } from '../payments/payments-repo';
import { listPublishedPage, type ArticlePage, type ArticleSort, type ListCursor } from './article-list-page';

export type { ArticleStatus, Article, ArticleRow } from './article-rows';
export { toArticle, LIST_COLUMNS } from './article-rows';

/** Minutes to read a Markdown body at 230 words a minute, at least 1. */
export function readingMinutes(body: string): number {
  const words = body.trim() ? body.trim().split(/\s+/).length : 0;
  return Math.max(1, Math.ceil(words / 230));
}

export interface ArticleDraft {
  title: string;
  teaser: string;
  body: string;
  priceSat: number;
  /** Normalised tags (src/discovery/tags.ts). */
  tags: string[];
  /** An uploaded image (src/images/) and its alt text, or none. */
  coverImageId?: number | null;
  coverAlt?: string | null;
}

export interface WriterTotals {
  articles: number;
  views: number;
  upvotes: number;
  upvoteSats: number;
  revenueSat: number;
}

export interface ArticlesRepo {
  /** Articles for the admin page, newest first, `limit` at a time before the id `beforeId`. */
  listAllWithRevenue(options?: { limit?: number; beforeId?: number }): Promise<Article[]>;
  findById(id: number): Promise<Article | null>;
  /**
   * The article and `readerId`'s view payment for it (null if none yet) in one query: the page a
   * returning reader opens most often needs both, so it costs one round trip, not two.
   */
  findForReader(id: number, readerId: number): Promise<{ article: Article; viewPayment: Payment | null } | null>;
  /** A new article by `authorId`, as a draft or published at once. Markdown is rendered here, once. */
  create(authorId: number, draft: ArticleDraft, publish: boolean): Promise<Article>;
  /**
   * The writer's edit: only the author's own article changes (false otherwise). `publish` moves a
   * draft to published (stamping published_at); a published or hidden article keeps its status.
   */
  update(id: number, authorId: number, draft: ArticleDraft, publish: boolean): Promise<boolean>;
  /** A writer's articles: only published ones for their public page, all of them for themselves. */
  listByAuthor(authorId: number, options: { publishedOnly: boolean; limit?: number }): Promise<Article[]>;
  writerTotals(authorId: number): Promise<WriterTotals>;
  /** Id and last change of published articles, newest first, for the sitemap. */
  sitemapEntries(limit: number): Promise<Array<{ id: number; updatedAt: Date }>>;
  /** One page of the home list (see article-list-page.ts). */
  listPage(options: { sort: ArticleSort; after: ListCursor | null; limit: number }): Promise<ArticlePage>;
}

/** `articleChanged` hears every article this repo changes, after the change has committed. */
export function createArticlesRepo(knex: Knex, articleChanged: (id: number) => void = () => undefined): ArticlesRepo {
  // One query, one row per article: views, upvotes and revenue are counters kept on the article row.
  const base = () =>
    knex('articles as a')
      .leftJoin('users as u', 'u.id', 'a.author_id')
      .select([...LIST_COLUMNS, 'a.body', 'a.body_html']);
  const listBase = () => knex('articles as a').leftJoin('users as u', 'u.id', 'a.author_id').select(LIST_COLUMNS);
  const rendered = (d: ArticleDraft) => ({
    title: d.title,
    teaser: d.teaser,
    body: d.body,
    teaser_html: renderMarkdown(d.teaser),
    body_html: renderMarkdown(d.body),
    price_sat: d.priceSat,
    tags: d.tags,
    reading_minutes: readingMinutes(d.body),
    cover_image_id: d.coverImageId ?? null,
    cover_alt: d.coverImageId ? d.coverAlt ?? null : null,
  });

  const repo: ArticlesRepo = {
    async listAllWithRevenue({ limit = 100, beforeId } = {}) {
      const q = listBase().orderBy('a.id', 'desc').limit(limit);
      if (beforeId !== undefined) q.where('a.id', '<', beforeId);
      const rows: ArticleRow[] = await q;
      return rows.map((r) => toArticle(r));
    },
    async findById(id) {
      const row: ArticleRow | undefined = await base().where('a.id', id).first();
      return row ? toArticle(row) : null;
    },
    async findForReader(id, readerId) {
      const row: (ArticleRow & Record<string, unknown>) | undefined = await base()
        .leftJoin('payments as p', (join) => {
          join.on('p.article_id', '=', 'a.id').andOnVal('p.user_id', '=', readerId).andOnVal('p.purpose', '=', 'view');
        })
        .select(PAYMENT_COLUMNS.map((c) => `p.${c} as vp__${c}`))
        .where('a.id', id)
        .first();
      return row ? { article: toArticle(row), viewPayment: paymentFromPrefixedRow(row, 'vp__') } : null;
    },
    async create(authorId, draft, publish) {
      const [row] = await knex('articles')
        .insert({ ...rendered(draft), author_id: authorId, status: publish ? 'published' : 'draft' })
        .returning('id');
      articleChanged(Number(row.id));
      const created = await repo.findById(Number(row.id));
      if (!created) throw new Error('article vanished right after insert');
      return created;
    },
    async update(id, authorId, draft, publish) {
      const updated = await knex.transaction(async (trx) => {
        const n = await trx('articles')
          .where({ id, author_id: authorId })
          .update({ ...rendered(draft), updated_at: trx.fn.now() });
        if (n !== 1) return false;
        if (publish) {
          await trx('articles').where({ id, status: 'draft' }).update({ status: 'published', published_at: trx.fn.now() });
        }
        return true;
      });
      if (updated) articleChanged(id);
      return updated;
    },
    async listByAuthor(authorId, { publishedOnly, limit = 200 }) {
      const q = listBase().where('a.author_id', authorId).orderBy([{ column: 'a.published_at', order: 'desc' }, { column: 'a.id', order: 'desc' }]).limit(limit);
      if (publishedOnly) q.where('a.status', 'published');
      const rows: ArticleRow[] = await q;
      return rows.map((r) => toArticle(r));
    },
    async writerTotals(authorId) {
      const row = await knex('articles')
        .where({ author_id: authorId })
        .first(
          knex.raw('count(*)::int as articles'),
          knex.raw('coalesce(sum(views_count), 0)::bigint as views'),
          knex.raw('coalesce(sum(upvotes_count), 0)::bigint as upvotes'),
          knex.raw('coalesce(sum(upvote_sats), 0)::bigint as upvote_sats'),
          knex.raw('coalesce(sum(revenue_sat), 0)::bigint as revenue_sat'),
        );
      return { articles: Number(row.articles), views: Number(row.views), upvotes: Number(row.upvotes), upvoteSats: Number(row.upvote_sats), revenueSat: Number(row.revenue_sat) };
    },
    async sitemapEntries(limit) {
      const rows = await knex('articles').where({ status: 'published' }).orderBy('id', 'desc').limit(limit).select('id', 'updated_at');
      return rows.map((r) => ({ id: r.id, updatedAt: r.updated_at }));
    },
    listPage(options) {
      return listPublishedPage(knex, options);
    },
  };
  return repo;
}
