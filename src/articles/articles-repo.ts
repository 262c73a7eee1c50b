import type { Knex } from 'knex';
import { renderMarkdown } from './markdown';
import { recordRevision } from './revisions';
import { LIST_COLUMNS, toArticle, type Article, type ArticleRow } from './article-rows';
import { PAYMENT_COLUMNS, paymentFromPrefixedRow, type Payment } from '../payments/payments-repo';
import { enqueueWebhookEvent } from '../webhooks/outbox';
import { VISIBLE_SQL } from './schedule';
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
  /** Set when the writer priced it in fiat (src/prices/fiat-form.ts). */
  priceFiat?: { minor: number; currency: string } | null;
  /** Normalised tags (src/discovery/tags.ts). */
  tags: string[];
  /** An uploaded image (src/images/) and its alt text, or none. */
  coverImageId?: number | null;
  coverAlt?: string | null;
  /** With publish: a future moment to publish at (scheduled publishing, schedule.ts); absent or null: now. */
  publishAt?: Date | null;
}

/** Safe HTML of a draft already rendered elsewhere (the Markdown workers); rendered here when absent. */
export interface RenderedHtml {
  teaserHtml: string;
  bodyHtml: string;
}

export interface SaveOptions {
  html?: RenderedHtml;
  /**
   * The write form's one-time key: a second save with the same key by the same author makes no
   * second article but returns the first (a double submit).
   */
  submissionKey?: string | null;
  /** update(): a scheduled article goes back to being a draft (publish must be false). */
  unschedule?: boolean;
}

export interface WriterTotals {
  articles: number;
  views: number;
  machineReads: number;
  upvotes: number;
  upvoteSats: number;
  revenueSat: number;
}

export interface ArticlesRepo {
  /** Articles for the admin page (drafts are private to their writer), newest first, `limit` at a time before the id `beforeId`. */
  listAllWithRevenue(options?: { limit?: number; beforeId?: number }): Promise<Article[]>;
  findById(id: number): Promise<Article | null>;
  /**
   * The article and `readerId`'s view payment for it (null if none yet) in one query: the page a
   * returning reader opens most often needs both, so it costs one round trip, not two.
   */
  findForReader(id: number, readerId: number): Promise<{ article: Article; viewPayment: Payment | null } | null>;
  /** A new article by `authorId`, as a draft or published at once. Markdown is rendered here, once. */
  create(authorId: number, draft: ArticleDraft, publish: boolean, options?: SaveOptions): Promise<Article>;
  /**
   * The writer's edit: only the author's own article changes (false otherwise). `publish` moves a
   * draft or a scheduled article to published, now or at `draft.publishAt` (scheduled); a published
   * or hidden article keeps its status. `options.unschedule` moves a scheduled article back to draft.
   */
  update(id: number, authorId: number, draft: ArticleDraft, publish: boolean, options?: SaveOptions): Promise<boolean>;
  /** A writer's articles: only published ones for their public page, all of them for themselves. */
  listByAuthor(authorId: number, options: { publishedOnly: boolean; limit?: number }): Promise<Article[]>;
  writerTotals(authorId: number): Promise<WriterTotals>;
  /** Id and last change of published articles, newest first, for the sitemap. */
  sitemapEntries(limit: number): Promise<Array<{ id: number; updatedAt: Date }>>;
  /** One page of the home list (see article-list-page.ts). */
  listPage(options: { sort: ArticleSort; after: ListCursor | null; limit: number }): Promise<ArticlePage>;
}

/**
 * article.published for webhook endpoints, in the transaction that published the article (or, for
 * a scheduled one, that of the publish worker at its time: scheduled-publisher.ts).
 */
export function announcePublished(
  trx: Knex.Transaction,
  articleId: number,
  authorId: number,
  draft: Pick<ArticleDraft, 'title' | 'priceSat'>,
  publishedAt: Date,
): Promise<number> {
  return enqueueWebhookEvent(trx, 'article.published', {
    articleId,
    authorId,
    title: draft.title,
    priceSat: draft.priceSat,
    publishedAt: new Date(publishedAt).toISOString(),
  });
}

/** A scheduled article owes its announcement until the publish worker (or "publish now") pays it. */
const SCHEDULED = 'scheduled_publications';

/** `articleChanged` hears every article this repo changes, after the change has committed. */
export function createArticlesRepo(knex: Knex, articleChanged: (id: number) => void = () => undefined): ArticlesRepo {
  // One query, one row per article: views, upvotes and revenue are counters kept on the article row.
  const base = () =>
    knex('articles as a')
      .leftJoin('users as u', 'u.id', 'a.author_id')
      .select([...LIST_COLUMNS, 'a.body', 'a.body_html']);
  const listBase = () => knex('articles as a').leftJoin('users as u', 'u.id', 'a.author_id').select(LIST_COLUMNS);
  const rendered = (d: ArticleDraft, html?: RenderedHtml) => ({
    title: d.title,
    teaser: d.teaser,
    body: d.body,
    teaser_html: html?.teaserHtml ?? renderMarkdown(d.teaser),
    body_html: html?.bodyHtml ?? renderMarkdown(d.body),
    price_sat: d.priceSat,
    price_fiat_minor: d.priceFiat?.minor ?? null,
    price_currency: d.priceFiat?.currency ?? null,
    tags: d.tags,
    reading_minutes: readingMinutes(d.body),
    cover_image_id: d.coverImageId ?? null,
    cover_alt: d.coverImageId ? (d.coverAlt ?? null) : null,
  });

  const repo: ArticlesRepo = {
    async listAllWithRevenue({ limit = 100, beforeId } = {}) {
      const q = listBase().whereNot('a.status', 'draft').orderBy('a.id', 'desc').limit(limit);
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
    async create(authorId, draft, publish, options = {}) {
      const key = options.submissionKey ?? null;
      const id = await knex.transaction(async (trx) => {
        // ON CONFLICT waits for a concurrent insert of the same key, then does nothing: the second
        // request of a double submit finds the first one's article below.
        const at = publish ? (draft.publishAt ?? null) : null;
        const rows = await trx('articles')
          .insert({
            ...rendered(draft, options.html),
            author_id: authorId,
            status: publish ? 'published' : 'draft',
            submission_key: key,
            ...(at ? { published_at: at } : {}),
          })
          .onConflict(knex.raw('(author_id, submission_key) WHERE submission_key IS NOT NULL'))
          .ignore()
          .returning(['id', 'published_at']);
        if (rows.length === 0) return null;
        const newId = Number(rows[0].id);
        await recordRevision(trx, newId, draft);
        if (at) await trx(SCHEDULED).insert({ article_id: newId });
        else if (publish) await announcePublished(trx, newId, authorId, draft, rows[0].published_at);
        return newId;
      });
      const articleId = id ?? Number((await knex('articles').where({ author_id: authorId, submission_key: key }).first('id')).id);
      if (id !== null) articleChanged(articleId);
      const created = await repo.findById(articleId);
      if (!created) throw new Error('article vanished right after insert');
      return created;
    },
    async update(id, authorId, draft, publish, options = {}) {
      const updated = await knex.transaction(async (trx) => {
        // Locked first: the status and whether it is still scheduled decide what publishing does.
        const before = await trx('articles')
          .where({ id, author_id: authorId })
          .forUpdate()
          .first('status', knex.raw("status = 'published' AND published_at > now() AS scheduled"));
        if (!before) return false;
        await trx('articles')
          .where({ id })
          .update({ ...rendered(draft, options.html), updated_at: trx.fn.now() });
        await recordRevision(trx, id, draft);
        const at = draft.publishAt ?? null;
        if (publish && (before.status === 'draft' || before.scheduled)) {
          const [row] = await trx('articles')
            .where({ id })
            .update({ status: 'published', published_at: at ?? trx.fn.now() })
            .returning('published_at');
          if (at) await trx(SCHEDULED).insert({ article_id: id }).onConflict('article_id').ignore();
          // Published now: announced here, unless the publish worker already did (it deleted the row).
          else if (before.status === 'draft' || (await trx(SCHEDULED).where({ article_id: id }).del()) === 1)
            await announcePublished(trx, id, authorId, draft, row.published_at);
        } else if (options.unschedule && before.scheduled) {
          await trx('articles').where({ id }).update({ status: 'draft' });
          await trx(SCHEDULED).where({ article_id: id }).del();
        }
        return true;
      });
      if (updated) articleChanged(id);
      return updated;
    },
    async listByAuthor(authorId, { publishedOnly, limit = 200 }) {
      const q = listBase()
        .where('a.author_id', authorId)
        .orderBy([
          { column: 'a.published_at', order: 'desc' },
          { column: 'a.id', order: 'desc' },
        ])
        .limit(limit);
      if (publishedOnly) q.whereRaw(VISIBLE_SQL);
      const rows: ArticleRow[] = await q;
      return rows.map((r) => toArticle(r));
    },
    async writerTotals(authorId) {
      const row = await knex('articles')
        .where({ author_id: authorId })
        .first(
          knex.raw('count(*)::int as articles'),
          knex.raw('coalesce(sum(views_count), 0)::bigint as views'),
          knex.raw('coalesce(sum(machine_reads_count), 0)::bigint as machine_reads'),
          knex.raw('coalesce(sum(upvotes_count), 0)::bigint as upvotes'),
          knex.raw('coalesce(sum(upvote_sats), 0)::bigint as upvote_sats'),
          knex.raw('coalesce(sum(revenue_sat), 0)::bigint as revenue_sat'),
        );
      return {
        articles: Number(row.articles),
        views: Number(row.views),
        machineReads: Number(row.machine_reads),
        upvotes: Number(row.upvotes),
        upvoteSats: Number(row.upvote_sats),
        revenueSat: Number(row.revenue_sat),
      };
    },
    async sitemapEntries(limit) {
      const rows = await knex('articles as a').whereRaw(VISIBLE_SQL).orderBy('a.id', 'desc').limit(limit).select('a.id', 'a.updated_at');
      return rows.map((r) => ({ id: r.id, updatedAt: r.updated_at }));
    },
    listPage(options) {
      return listPublishedPage(knex, options);
    },
  };
  return repo;
}
