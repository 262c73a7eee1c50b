import type { Knex } from 'knex';

/**
 * Moderation: an append-only audit log of what admins did (who, what, when, why), and readers'
 * flags. One open flag per reader and article (a second flag updates the reason); an admin
 * resolves the open flags of an article when acting on it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('moderation_log', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('actor_id').references('id').inTable('users').onDelete('SET NULL');
    t.text('action').notNullable();
    t.bigInteger('article_id').references('id').inTable('articles').onDelete('SET NULL');
    t.bigInteger('target_user_id').references('id').inTable('users').onDelete('SET NULL');
    t.text('reason').notNullable().defaultTo('');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    "ALTER TABLE moderation_log ADD CONSTRAINT moderation_log_action_check CHECK (action IN ('hide', 'restore', 'grant_admin', 'revoke_admin', 'dismiss_flags'))",
  );
  await knex.raw('CREATE INDEX moderation_log_created_idx ON moderation_log (created_at DESC, id DESC)');

  await knex.schema.createTable('article_flags', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('article_id').notNullable().references('id').inTable('articles').onDelete('CASCADE');
    t.bigInteger('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.text('reason').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('resolved_at', { useTz: true });
  });
  await knex.raw('ALTER TABLE article_flags ADD CONSTRAINT article_flags_reason_check CHECK (char_length(reason) BETWEEN 1 AND 200)');
  await knex.raw('CREATE UNIQUE INDEX article_flags_one_open ON article_flags (article_id, user_id) WHERE resolved_at IS NULL');
  await knex.raw('CREATE INDEX article_flags_open_idx ON article_flags (article_id) WHERE resolved_at IS NULL');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('article_flags');
  await knex.schema.dropTableIfExists('moderation_log');
}
