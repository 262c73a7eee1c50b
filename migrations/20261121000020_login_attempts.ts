import type { Knex } from 'knex';

/** Failed-login counters shared by every worker (src/accounts/login-throttle.ts). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('login_attempts', (t) => {
    t.text('key').primary();
    t.integer('count').notNullable();
    t.timestamp('reset_at', { useTz: true }).notNullable();
  });
  await knex.schema.raw('CREATE INDEX login_attempts_reset_at ON login_attempts (reset_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('login_attempts');
}
