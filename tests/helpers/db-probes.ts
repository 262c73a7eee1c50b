/**
 * What a test asks of the database around a request: the queries it cost, a paid view recorded
 * directly, the demo admin's articles readers pay for, a reader's payment for one of them.
 */
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

export interface AdminArticle {
  id: number;
  title: string;
  body: string;
  price_sat: number;
}

/** The demo admin's published articles (seeds/demo.ts), oldest first: the ones the demo readers pay for. */
export async function adminArticles(knex: Knex): Promise<AdminArticle[]> {
  const rows = await knex('articles as a')
    .join('users as u', 'u.id', 'a.author_id')
    .where('u.username', 'admin')
    .where('a.status', 'published')
    .orderBy('a.id')
    .select('a.id', 'a.title', 'a.body', 'a.price_sat');
  return rows.map((r) => ({ id: Number(r.id), title: r.title, body: r.body, price_sat: Number(r.price_sat) }));
}

/** `username`'s view payment for the article (every column), or undefined. */
export const viewPaymentOf = (knex: Knex, username: string, articleId: number) =>
  knex('payments as p')
    .join('users as u', 'u.id', 'p.user_id')
    .where({ 'u.username': username, 'p.article_id': articleId, 'p.purpose': 'view' })
    .first('p.*');
