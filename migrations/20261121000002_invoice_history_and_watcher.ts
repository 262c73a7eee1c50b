import type { Knex } from 'knex';

/**
 * Every invoice a payment ever had, so a late settlement of a replaced invoice is still credited
 * (nothing a reader paid is lost), and the invoice watcher's stream position, so after a restart
 * it resumes from the last add and settle index it handled, as LND's clients are meant to.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('payment_invoices', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('payment_id').notNullable().references('id').inTable('payments').onDelete('RESTRICT');
    t.text('payment_hash').notNullable().unique();
    t.text('payment_request').notNullable();
    t.bigInteger('amount_sat').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('settled_at', { useTz: true });
    t.bigInteger('amount_paid_sat');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['payment_id']);
  });
  await knex.raw(`
    INSERT INTO payment_invoices (payment_id, payment_hash, payment_request, amount_sat, expires_at, settled_at, amount_paid_sat, created_at)
    SELECT id, payment_hash, payment_request, amount_sat, invoice_expires_at,
           CASE WHEN status = 'complete' THEN settled_at END,
           CASE WHEN status = 'complete' THEN amount_paid_sat END, updated_at
    FROM payments WHERE payment_hash IS NOT NULL AND payment_request IS NOT NULL AND invoice_expires_at IS NOT NULL`);
  // The sweep looks at pending payments only.
  await knex.raw("CREATE INDEX payments_pending_idx ON payments (id) WHERE status = 'pending_payment'");

  await knex.schema.createTable('invoice_watcher_state', (t) => {
    t.text('node').primary();
    t.bigInteger('add_index').notNullable().defaultTo(0);
    t.bigInteger('settle_index').notNullable().defaultTo(0);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('invoice_watcher_state');
  await knex.raw('DROP INDEX IF EXISTS payments_pending_idx');
  await knex.schema.dropTableIfExists('payment_invoices');
}
