/**
 * The API's public reads: published articles (keyset pages in each home order), one article's
 * metadata, writers. Cacheable by anyone for a minute; Express adds a weak ETag to every body and
 * answers 304 to a matching If-None-Match.
 */
import { isOut } from '../articles/schedule';
import type { RequestHandler, Response } from 'express';
import type { ArticlePageReads } from '../articles/article-cache';
import type { ArticlesRepo } from '../articles/articles-repo';
import { ARTICLE_SORTS, formatCursor, parseCursor, type ArticleSort } from '../articles/article-list-page';
import { parseId } from '../web/params';
import { articleJson, writerJson } from './api-json';
import type { ApiReadsRepo } from './api-reads-repo';
import { badParameter, notFound } from './problem';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

export interface PublicRoutesDeps {
  articlePages: ArticlePageReads;
  articles: ArticlesRepo;
  reads: ApiReadsRepo;
  publicUrl: string;
}

export function publicRead(res: Response, body: unknown): void {
  res.set('Cache-Control', 'public, max-age=60');
  res.json(body);
}

/** One query parameter as a single string (a repeated one is a mistake, not the first of many). */
function single(query: Record<string, unknown>, name: string): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw badParameter(name, `${name} must be given once, as a plain value.`);
  return v;
}

export function parseLimit(query: Record<string, unknown>): number {
  const raw = single(query, 'limit');
  if (raw === undefined) return DEFAULT_LIMIT;
  if (!/^\d{1,3}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_LIMIT)
    throw badParameter('limit', `limit must be a whole number from 1 to ${MAX_LIMIT}.`);
  return Number(raw);
}

export function parseArticleId(raw: string): number {
  const id = parseId(raw);
  if (id === null) throw notFound('There is no article with this id.');
  return id;
}

export interface PublicReads {
  articles: RequestHandler;
  article: RequestHandler;
  writers: RequestHandler;
  writer: RequestHandler;
}

export function createPublicReads(deps: PublicRoutesDeps): PublicReads {
  const base = deps.publicUrl;
  return {
    articles: async (req, res) => {
      const query = req.query as Record<string, unknown>;
      const rawSort = single(query, 'sort') ?? 'new';
      if (!(ARTICLE_SORTS as readonly string[]).includes(rawSort))
        throw badParameter('sort', `sort must be one of ${ARTICLE_SORTS.join(', ')}.`);
      const sort = rawSort as ArticleSort;
      const rawAfter = single(query, 'after');
      const after = rawAfter === undefined ? null : parseCursor(rawAfter);
      if (rawAfter !== undefined && after === null)
        throw badParameter('after', 'after must be a cursor from a previous page (its `next`).');
      const limit = parseLimit(query);
      const page = await deps.articlePages.listPage({ sort, after, limit });
      const next = page.next ? formatCursor(page.next) : null;
      publicRead(res, {
        sort,
        limit,
        articles: page.articles.map((a) => articleJson(base, a)),
        next,
        nextUrl: next ? `${base}/api/v1/articles?sort=${sort}&limit=${limit}&after=${next}` : null,
      });
    },

    article: async (req, res) => {
      const article = await deps.articlePages.findById(parseArticleId(String(req.params.id)));
      if (!article || !isOut(article)) throw notFound('There is no published article with this id.');
      publicRead(res, articleJson(base, article));
    },

    writers: async (req, res) => {
      const query = req.query as Record<string, unknown>;
      const after = single(query, 'after') ?? null;
      if (after !== null && (after.length === 0 || after.length > 64))
        throw badParameter('after', 'after must be a username from a previous page (its `next`).');
      const limit = parseLimit(query);
      const rows = await deps.reads.listWriters({ after, limit: limit + 1 });
      const writers = rows.slice(0, limit).map((w) => writerJson(base, w));
      const next = rows.length > limit ? writers[writers.length - 1].username : null;
      publicRead(res, { writers, next, nextUrl: next ? `${base}/api/v1/writers?limit=${limit}&after=${encodeURIComponent(next)}` : null });
    },

    writer: async (req, res) => {
      const name = String(req.params.username);
      const writer = name.length <= 64 ? await deps.reads.findWriter(name) : null;
      if (!writer) throw notFound('There is no writer with this username.');
      const articles = await deps.articles.listByAuthor(writer.id, { publishedOnly: true, limit: 200 });
      publicRead(res, {
        ...writerJson(base, writer),
        articles: articles.map((a) => articleJson(base, a)),
      });
    },
  };
}
