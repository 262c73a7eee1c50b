import type { Knex } from 'knex';

/**
 * Machines pay too (issue 17).
 *
 * Payments: purpose `machine` is an article bought over L402 by a client without an account, so a
 * payment's user becomes optional: NULL exactly for machine payments (a CHECK says so). Articles
 * count their machine reads apart from paid views (`machine_reads_count`, kept by markComplete in
 * the completing transaction like the other counters).
 *
 * `l402_tokens`: one row per challenge the site issued: the token id of the macaroon identifier,
 * the root key it was signed with (random per token), the machine payment whose invoice it commits
 * to, the article its caveat names and the end of its validity.
 *
 * `api_tokens`: personal API tokens of logged-in readers, stored as SHA-256 of the secret only.
 *
 * The trigger that announces revoked paid views (migration ...32) learns that a payment may have no
 * reader: only rows with one are announced.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE payments ALTER COLUMN user_id DROP NOT NULL');
  await knex.raw('ALTER TABLE payments DROP CONSTRAINT payments_purpose_check');
  await knex.raw("ALTER TABLE payments ADD CONSTRAINT payments_purpose_check CHECK (purpose IN ('view', 'upvote', 'machine'))");
  await knex.raw("ALTER TABLE payments ADD CONSTRAINT payments_user_unless_machine CHECK ((purpose = 'machine') = (user_id IS NULL))");

  await knex.schema.alterTable('articles', (t) => {
    t.integer('machine_reads_count').notNullable().defaultTo(0);
  });

  await knex.schema.createTable('l402_tokens', (t) => {
    t.text('token_id').primary();
    t.bigInteger('payment_id').notNullable().unique().references('id').inTable('payments').onDelete('CASCADE');
    t.bigInteger('article_id').notNullable().references('id').inTable('articles').onDelete('CASCADE');
    t.binary('root_key').notNullable();
    t.timestamp('valid_until', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('api_tokens', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.text('token_hash').notNullable().unique();
    t.text('label').notNullable();
    t.text('prefix').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_used_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
    t.index(['user_id', 'created_at']);
  });

  await knex.schema.raw(`
    CREATE OR REPLACE FUNCTION paywall_view_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF OLD.user_id IS NOT NULL THEN
        PERFORM pg_notify('paywall_view_revoked', OLD.user_id::text || ':' || OLD.article_id::text);
      END IF;
      RETURN NULL;
    END $$`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.raw(`
    CREATE OR REPLACE FUNCTION paywall_view_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('paywall_view_revoked', OLD.user_id::text || ':' || OLD.article_id::text);
      RETURN NULL;
    END $$`);
  await knex.schema.dropTableIfExists('api_tokens');
  await knex.schema.dropTableIfExists('l402_tokens');
  await knex.raw("DELETE FROM payment_invoices WHERE payment_id IN (SELECT id FROM payments WHERE purpose = 'machine')");
  await knex.raw("DELETE FROM payments WHERE purpose = 'machine'");
  await knex.schema.alterTable('articles', (t) => t.dropColumn('machine_reads_count'));
  await knex.raw('ALTER TABLE payments DROP CONSTRAINT payments_user_unless_machine');
  await knex.raw('ALTER TABLE payments DROP CONSTRAINT payments_purpose_check');
  await knex.raw("ALTER TABLE payments ADD CONSTRAINT payments_purpose_check CHECK (purpose IN ('view', 'upvote'))");
  await knex.raw('ALTER TABLE payments ALTER COLUMN user_id SET NOT NULL');
}
