/**
 * Caps on unpaid upvote invoices: each one costs the node an invoice and the database rows, so a
 * reader may hold at most `perReader` open at once, and an article at most `perArticle` from all
 * readers. "Open" is an upvote still waiting for its payment: its invoice not yet expired, or no
 * invoice yet and created within the last hour. Counting and inserting happen under two advisory
 * locks (reader, then article, always in that order), so parallel requests cannot overshoot.
 */
import type { Knex } from 'knex';
import { createPaymentsRepo, type Payment } from './payments-repo';

export interface UpvoteCaps {
  perReader: number;
  perArticle: number;
}

export type CappedUpvote = { kind: 'created'; payment: Payment } | { kind: 'too-many-open'; scope: 'reader' | 'article'; limit: number };

export type CreateCappedUpvote = (input: { userId: number; articleId: number; amountSat: number }) => Promise<CappedUpvote>;

const OPEN = `purpose = 'upvote' AND (
  (status = 'pending_payment' AND invoice_expires_at > now())
  OR (status = 'pending_invoice' AND created_at > now() - interval '1 hour'))`;

export function createCappedUpvotes(knex: Knex, caps: UpvoteCaps): CreateCappedUpvote {
  return (input) =>
    knex.transaction(async (trx) => {
      await trx.raw("SELECT pg_advisory_xact_lock(hashtextextended('upvote-reader:' || ?::text, 0))", [input.userId]);
      await trx.raw("SELECT pg_advisory_xact_lock(hashtextextended('upvote-article:' || ?::text, 0))", [input.articleId]);
      const count = async (column: 'user_id' | 'article_id', id: number) =>
        Number((await trx.raw(`SELECT count(*)::int AS n FROM payments WHERE ${column} = ? AND ${OPEN}`, [id])).rows[0].n);
      const readerOpen = await count('user_id', input.userId);
      const articleOpen = await count('article_id', input.articleId);
      if (readerOpen >= caps.perReader) return { kind: 'too-many-open', scope: 'reader', limit: caps.perReader };
      if (articleOpen >= caps.perArticle) return { kind: 'too-many-open', scope: 'article', limit: caps.perArticle };
      return { kind: 'created', payment: await createPaymentsRepo(trx).createUpvote(input) };
    });
}
