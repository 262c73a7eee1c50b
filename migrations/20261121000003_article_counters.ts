import type { Knex } from 'knex';

/**
 * Paid views and revenue kept on the article row, updated in the same transaction that completes
 * a payment. The home page and the article page then read one row per article instead of
 * aggregating every payment, so their cost does not grow with the payments table.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('articles', (t) => {
    t.integer('views_count').notNullable().defaultTo(0);
    t.bigInteger('revenue_sat').notNullable().defaultTo(0);
  });
  await knex.raw(`
    UPDATE articles a SET views_count = s.views, revenue_sat = s.revenue
    FROM (
      SELECT article_id, count(*) FILTER (WHERE purpose = 'view') AS views,
             COALESCE(sum(COALESCE(amount_paid_sat, amount_sat)), 0) AS revenue
      FROM payments WHERE status = 'complete' GROUP BY article_id
    ) s
    WHERE s.article_id = a.id`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('articles', (t) => {
    t.dropColumn('views_count');
    t.dropColumn('revenue_sat');
  });
}
