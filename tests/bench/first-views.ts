/**
 * First views: new readers opening an article they have not paid for, several requests per reader
 * at once (double clicks, open tabs). Each reader must end with exactly one payment and one
 * invoice, whatever the interleaving; the database is the judge.
 */
import type { Pool } from 'pg';
import { get, mapLimit } from './http-client';
import type { Reader } from './fixtures';

export interface FirstViewsResult {
  readers: number;
  requests: number;
  seconds: number;
  invoicesPerSecond: number;
  failedRequests: number;
  duplicatePayments: number;
  duplicateInvoices: number;
  readersWithoutInvoice: number;
}

export async function measureFirstViews(options: {
  siteUrl: string;
  pool: Pool;
  readers: Reader[];
  articleId: number;
  requestsPerReader: number;
  connections: number;
}): Promise<FirstViewsResult> {
  const jobs = options.readers.flatMap((r) => Array.from({ length: options.requestsPerReader }, () => r));
  const started = performance.now();
  const statuses = await mapLimit(
    jobs,
    options.connections,
    async (r) => (await get(`${options.siteUrl}/articles/${options.articleId}`, r.cookie)).status,
  );
  const seconds = (performance.now() - started) / 1000;
  const ids = options.readers.map((r) => r.id);
  const { rows } = await options.pool.query<{ payments: string; invoices: string }>(
    `SELECT (SELECT count(*) FROM payments p WHERE p.user_id = u.id AND p.article_id = $2) AS payments,
            (SELECT count(*) FROM payment_invoices i JOIN payments p ON p.id = i.payment_id
              WHERE p.user_id = u.id AND p.article_id = $2) AS invoices
     FROM unnest($1::bigint[]) AS u(id)`,
    [ids, options.articleId],
  );
  const invoices = rows.reduce((n, r) => n + Number(r.invoices), 0);
  return {
    readers: ids.length,
    requests: jobs.length,
    seconds,
    invoicesPerSecond: invoices / seconds,
    failedRequests: statuses.filter((s) => s !== 200).length,
    duplicatePayments: rows.filter((r) => Number(r.payments) > 1).length,
    duplicateInvoices: rows.filter((r) => Number(r.invoices) > 1).length,
    readersWithoutInvoice: rows.filter((r) => Number(r.invoices) === 0).length,
  };
}
