/** What a test asks of the database around a request: the queries it cost, a paid view recorded directly. */
import type { Knex } from 'knex';
import { createPaymentsRepo } from '../../src/payments/payments-repo';

/** Runs `fn` and returns its result with the SQL of every query knex ran meanwhile. */
export async function queriesDuring<T>(knex: Knex, fn: () => Promise<T>): Promise<{ result: T; queries: string[] }> {
  const queries: string[] = [];
  const onQuery = (q: { sql: string }) => queries.push(q.sql);
  knex.on('query', onQuery);
  try {
    return { result: await fn(), queries };
  } finally {
    knex.off('query', onQuery);
  }
}

/**
 * Records `userId`'s view payment for `article` as complete straight in the database, as the
 * watcher would after a settlement; `hashByte` (two hex digits) makes its payment hash unique.
 */
export async function recordPaidView(
  knex: Knex,
  userId: number,
  article: { id: number; price_sat: number },
  hashByte: string,
): Promise<void> {
  const repo = createPaymentsRepo(knex);
  const payment = await repo.findOrCreate({ userId, articleId: article.id, purpose: 'view', amountSat: article.price_sat });
  await repo.attachInvoice(payment.id, {
    paymentHash: hashByte.repeat(32),
    paymentRequest: 'lnbcrt1test',
    expiresAt: new Date(Date.now() + 60_000),
  });
  if (!(await repo.markComplete(payment.id, hashByte.repeat(32), { amountPaidSat: article.price_sat, settledAt: new Date() }))) {
    throw new Error('the paid view could not be recorded');
  }
}
