import type { Knex } from 'knex';

/**
 * L402 credentials judged good are remembered by each site process until they expire (src/api/l402/):
 * the database announces on `paywall_l402_revoked`, with the machine payment's id, whatever can make
 * such a credential stop reading, so every process forgets what it remembered:
 * - a complete machine payment that stops being complete (a person moves it to error) or is deleted
 *   (the revoked-view trigger of migration ...32 fires for these rows; it announced only rows with a
 *   reader, since migration 20261129170001);
 * - the token row of a complete payment changed or deleted (a shorter validity, a deleted article's
 *   tokens, a fix in psql); unpaid challenges pruned announce nothing, none of them can be remembered.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.raw(`
    CREATE OR REPLACE FUNCTION paywall_view_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF OLD.user_id IS NOT NULL THEN
        PERFORM pg_notify('paywall_view_revoked', OLD.user_id::text || ':' || OLD.article_id::text);
      ELSE
        PERFORM pg_notify('paywall_l402_revoked', OLD.id::text);
      END IF;
      RETURN NULL;
    END $$`);
  await knex.schema.raw(`
    CREATE FUNCTION paywall_l402_token_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      -- Only a paid token can be remembered: pruning unpaid challenges announces nothing.
      IF EXISTS (SELECT 1 FROM payments WHERE id = OLD.payment_id AND status = 'complete') THEN
        PERFORM pg_notify('paywall_l402_revoked', OLD.payment_id::text);
      END IF;
      RETURN NULL;
    END $$`);
  await knex.schema.raw(`
    CREATE TRIGGER l402_tokens_changed AFTER UPDATE OR DELETE ON l402_tokens
    FOR EACH ROW EXECUTE FUNCTION paywall_l402_token_changed()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.raw('DROP TRIGGER IF EXISTS l402_tokens_changed ON l402_tokens');
  await knex.schema.raw('DROP FUNCTION IF EXISTS paywall_l402_token_changed()');
  await knex.schema.raw(`
    CREATE OR REPLACE FUNCTION paywall_view_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF OLD.user_id IS NOT NULL THEN
        PERFORM pg_notify('paywall_view_revoked', OLD.user_id::text || ':' || OLD.article_id::text);
      END IF;
      RETURN NULL;
    END $$`);
}
