import type { Knex } from 'knex';

/**
 * Scheduled publishing and search at scale (issue 14).
 *
 * A scheduled article is a published one whose `published_at` is still in the future: every read
 * that shows articles to readers asks `published_at <= now()`, so it appears by itself at that
 * moment, in every process, across restarts, with no timer deciding it. What must HAPPEN at that
 * moment (the article.published webhook, the page caches forgetting their lists) is owed in
 * `scheduled_publications`, one row per article, which the publish worker claims FOR UPDATE SKIP
 * LOCKED once due and deletes in the same transaction (src/articles/scheduled-publisher.ts).
 *
 * article_search gets the publish time too: search filters on it (a scheduled article is not
 * found before its time) and ranks only the newest matches of a very common term, read in
 * published order from the new index; see src/articles/discovery-repo.ts.
 */
const SEARCH_FUNCTION = `
  CREATE OR REPLACE FUNCTION paywall_article_search() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF NEW.status <> 'published' THEN
      DELETE FROM article_search WHERE article_id = NEW.id;
    ELSIF TG_OP = 'INSERT' OR NEW.title IS DISTINCT FROM OLD.title OR NEW.teaser IS DISTINCT FROM OLD.teaser
          OR NEW.tags IS DISTINCT FROM OLD.tags OR NEW.status IS DISTINCT FROM OLD.status THEN
      INSERT INTO article_search (article_id, tsv, published_at) VALUES (NEW.id,
        setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A') ||
        setweight(to_tsvector('english', replace(array_to_string(NEW.tags, ' '), '-', ' ')), 'A') ||
        setweight(to_tsvector('english', coalesce(NEW.teaser, '')), 'B'), NEW.published_at)
      ON CONFLICT (article_id) DO UPDATE SET tsv = EXCLUDED.tsv, published_at = EXCLUDED.published_at;
    ELSIF NEW.published_at IS DISTINCT FROM OLD.published_at THEN
      UPDATE article_search SET published_at = NEW.published_at WHERE article_id = NEW.id;
    END IF;
    RETURN NULL;
  END $$`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE article_search ADD COLUMN published_at timestamptz(3)');
  await knex.raw('UPDATE article_search s SET published_at = a.published_at FROM articles a WHERE a.id = s.article_id');
  await knex.raw('ALTER TABLE article_search ALTER COLUMN published_at SET NOT NULL');
  await knex.raw('CREATE INDEX article_search_recent_idx ON article_search (published_at DESC, article_id DESC)');
  await knex.raw(SEARCH_FUNCTION);
  await knex.raw('DROP TRIGGER articles_search ON articles');
  await knex.raw(`
    CREATE TRIGGER articles_search AFTER INSERT OR UPDATE OF title, teaser, tags, status, published_at ON articles
    FOR EACH ROW EXECUTE FUNCTION paywall_article_search()`);
  await knex.raw(`
    CREATE TABLE scheduled_publications (
      article_id bigint PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS scheduled_publications');
  await knex.raw('DROP TRIGGER articles_search ON articles');
  await knex.raw(`
    CREATE TRIGGER articles_search AFTER INSERT OR UPDATE OF title, teaser, tags, status ON articles
    FOR EACH ROW EXECUTE FUNCTION paywall_article_search()`);
  await knex.raw(
    SEARCH_FUNCTION.replace(', published_at) VALUES', ') VALUES')
      .replace(', NEW.published_at)', ')')
      .replace(', published_at = EXCLUDED.published_at', '')
      .replace(/ELSIF NEW\.published_at[\s\S]*?WHERE article_id = NEW\.id;\n/, ''),
  );
  await knex.raw('ALTER TABLE article_search DROP COLUMN published_at');
}
