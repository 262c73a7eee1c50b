import type { Knex } from 'knex';

/**
 * Every change to an article row (an edit, moderation, a payment moving its counters, a fix made
 * by hand in psql) is announced on the channel `paywall_article_changed` with the article's id,
 * when its transaction commits. Each site process keeps the article pages it serves in memory
 * (src/articles/article-cache.ts) and forgets an article when it hears this.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.raw(`
    CREATE FUNCTION paywall_article_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('paywall_article_changed', OLD.id::text);
      RETURN NULL;
    END $$`);
  await knex.schema.raw(`
    CREATE TRIGGER articles_changed AFTER UPDATE OR DELETE ON articles
    FOR EACH ROW EXECUTE FUNCTION paywall_article_changed()`);
  // A bulk change (TRUNCATE) cannot name its rows: it is announced with an empty payload, "all".
  await knex.schema.raw(`
    CREATE FUNCTION paywall_articles_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('paywall_article_changed', '');
      RETURN NULL;
    END $$`);
  await knex.schema.raw(`
    CREATE TRIGGER articles_truncated AFTER TRUNCATE ON articles
    FOR EACH STATEMENT EXECUTE FUNCTION paywall_articles_truncated()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.raw('DROP TRIGGER IF EXISTS articles_truncated ON articles');
  await knex.schema.raw('DROP TRIGGER IF EXISTS articles_changed ON articles');
  await knex.schema.raw('DROP FUNCTION IF EXISTS paywall_articles_truncated()');
  await knex.schema.raw('DROP FUNCTION IF EXISTS paywall_article_changed()');
}
