import type { Knex } from 'knex';

/**
 * Prices in fiat: a writer may price an article in the site's currency (minor units, e.g. cents);
 * a payment records the currency, amount and rate its sats were converted at when it was issued.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE articles ADD COLUMN price_fiat_minor bigint, ADD COLUMN price_currency text');
  await knex.raw(
    'ALTER TABLE articles ADD CONSTRAINT articles_fiat_price_whole CHECK ((price_fiat_minor IS NULL) = (price_currency IS NULL) AND (price_fiat_minor IS NULL OR price_fiat_minor > 0))',
  );
  await knex.raw('ALTER TABLE payments ADD COLUMN fiat_currency text, ADD COLUMN fiat_minor bigint, ADD COLUMN fiat_rate numeric(24, 8)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE payments DROP COLUMN fiat_rate, DROP COLUMN fiat_minor, DROP COLUMN fiat_currency');
  await knex.raw(
    'ALTER TABLE articles DROP CONSTRAINT articles_fiat_price_whole, DROP COLUMN price_currency, DROP COLUMN price_fiat_minor',
  );
}
