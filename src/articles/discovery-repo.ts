/**
 * Finding articles: a tag's articles (newest first, keyset-paged on the GIN index of tags) and
 * full-text search over title, tags and teaser (the article_search table, migration 14-01), ranked,
 * page by page. Only articles that are out (published, their publish time come), and never the paid
 * body: it is neither searched nor read.
 */
import type { Knex } from 'knex';
import { LIST_COLUMNS, toArticle, type Article, type ArticleRow } from './article-rows';
import { VISIBLE_SQL } from './schedule';

export interface SearchPage {
  articles: Article[];
  /** Whether another page follows. */
  more: boolean;
  /** False when the query had no searchable word (only stop words or punctuation). */
  searchable: boolean;
}

export interface DiscoveryRepo {
  /** Published articles with `tag`, newest first, `limit` at a time before the id `beforeId`. */
  byTag(tag: string, options: { limit: number; beforeId?: number }): Promise<{ articles: Article[]; more: boolean }>;
  /** Published articles matching `query` (web search syntax: words, "phrases", or, -word), best first. */
  search(query: string, options: { limit: number; page: number }): Promise<SearchPage>;
}

/** The text search configuration the search_tsv trigger uses. */
const CONFIG = 'english';

/** Matches ranked at most, the newest first (see search()); at least the pages a reader can reach. */
export const CANDIDATES = 1_000;

export function createDiscoveryRepo(knex: Knex): DiscoveryRepo {
  const list = () => knex('articles as a').leftJoin('users as u', 'u.id', 'a.author_id').select(LIST_COLUMNS).whereRaw(VISIBLE_SQL);
  return {
    async byTag(tag, { limit, beforeId }) {
      const q = list()
        .whereRaw('a.tags @> ARRAY[?]::text[]', [tag])
        .orderBy('a.id', 'desc')
        .limit(limit + 1);
      if (beforeId !== undefined) q.where('a.id', '<', beforeId);
      const rows: ArticleRow[] = await q;
      return { articles: rows.slice(0, limit).map((r) => toArticle(r)), more: rows.length > limit };
    },
    async search(query, { limit, page }) {
      const { rows: probe } = await knex.raw<{ rows: Array<{ q: string }> }>('SELECT websearch_to_tsquery(?::regconfig, ?)::text AS q', [
        CONFIG,
        query,
      ]);
      if (!probe[0]?.q) return { articles: [], more: false, searchable: false };
      // Ranked on the narrow article_search rows (articles out already: published, and their
      // publish time come), then only the page's articles are read. ts_rank_cd over the weighted
      // vector: a word in the title or a tag outranks one in the teaser; normalisation 1 divides by
      // the length, so a long teaser does not win by bulk.
      //
      // Ranking reads and scores every row it ranks: a common word matches a quarter of 100,000
      // articles and ranking them all took 0.4-1.3 s. So only the CANDIDATES newest matches are
      // ranked: for a common word PostgreSQL reads them in publish order from
      // article_search_recent_idx and stops after CANDIDATES (a few thousand rows), for a rarer one
      // it takes the GIN index's matches and sorts them (every match is ranked then). The query is
      // passed as a tsquery constant, so the planner sees how common its words are and picks.
      // Pages stop at the candidates: MAX_PAGE x RESULTS_PER_PAGE is within them.
      const { rows: hits } = await knex.raw<{ rows: Array<{ article_id: string }> }>(
        `SELECT c.article_id FROM (
           SELECT s.article_id, s.tsv FROM article_search s
           WHERE s.tsv @@ ?::tsquery AND s.published_at <= now()
           ORDER BY s.published_at DESC, s.article_id DESC LIMIT ?) c
         ORDER BY ts_rank_cd(c.tsv, ?::tsquery, 1) DESC, c.article_id DESC LIMIT ? OFFSET ?`,
        [probe[0].q, CANDIDATES, probe[0].q, limit + 1, (page - 1) * limit],
      );
      const ids = hits.slice(0, limit).map((h) => Number(h.article_id));
      const rows: ArticleRow[] = ids.length ? await list().whereIn('a.id', ids) : [];
      const byId = new Map(rows.map((r) => [Number(r.id), toArticle(r)]));
      const articles = ids.map((id) => byId.get(id)).filter((a): a is Article => a !== undefined);
      return { articles, more: hits.length > limit, searchable: true };
    },
  };
}
