import type { Knex } from 'knex';

/**
 * A new article is announced too (paywall_article_changed, its id), not only changes and deletes:
 * the home list kept in memory (src/articles/article-cache.ts) must show it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.raw(`
    CREATE OR REPLACE FUNCTION paywall_article_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('paywall_article_changed', (CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END)::text);
      RETURN NULL;
    END $$`);
  await knex.schema.raw('DROP TRIGGER articles_changed ON articles');
  await knex.schema.raw(`
    CREATE TRIGGER articles_changed AFTER INSERT OR UPDATE OR DELETE ON articles
    FOR EACH ROW EXECUTE FUNCTION paywall_article_changed()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.raw('DROP TRIGGER articles_changed ON articles');
  await knex.schema.raw(`
    CREATE OR REPLACE FUNCTION paywall_article_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('paywall_article_changed', OLD.id::text);
      RETURN NULL;
    END $$`);
  await knex.schema.raw(`
    CREATE TRIGGER articles_changed AFTER UPDATE OR DELETE ON articles
    FOR EACH ROW EXECUTE FUNCTION paywall_article_changed()`);
}
