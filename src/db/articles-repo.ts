import type { Knex } from 'knex';

export type ArticleStatus = 'published' | 'deleted by admin';

export interface Article {
  id: number;
  authorId: number | null;
  authorUsername: string | null;
  title: string;
  teaser: string;
  body: string;
  priceSat: number;
  status: ArticleStatus;
  createdAt: Date;
  /** Number of complete view payments. */
  views: number;
}

export interface ArticleWithRevenue extends Article {
  revenueSat: number;
}

interface ArticleRow {
  id: number;
  author_id: number | null;
  author_username: string | null;
  title: string;
  teaser: string;
  body: string;
  price_sat: number;
  status: ArticleStatus;
  created_at: Date;
  views: number;
  revenue_sat: number;
}

const toArticle = (r: ArticleRow): Article => ({
  id: r.id,
  authorId: r.author_id,
  authorUsername: r.author_username,
  title: r.title,
  teaser: r.teaser,
  body: r.body,
  priceSat: r.price_sat,
  status: r.status,
  createdAt: r.created_at,
  views: r.views,
});

export interface ArticlesRepo {
  /** Visible articles, newest first, with their paid view counts. */
  listPublished(): Promise<Article[]>;
  /** Every article, for admins, with views and revenue. */
  listAllWithRevenue(): Promise<ArticleWithRevenue[]>;
  findById(id: number): Promise<Article | null>;
  /** Compare-and-set on status; false when the article is missing or already in `to`. */
  setStatus(id: number, from: ArticleStatus, to: ArticleStatus): Promise<boolean>;
}

export function createArticlesRepo(knex: Knex): ArticlesRepo {
  // One query, one row per article: views and revenue are counters kept on the article row.
  const base = () =>
    knex('articles as a')
      .leftJoin('users as u', 'u.id', 'a.author_id')
      .select(
        'a.id',
        'a.author_id',
        'u.username as author_username',
        'a.title',
        'a.teaser',
        'a.body',
        'a.price_sat',
        'a.status',
        'a.created_at',
        'a.views_count as views',
        'a.revenue_sat',
      );

  return {
    async listPublished() {
      const rows: ArticleRow[] = await base().where('a.status', 'published').orderBy([
        { column: 'a.created_at', order: 'desc' },
        { column: 'a.id', order: 'desc' },
      ]);
      return rows.map(toArticle);
    },
    async listAllWithRevenue() {
      const rows: ArticleRow[] = await base().orderBy([
        { column: 'a.created_at', order: 'desc' },
        { column: 'a.id', order: 'desc' },
      ]);
      return rows.map((r) => ({ ...toArticle(r), revenueSat: r.revenue_sat }));
    },
    async findById(id) {
      const row: ArticleRow | undefined = await base().where('a.id', id).first();
      return row ? toArticle(row) : null;
    },
    async setStatus(id, from, to) {
      const n = await knex('articles').where({ id, status: from }).update({ status: to, updated_at: knex.fn.now() });
      return n === 1;
    },
  };
}
