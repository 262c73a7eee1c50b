/**
 * The home list: published articles in one of three orders, paged by keyset (seek) pagination.
 * Each order is a backward scan of one partial index (migration 000010) that starts right after
 * the cursor's (value, id), so page 5,000 costs what page 1 costs, and nothing aggregates payments:
 * views and upvoted sats are counters on the article row.
 */
import type { Knex } from 'knex';
import { LIST_COLUMNS, toArticle, type Article, type ArticleRow } from './article-rows';
import { VISIBLE_SQL } from './schedule';

export type ArticleSort = 'new' | 'read' | 'top';
export const ARTICLE_SORTS: readonly ArticleSort[] = ['new', 'read', 'top'];

const SORT_COLUMN: Record<ArticleSort, string> = { new: 'published_at', read: 'views_count', top: 'upvote_sats' };

/** Where a page starts: after the article with this sort value and id. */
export interface ListCursor {
  value: number;
  id: number;
}

export interface ArticlePage {
  articles: Article[];
  /** Cursor of the next page, or null on the last one. */
  next: ListCursor | null;
}

/**
 * The largest cursor value each order's column can hold: views_count is an integer (int4);
 * upvote_sats a bigint; published_at milliseconds within PostgreSQL's timestamptz range (we stop at
 * the year 9999). A larger value would be an SQL error, so it is no cursor at all.
 */
const MAX_VALUE: Record<ArticleSort, number> = { new: 253_402_300_799_999, read: 2_147_483_647, top: Number.MAX_SAFE_INTEGER };

/**
 * "value.id", both non-negative integers (published_at as epoch milliseconds) within what the
 * sort's column holds; anything else is null (the caller shows the first page).
 */
export function parseCursor(raw: unknown, sort: ArticleSort = 'new'): ListCursor | null {
  if (typeof raw !== 'string') return null;
  const m = /^(\d{1,16})\.([1-9]\d{0,15})$/.exec(raw);
  if (!m) return null;
  const value = Number(m[1]);
  const id = Number(m[2]);
  if (!Number.isSafeInteger(value) || !Number.isSafeInteger(id) || value > MAX_VALUE[sort]) return null;
  return { value, id };
}

export function formatCursor(c: ListCursor): string {
  return `${c.value}.${c.id}`;
}

export function parseSort(raw: unknown): ArticleSort {
  return typeof raw === 'string' && (ARTICLE_SORTS as readonly string[]).includes(raw) ? (raw as ArticleSort) : 'new';
}

function sortValue(a: Article, sort: ArticleSort): number {
  if (sort === 'new') return a.publishedAt.getTime();
  return sort === 'read' ? a.views : a.upvoteSats;
}

export async function listPublishedPage(
  knex: Knex,
  options: { sort: ArticleSort; after: ListCursor | null; limit: number },
): Promise<ArticlePage> {
  const column = `a.${SORT_COLUMN[options.sort]}`;
  const q = knex('articles as a')
    .leftJoin('users as u', 'u.id', 'a.author_id')
    .select(LIST_COLUMNS)
    .whereRaw(VISIBLE_SQL)
    .orderBy([
      { column, order: 'desc' },
      { column: 'a.id', order: 'desc' },
    ])
    .limit(options.limit + 1);
  if (options.after) {
    const value = options.sort === 'new' ? new Date(options.after.value) : options.after.value;
    q.whereRaw(`(${column}, a.id) < (?, ?)`, [value, options.after.id]);
  }
  const rows: ArticleRow[] = await q;
  const articles = rows.slice(0, options.limit).map((r) => toArticle(r));
  const last = articles[articles.length - 1];
  const next = rows.length > options.limit && last ? { value: sortValue(last, options.sort), id: last.id } : null;
  return { articles, next };
}
