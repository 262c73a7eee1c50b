/**
 * The admin dashboard's numbers, read from counters kept in the payment's completing transaction:
 * totals and the per-article table from the article rows, the 30-day chart from revenue_days. The
 * reader count probes the view-payment index once per user instead of scanning payments.
 */
import type { Knex } from 'knex';

export interface DashboardTotals {
  satsEarned: number;
  paidViews: number;
  /** Articles bought over L402 by machines, apart from paid views. */
  machineReads: number;
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
  machineReads: number;
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
        knex.raw('coalesce(sum(machine_reads_count), 0)::bigint as machine_reads'),
        knex.raw('coalesce(sum(upvotes_count), 0)::bigint as upvotes'),
      );
      // Upvoting needs a paid view, so "has a complete view payment" is "has paid for anything".
      const readers = await knex('users as u')
        .whereExists(
          knex('payments as p').select(knex.raw('1')).whereRaw('p.user_id = u.id').where({ 'p.purpose': 'view', 'p.status': 'complete' }),
        )
        .first(knex.raw('count(*)::int as n'));
      const writers = await knex('articles')
        .where({ status: 'published' })
        .whereNotNull('author_id')
        .first(knex.raw('count(DISTINCT author_id)::int as n'));
      return {
        satsEarned: Number(a.sats),
        paidViews: Number(a.views),
        machineReads: Number(a.machine_reads),
        upvotes: Number(a.upvotes),
        readers: readers.n,
        writers: writers.n,
      };
    },
    async topArticles(limit = 100) {
      const rows = await knex('articles as a')
        .leftJoin('users as u', 'u.id', 'a.author_id')
        // Drafts are private to their writer, admins included.
        .whereNot('a.status', 'draft')
        // Only articles that earned something: a list of zeros ranks nothing.
        .where('a.revenue_sat', '>', 0)
        .orderBy([
          { column: 'a.revenue_sat', order: 'desc' },
          { column: 'a.id', order: 'desc' },
        ])
        .limit(limit)
        .select(
          'a.id',
          'a.title',
          'u.username',
          'a.status',
          'a.views_count',
          'a.machine_reads_count',
          'a.upvotes_count',
          'a.upvote_sats',
          'a.revenue_sat',
        );
      return rows.map((r) => ({
        id: r.id,
        title: r.title,
        authorUsername: r.username,
        status: r.status,
        views: r.views_count,
        machineReads: r.machine_reads_count,
        upvotes: r.upvotes_count,
        upvoteSats: r.upvote_sats,
        revenueSat: r.revenue_sat,
      }));
    },
    async satsPerDay(days = 30) {
      const { rows } = await knex.raw(
        `SELECT to_char(d.day, 'YYYY-MM-DD') AS day, coalesce(r.sats, 0)::bigint AS sats
         FROM generate_series((now() AT TIME ZONE 'UTC')::date - (?::int - 1), (now() AT TIME ZONE 'UTC')::date, interval '1 day') AS d(day)
         LEFT JOIN revenue_days r ON r.day = d.day::date
         ORDER BY d.day`,
        [days],
      );
      return (rows as Array<{ day: string; sats: number }>).map((r) => ({ day: r.day, sats: Number(r.sats) }));
    },
  };
}
