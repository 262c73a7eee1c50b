import type { Knex } from 'knex';

/**
 * Articles in memory carry their writer's byline (username, display name, avatar), so a change to
 * any of those on a user row is announced on `paywall_article_changed` with an empty payload ("all")
 * when its transaction commits: a profile saved, an account deleted (its name replaced), a fix made
 * by hand in psql. Before, only the profile form announced it, by hand, and a deletion did not.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.raw(`
    CREATE FUNCTION paywall_writer_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('paywall_article_changed', '');
      RETURN NULL;
    END $$`);
  await knex.schema.raw(`
    CREATE TRIGGER users_byline_changed AFTER UPDATE OF username, display_name, avatar_image_id ON users
    FOR EACH ROW
    WHEN (OLD.username IS DISTINCT FROM NEW.username
       OR OLD.display_name IS DISTINCT FROM NEW.display_name
       OR OLD.avatar_image_id IS DISTINCT FROM NEW.avatar_image_id)
    EXECUTE FUNCTION paywall_writer_changed()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.raw('DROP TRIGGER IF EXISTS users_byline_changed ON users');
  await knex.schema.raw('DROP FUNCTION IF EXISTS paywall_writer_changed()');
}
