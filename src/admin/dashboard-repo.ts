/**
 * The admin dashboard's numbers. Totals and the per-article table read the counters kept on the
 * article rows; only the 30-day chart reads payments, through the partial index on settled_at.
 */
import type { Knex } from 'knex';

export interface DashboardTotals {
  satsEarned: number;
  paidViews: number;
  upvotes: number;
  /** Users with at least one complete payment. */
  readers: number;
  /** Users with at least one published article. */
  writers: number;
}

export interface DashboardArticle {
  id: number;
  title: string;
  authorUsername: string | null;
  status: string;
  views: number;
  upvotes: number;
  upvoteSats: number;
  revenueSat: number;
}

export interface DayTotal {
  /** YYYY-MM-DD, UTC. */
  day: string;
  sats: number;
}

export interface DashboardRepo {
  totals(): Promise<DashboardTotals>;
  /** The articles that earned most, up to `limit`. */
  topArticles(limit?: number): Promise<DashboardArticle[]>;
  /** Sats of payments settled on each of the last `days` UTC days, ending today; zero days included. */
  satsPerDay(days?: number): Promise<DayTotal[]>;
}

export function createDashboardRepo(knex: Knex): DashboardRepo {
  return {
    async totals() {
      const a = await knex('articles').first(
        knex.raw('coalesce(sum(revenue_sat), 0)::bigint as sats'),
        knex.raw('coalesce(sum(views_count), 0)::bigint as views'),
        knex.raw('coalesce(sum(upvotes_count), 0)::bigint as upvotes'),
      );
      const readers = await knex('payments').where({ status: 'complete' }).first(knex.raw('count(DISTINCT user_id)::int as n'));
      const writers = await knex('articles').where({ status: 'published' }).whereNotNull('author_id').first(knex.raw('count(DISTINCT author_id)::int as n'));
      return { satsEarned: Number(a.sats), paidViews: Number(a.views), upvotes: Number(a.upvotes), readers: readers.n, writers: writers.n };
    },
    async topArticles(limit = 100) {
      const rows = await knex('articles as a')
        .leftJoin('users as u', 'u.id', 'a.author_id')
        .orderBy([{ column: 'a.revenue_sat', order: 'desc' }, { column: 'a.id', order: 'desc' }])
        .limit(limit)
        .select('a.id', 'a.title', 'u.username', 'a.status', 'a.views_count', 'a.upvotes_count', 'a.upvote_sats', 'a.revenue_sat');
      return rows.map((r) => ({
        id: r.id,
        title: r.title,
        authorUsername: r.username,
        status: r.status,
        views: r.views_count,
        upvotes: r.upvotes_count,
        upvoteSats: r.upvote_sats,
        revenueSat: r.revenue_sat,
      }));
    },
    async satsPerDay(days = 30) {
      const { rows } = await knex.raw(
        `SELECT to_char(d.day, 'YYYY-MM-DD') AS day, coalesce(sum(p.amount_paid_sat), 0)::bigint AS sats
         FROM generate_series((now() AT TIME ZONE 'UTC')::date - (?::int - 1), (now() AT TIME ZONE 'UTC')::date, interval '1 day') AS d(day)
         LEFT JOIN payments p
           ON p.status = 'complete'
          AND p.settled_at >= d.day AT TIME ZONE 'UTC'
          AND p.settled_at < (d.day + interval '1 day') AT TIME ZONE 'UTC'
         GROUP BY d.day ORDER BY d.day`,
        [days],
      );
      return (rows as Array<{ day: string; sats: number }>).map((r) => ({ day: r.day, sats: Number(r.sats) }));
    },
  };
}
