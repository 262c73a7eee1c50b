import type { Knex } from 'knex';

/**
 * Logging in with Lightning, and accounts that can be left.
 *
 * - users: a password becomes optional (an account may log in with a node or wallet key only);
 *   `deleted_at` marks an account deleted by its owner (the row stays: payments point at it).
 * - user_login_keys: node identity keys (signed-message login) and LNURL-auth linking keys. The
 *   unique pubkey makes "a key belongs to one account" a fact of the database.
 * - login_challenges: LNURL-auth k1s (single use: verified once by the wallet, used once by the
 *   browser) and the nonces of signed login messages once used (a message works once).
 * - retired_usernames: SHA-256 of the lower-cased names of deleted accounts, never given again.
 * - payment_invoices.preimage: the proof of payment, kept once read from the node.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL');
  await knex.raw('ALTER TABLE users ADD COLUMN deleted_at timestamptz');

  await knex.schema.createTable('user_login_keys', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.text('pubkey').notNullable().unique();
    t.text('kind').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_used_at', { useTz: true });
    t.index(['user_id']);
  });
  await knex.raw("ALTER TABLE user_login_keys ADD CONSTRAINT user_login_keys_kind_check CHECK (kind IN ('node', 'lnurl'))");
  await knex.raw("ALTER TABLE user_login_keys ADD CONSTRAINT user_login_keys_pubkey_check CHECK (pubkey ~ '^0[23][0-9a-f]{64}$')");

  await knex.schema.createTable('login_challenges', (t) => {
    t.bigIncrements('id').primary();
    t.text('kind').notNullable();
    t.text('purpose').notNullable();
    t.text('secret').notNullable().unique();
    t.bigInteger('user_id').references('id').inTable('users').onDelete('CASCADE');
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.text('verified_key');
    t.timestamp('verified_at', { useTz: true });
    t.timestamp('used_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['expires_at']);
  });
  await knex.raw("ALTER TABLE login_challenges ADD CONSTRAINT login_challenges_kind_check CHECK (kind IN ('message', 'lnurl'))");
  await knex.raw("ALTER TABLE login_challenges ADD CONSTRAINT login_challenges_purpose_check CHECK (purpose IN ('login', 'link'))");
  await knex.raw(
    "ALTER TABLE login_challenges ADD CONSTRAINT login_challenges_link_user_check CHECK (purpose = 'login' OR user_id IS NOT NULL)",
  );

  await knex.schema.createTable('retired_usernames', (t) => {
    t.text('name_hash').primary();
    t.timestamp('retired_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.raw('ALTER TABLE payment_invoices ADD COLUMN preimage text');
  await knex.raw(
    "ALTER TABLE payment_invoices ADD CONSTRAINT payment_invoices_preimage_check CHECK (preimage IS NULL OR preimage ~ '^[0-9a-f]{64}$')",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE payment_invoices DROP COLUMN IF EXISTS preimage');
  await knex.schema.dropTableIfExists('retired_usernames');
  await knex.schema.dropTableIfExists('login_challenges');
  await knex.schema.dropTableIfExists('user_login_keys');
  await knex.raw('ALTER TABLE users DROP COLUMN IF EXISTS deleted_at');
  // Accounts without a password cannot survive the old schema; they get an unusable hash.
  await knex.raw("UPDATE users SET password_hash = '!' WHERE password_hash IS NULL");
  await knex.raw('ALTER TABLE users ALTER COLUMN password_hash SET NOT NULL');
}
