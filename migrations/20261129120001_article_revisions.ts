import type { Knex } from 'knex';

/**
 * Article revisions and one-submission-one-article.
 *
 * - article_revisions: every saved version of an article's title, teaser, body and price (the
 *   current one included), so what readers paid for and what was hidden stay on record, and a
 *   restore can show the moderator what changed since the hide (articles.hidden_revision_id is
 *   the revision that was current when it was hidden).
 * - articles.submission_key: the random key of the write form that created the article; unique
 *   per author, so the same form posted twice (a double click, a slow network) makes one article.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('article_revisions', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('article_id').notNullable().references('id').inTable('articles').onDelete('CASCADE');
    t.text('title').notNullable();
    t.text('teaser').notNullable();
    t.text('body').notNullable();
    t.bigInteger('price_sat').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('CREATE INDEX article_revisions_article_idx ON article_revisions (article_id, id)');
  await knex.raw(`INSERT INTO article_revisions (article_id, title, teaser, body, price_sat, created_at)
                  SELECT id, title, teaser, body, price_sat, updated_at FROM articles ORDER BY id`);
  await knex.schema.alterTable('articles', (t) => {
    t.bigInteger('hidden_revision_id').nullable();
    t.uuid('submission_key').nullable();
  });
  await knex.raw(`UPDATE articles a SET hidden_revision_id = r.id FROM article_revisions r
                  WHERE r.article_id = a.id AND a.status = 'deleted by admin'`);
  await knex.raw(
    'CREATE UNIQUE INDEX articles_submission_key_idx ON articles (author_id, submission_key) WHERE submission_key IS NOT NULL',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS articles_submission_key_idx');
  await knex.schema.alterTable('articles', (t) => {
    t.dropColumn('hidden_revision_id');
    t.dropColumn('submission_key');
  });
  await knex.schema.dropTable('article_revisions');
}
