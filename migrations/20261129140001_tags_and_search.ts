import type { Knex } from 'knex';

/**
 * Tags and full-text search (issue 14). Tags live on the article row as a text[] (several per
 * article, no join on the hot pages), with a GIN index for a tag's page.
 *
 * Search has a narrow table of its own, `article_search`: one row per PUBLISHED article with a
 * tsvector of its title and tags (weight A) and teaser (weight B), never the paid body. Ranking
 * reads the vector of every match; on the wide article rows (body and HTML inline) that was one
 * heap page per match, 19,000 page reads and about a second for a common word at 100k articles.
 * The narrow rows fit a few hundred pages. A trigger keeps the table right whoever writes an
 * article (the app, moderation, a bulk load, psql): published rows are upserted, others removed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('articles', (t) => {
    t.specificType('tags', 'text[]').notNullable().defaultTo('{}');
  });
  await knex.raw('CREATE INDEX articles_tags_idx ON articles USING gin (tags)');
  await knex.raw(`
    CREATE TABLE article_search (
      article_id bigint PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
      tsv tsvector NOT NULL
    )`);
  await knex.raw(`
    CREATE FUNCTION paywall_article_search() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.status <> 'published' THEN
        DELETE FROM article_search WHERE article_id = NEW.id;
      ELSIF TG_OP = 'INSERT' OR NEW.title IS DISTINCT FROM OLD.title OR NEW.teaser IS DISTINCT FROM OLD.teaser
            OR NEW.tags IS DISTINCT FROM OLD.tags OR NEW.status IS DISTINCT FROM OLD.status THEN
        INSERT INTO article_search (article_id, tsv) VALUES (NEW.id,
          setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A') ||
          setweight(to_tsvector('english', replace(array_to_string(NEW.tags, ' '), '-', ' ')), 'A') ||
          setweight(to_tsvector('english', coalesce(NEW.teaser, '')), 'B'))
        ON CONFLICT (article_id) DO UPDATE SET tsv = EXCLUDED.tsv;
      END IF;
      RETURN NULL;
    END $$`);
  // Counters move on every payment: the trigger fires only when what it reads changes.
  await knex.raw(`
    CREATE TRIGGER articles_search AFTER INSERT OR UPDATE OF title, teaser, tags, status ON articles
    FOR EACH ROW EXECUTE FUNCTION paywall_article_search()`);
  await knex.raw(`
    INSERT INTO article_search (article_id, tsv)
    SELECT id, setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', teaser), 'B')
    FROM articles WHERE status = 'published'`);
  await knex.raw('CREATE INDEX article_search_tsv_idx ON article_search USING gin (tsv)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS articles_search ON articles');
  await knex.raw('DROP FUNCTION IF EXISTS paywall_article_search()');
  await knex.raw('DROP TABLE IF EXISTS article_search');
  await knex.schema.alterTable('articles', (t) => t.dropColumn('tags'));
}
