/**
 * The large case: the bench grows the site's own database to `articles` articles and `payments`
 * complete view payments (each with its settled invoice and the article counters kept right),
 * with set-based SQL (generate_series) so a million rows take seconds, not an hour.
 */
import type { Pool } from 'pg';
import { renderMarkdown } from '../../src/articles/markdown';

const TEASER = 'A teaser for a benchmark article, long enough to look like one on the home page.';
const BODY = Array.from(
  { length: 12 },
  (_, i) => `Paragraph ${i + 1} of a benchmark article about payment channels, routing fees and liquidity.`,
).join('\n\n');

export async function seedScale(
  pool: Pool,
  target: { articles: number; payments: number; paymentsPerReader: number },
): Promise<{ articles: number; payments: number }> {
  const client = await pool.connect();
  try {
    await client.query('SET synchronous_commit = off');
    const existing = Number((await client.query('SELECT count(*) AS n FROM articles')).rows[0].n);
    const newArticles = Math.max(0, target.articles - existing);
    const { rows: range } = await client.query<{ lo: string; hi: string }>(
      `WITH ins AS (
         INSERT INTO articles (author_id, title, teaser, body, teaser_html, body_html, price_sat, status, created_at, published_at, updated_at)
         SELECT NULL, 'Benchmark article ' || n, $3, $2, $5, $4,
                100 + (n % 10) * 100, 'published', t, t, now()
         FROM generate_series(1, $1::int) n, LATERAL (SELECT date_trunc('milliseconds', now() - interval '30 days' - n * interval '1 minute') AS t) c
         RETURNING id)
       SELECT min(id) AS lo, max(id) AS hi FROM ins`,
      // Stored HTML as the app writes it at save time, so pages never render Markdown for these rows.
      [newArticles, BODY, TEASER, renderMarkdown(BODY), renderMarkdown(TEASER)],
    );
    const lo = Number(range[0].lo);
    const span = Number(range[0].hi) - lo + 1;
    const readers = Math.ceil(target.payments / target.paymentsPerReader);
    await client.query(
      `INSERT INTO users (username, password_hash, role)
       SELECT 'scale-' || n, '$2b$04$' || md5(n::text) || md5(n::text), 'reader' FROM generate_series(1, $1::int) n`,
      [readers],
    );
    // Reader k pays articles k*per .. k*per+per-1 (mod span): distinct per reader, spread over all.
    await client.query(
      `INSERT INTO payments (user_id, article_id, purpose, status, amount_sat, payment_hash, payment_request,
                             invoice_expires_at, amount_paid_sat, settled_at, created_at, updated_at)
       SELECT u.id, $1::bigint + ((u.k * $3::int + j) % $2::int), 'view', 'complete', 500,
              md5(u.id || ':' || j) || md5(j || ':' || u.id), 'lnbcrt-scale-' || u.id || '-' || j,
              now() - interval '1 day', 500, now() - interval '2 days', now() - interval '2 days', now() - interval '2 days'
       FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM users WHERE username LIKE 'scale-%') u
       CROSS JOIN generate_series(0, $3::int - 1) j
       WHERE u.k * $3::int + j < $4::int`,
      [lo, span, target.paymentsPerReader, target.payments],
    );
    await client.query(
      `INSERT INTO payment_invoices (payment_id, payment_hash, payment_request, amount_sat, expires_at, settled_at, amount_paid_sat, created_at)
       SELECT id, payment_hash, payment_request, amount_sat, invoice_expires_at, settled_at, amount_paid_sat, created_at
       FROM payments WHERE payment_request LIKE 'lnbcrt-scale-%'`,
    );
    await client.query(
      `UPDATE articles a SET views_count = a.views_count + s.n, revenue_sat = a.revenue_sat + s.r
       FROM (SELECT article_id, count(*) AS n, sum(amount_paid_sat) AS r FROM payments
             WHERE payment_request LIKE 'lnbcrt-scale-%' GROUP BY article_id) s
       WHERE s.article_id = a.id`,
    );
    // Settle the database before measuring: visibility map and statistics, dirty pages on disk.
    await client.query('VACUUM ANALYZE');
    await client.query('CHECKPOINT');
    const counts = await client.query<{ a: string; p: string }>(
      'SELECT (SELECT count(*) FROM articles) AS a, (SELECT count(*) FROM payments) AS p',
    );
    return { articles: Number(counts.rows[0].a), payments: Number(counts.rows[0].p) };
  } finally {
    client.release();
  }
}
