import type { Knex } from 'knex';

/**
 * Challenges issued per window, shared by every site process (src/api/l402/challenge-limiter.ts):
 * one row per client address and window, and one for the window's total (client ''). Counted with
 * an atomic upsert, so the limits hold whatever the number of processes; rows of past windows are
 * deleted as new windows begin.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('l402_challenge_counts', (t) => {
    t.timestamp('window_start', { useTz: true }).notNullable();
    t.text('client').notNullable();
    t.integer('n').notNullable();
    t.primary(['window_start', 'client']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('l402_challenge_counts');
}
