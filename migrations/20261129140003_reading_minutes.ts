import type { Knex } from 'knex';

/** Reading time (issue 14), counted once when an article is saved: words of the body / 230 per minute. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('articles', (t) => {
    t.integer('reading_minutes').nullable();
  });
  await knex.raw(
    `UPDATE articles SET reading_minutes = greatest(1, ceil(coalesce(array_length(regexp_split_to_array(trim(body), '\\s+'), 1), 0) / 230.0))::int`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('articles', (t) => t.dropColumn('reading_minutes'));
}
