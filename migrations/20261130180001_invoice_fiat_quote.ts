import type { Knex } from 'knex';

/**
 * Prices in fiat, per invoice: every invoice of a payment records the fiat price and the rate its
 * sats were converted at (a replacement invoice is converted at the rate of its own moment), so the
 * payment can take the rate of the invoice that was actually paid. Existing payments' first
 * invoices get the rate their payment recorded; later ones were never recorded and stay empty.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    'ALTER TABLE payment_invoices ADD COLUMN fiat_currency text, ADD COLUMN fiat_minor bigint, ADD COLUMN fiat_rate numeric(24, 8)',
  );
  await knex.raw(`
    UPDATE payment_invoices i
       SET fiat_currency = p.fiat_currency, fiat_minor = p.fiat_minor, fiat_rate = p.fiat_rate
      FROM payments p
     WHERE p.id = i.payment_id
       AND p.fiat_rate IS NOT NULL
       AND i.id = (SELECT min(f.id) FROM payment_invoices f WHERE f.payment_id = p.id)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE payment_invoices DROP COLUMN fiat_rate, DROP COLUMN fiat_minor, DROP COLUMN fiat_currency');
}
