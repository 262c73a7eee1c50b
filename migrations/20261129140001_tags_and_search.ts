import type { Knex } from 'knex';

/**
 * Tags and full-text search (issue 14). Tags live on the article row as a text[] (several per
 * article, no join on the hot pages), with a GIN index for a tag's page. `search_tsv` holds the
 * title and tags (weight A) and the teaser (weight B), never the paid body; a trigger keeps it
 * right whoever writes the row (the app, a bulk load, psql), and a GIN index makes a search a
 * bitmap scan of the matching rows only.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('articles', (t) => {
    t.specificType('tags', 'text[]').notNullable().defaultTo('{}');
    t.specificType('search_tsv', 'tsvector');
  });
  await knex.raw(`
    CREATE FUNCTION paywall_article_search_tsv() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.search_tsv :=
        setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A') ||
        setweight(to_tsvector('english', replace(array_to_string(NEW.tags, ' '), '-', ' ')), 'A') ||
        setweight(to_tsvector('english', coalesce(NEW.teaser, '')), 'B');
      RETURN NEW;
    END $$`);
  await knex.raw(`
    CREATE TRIGGER articles_search_tsv BEFORE INSERT OR UPDATE OF title, teaser, tags ON articles
    FOR EACH ROW EXECUTE FUNCTION paywall_article_search_tsv()`);
  await knex.raw('UPDATE articles SET title = title');
  await knex.raw('CREATE INDEX articles_search_idx ON articles USING gin (search_tsv)');
  await knex.raw('CREATE INDEX articles_tags_idx ON articles USING gin (tags)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER IF EXISTS articles_search_tsv ON articles');
  await knex.raw('DROP FUNCTION IF EXISTS paywall_article_search_tsv()');
  await knex.schema.alterTable('articles', (t) => {
    t.dropColumn('search_tsv');
    t.dropColumn('tags');
  });
}
