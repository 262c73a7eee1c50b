import type { Knex } from 'knex';

/**
 * Users, articles, payments and sessions. Money is integer sats (bigint), time is timestamptz.
 * The unique index on (user_id, article_id, purpose) makes "one payment per reader and article"
 * a fact of the database: concurrent first views collide there instead of creating two rows.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.bigIncrements('id').primary();
    t.text('username').notNullable();
    t.text('password_hash').notNullable();
    t.text('role').notNullable().defaultTo('reader');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('CREATE UNIQUE INDEX users_username_lower_idx ON users (lower(username))');
  await knex.raw("ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('reader', 'admin'))");

  await knex.schema.createTable('articles', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('author_id').references('id').inTable('users').onDelete('SET NULL');
    t.text('slug').unique();
    t.text('title').notNullable();
    t.text('teaser').notNullable();
    t.text('body').notNullable();
    t.bigInteger('price_sat').notNullable().defaultTo(1000);
    t.text('status').notNullable().defaultTo('published');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('ALTER TABLE articles ADD CONSTRAINT articles_price_check CHECK (price_sat > 0)');
  await knex.raw("ALTER TABLE articles ADD CONSTRAINT articles_status_check CHECK (status IN ('published', 'deleted by admin'))");
  await knex.raw('CREATE INDEX articles_status_created_idx ON articles (status, created_at DESC, id DESC)');

  await knex.schema.createTable('payments', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('user_id').notNullable().references('id').inTable('users').onDelete('RESTRICT');
    t.bigInteger('article_id').notNullable().references('id').inTable('articles').onDelete('RESTRICT');
    t.text('purpose').notNullable().defaultTo('view');
    t.text('status').notNullable().defaultTo('pending_invoice');
    t.bigInteger('amount_sat').notNullable();
    t.text('payment_hash').unique();
    t.text('payment_request');
    t.timestamp('invoice_expires_at', { useTz: true });
    t.bigInteger('amount_paid_sat');
    t.timestamp('settled_at', { useTz: true });
    t.text('error_reason');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['user_id', 'article_id', 'purpose'], { indexName: 'payments_one_per_reader_article_purpose' });
  });
  await knex.raw("ALTER TABLE payments ADD CONSTRAINT payments_purpose_check CHECK (purpose IN ('view'))");
  await knex.raw(
    "ALTER TABLE payments ADD CONSTRAINT payments_status_check CHECK (status IN ('pending_invoice', 'pending_payment', 'complete', 'error'))",
  );
  await knex.raw('ALTER TABLE payments ADD CONSTRAINT payments_amount_check CHECK (amount_sat > 0)');
  // Views and revenue per article are counted from complete payments.
  await knex.raw('CREATE INDEX payments_article_status_idx ON payments (article_id, status)');

  // connect-pg-simple's table, created here so the app never needs DDL rights at run time.
  await knex.raw(`
    CREATE TABLE "session" (
      "sid" varchar NOT NULL COLLATE "default" PRIMARY KEY,
      "sess" json NOT NULL,
      "expire" timestamp(6) NOT NULL
    )`);
  await knex.raw('CREATE INDEX "IDX_session_expire" ON "session" ("expire")');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('session');
  await knex.schema.dropTableIfExists('payments');
  await knex.schema.dropTableIfExists('articles');
  await knex.schema.dropTableIfExists('users');
}
