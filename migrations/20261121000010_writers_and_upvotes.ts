import type { Knex } from 'knex';

/**
 * Writers and paid upvotes.
 *
 * Articles: a `draft` status; teaser and body rendered once at save time into `teaser_html` and
 * `body_html` (pages then never run Markdown per request; NULL, for rows written by hand or by a
 * bulk load, falls back to rendering on read); `hidden_reason`; `published_at` at millisecond
 * precision so a JavaScript Date carries a keyset cursor exactly; `upvotes_count` and
 * `upvote_sats` counters kept by markComplete like views_count and revenue_sat.
 *
 * Payments: purpose `upvote` joins `view`. A reader may upvote many times, so the one-per-reader
 * rule becomes a partial unique index on (user_id, article_id) WHERE purpose = 'view'.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE articles DROP CONSTRAINT articles_status_check');
  await knex.raw("ALTER TABLE articles ADD CONSTRAINT articles_status_check CHECK (status IN ('draft', 'published', 'deleted by admin'))");
  await knex.schema.alterTable('articles', (t) => {
    t.text('teaser_html');
    t.text('body_html');
    t.text('hidden_reason');
    t.integer('upvotes_count').notNullable().defaultTo(0);
    t.bigInteger('upvote_sats').notNullable().defaultTo(0);
  });
  await knex.raw('ALTER TABLE articles ADD COLUMN published_at timestamptz(3) NOT NULL DEFAULT now()');
  await knex.raw("UPDATE articles SET published_at = date_trunc('milliseconds', created_at)");
  // Rows from before this migration keep NULL HTML and are rendered on read (src/articles/article-rows.ts):
  // a migration imports no application code, so it cannot run the site's Markdown renderer.

  // The home list's three orders, each a backward scan of one partial index with a (value, id) seek.
  await knex.raw("CREATE INDEX articles_published_new_idx ON articles (published_at, id) WHERE status = 'published'");
  await knex.raw("CREATE INDEX articles_published_read_idx ON articles (views_count, id) WHERE status = 'published'");
  await knex.raw("CREATE INDEX articles_published_top_idx ON articles (upvote_sats, id) WHERE status = 'published'");
  // A writer's page and a writer's own list.
  await knex.raw('CREATE INDEX articles_author_idx ON articles (author_id, published_at, id)');

  await knex.raw('ALTER TABLE payments DROP CONSTRAINT payments_purpose_check');
  await knex.raw("ALTER TABLE payments ADD CONSTRAINT payments_purpose_check CHECK (purpose IN ('view', 'upvote'))");
  await knex.raw('ALTER TABLE payments DROP CONSTRAINT payments_one_per_reader_article_purpose');
  await knex.raw("CREATE UNIQUE INDEX payments_one_view_per_reader_article ON payments (user_id, article_id) WHERE purpose = 'view'");
  // The dashboard's sats-per-day chart reads settled payments by time.
  await knex.raw("CREATE INDEX payments_settled_idx ON payments (settled_at) WHERE status = 'complete'");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS payments_settled_idx');
  await knex.raw("DELETE FROM payment_invoices WHERE payment_id IN (SELECT id FROM payments WHERE purpose = 'upvote')");
  await knex.raw("DELETE FROM payments WHERE purpose = 'upvote'");
  await knex.raw('DROP INDEX IF EXISTS payments_one_view_per_reader_article');
  await knex.raw('ALTER TABLE payments ADD CONSTRAINT payments_one_per_reader_article_purpose UNIQUE (user_id, article_id, purpose)');
  await knex.raw('ALTER TABLE payments DROP CONSTRAINT payments_purpose_check');
  await knex.raw("ALTER TABLE payments ADD CONSTRAINT payments_purpose_check CHECK (purpose IN ('view'))");
  for (const idx of ['articles_published_new_idx', 'articles_published_read_idx', 'articles_published_top_idx', 'articles_author_idx']) {
    await knex.raw(`DROP INDEX IF EXISTS ${idx}`);
  }
  await knex.raw("UPDATE articles SET status = 'deleted by admin' WHERE status = 'draft'");
  await knex.raw('ALTER TABLE articles DROP CONSTRAINT articles_status_check');
  await knex.raw("ALTER TABLE articles ADD CONSTRAINT articles_status_check CHECK (status IN ('published', 'deleted by admin'))");
  await knex.schema.alterTable('articles', (t) => {
    for (const c of ['teaser_html', 'body_html', 'hidden_reason', 'upvotes_count', 'upvote_sats', 'published_at']) t.dropColumn(c);
  });
}
