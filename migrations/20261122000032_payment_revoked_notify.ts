import type { Knex } from 'knex';

/**
 * A complete view payment that stops being complete (a person moves it to error; the state machine
 * allows complete -> error) or disappears is announced on `paywall_view_revoked` with
 * "user_id:article_id", so the processes that remember "this reader has paid for this article"
 * (src/articles/article-cache.ts) forget it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.raw(`
    CREATE FUNCTION paywall_view_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('paywall_view_revoked', OLD.user_id::text || ':' || OLD.article_id::text);
      RETURN NULL;
    END $$`);
  await knex.schema.raw(`
    CREATE TRIGGER payments_view_revoked AFTER UPDATE ON payments
    FOR EACH ROW WHEN (OLD.status = 'complete' AND NEW.status IS DISTINCT FROM 'complete')
    EXECUTE FUNCTION paywall_view_revoked()`);
  await knex.schema.raw(`
    CREATE TRIGGER payments_view_deleted AFTER DELETE ON payments
    FOR EACH ROW WHEN (OLD.status = 'complete')
    EXECUTE FUNCTION paywall_view_revoked()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.raw('DROP TRIGGER IF EXISTS payments_view_deleted ON payments');
  await knex.schema.raw('DROP TRIGGER IF EXISTS payments_view_revoked ON payments');
  await knex.schema.raw('DROP FUNCTION IF EXISTS paywall_view_revoked()');
}
