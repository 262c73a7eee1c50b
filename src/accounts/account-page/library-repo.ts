/**
 * A reader's library and receipts: every settled invoice of their payments (article views and
 * upvotes) with its date, amount, payment hash and preimage, the proof anyone can check
 * (SHA-256 of the preimage is the hash). Articles hidden since stay listed, with when and why.
 * Preimages are read from the node once and kept (payment_invoices.preimage).
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';

export interface Receipt {
  paymentId: number;
  purpose: 'view' | 'upvote';
  articleId: number;
  title: string;
  articleStatus: string;
  hiddenReason: string | null;
  hiddenAt: Date | null;
  paymentHash: string;
  preimage: string | null;
  amountSat: number;
  settledAt: Date;
}

export interface LibraryRepo {
  receipts(userId: number): Promise<Receipt[]>;
  /** Keeps a preimage the node gave, only if it really is the hash's preimage. */
  savePreimage(paymentHash: string, preimage: string): Promise<boolean>;
}

export const isPreimageOf = (preimage: string, paymentHash: string): boolean =>
  /^[0-9a-f]{64}$/.test(preimage) && createHash('sha256').update(Buffer.from(preimage, 'hex')).digest('hex') === paymentHash;

export function createLibraryRepo(knex: Knex): LibraryRepo {
  return {
    async receipts(userId) {
      const rows = await knex('payments as p')
        .join('payment_invoices as i', 'i.payment_id', 'p.id')
        .join('articles as a', 'a.id', 'p.article_id')
        .where('p.user_id', userId)
        .whereNotNull('i.settled_at')
        .orderBy([
          { column: 'i.settled_at', order: 'desc' },
          { column: 'i.id', order: 'desc' },
        ])
        .select(
          'p.id as payment_id',
          'p.purpose',
          'a.id as article_id',
          'a.title',
          'a.status',
          'a.hidden_reason',
          'a.updated_at',
          'i.payment_hash',
          'i.preimage',
          'i.amount_paid_sat',
          'i.amount_sat',
          'i.settled_at',
          knex.raw("(SELECT max(m.created_at) FROM moderation_log m WHERE m.article_id = a.id AND m.action = 'hide') AS hidden_at"),
        );
      return rows.map((r) => {
        const hidden = r.status !== 'published';
        return {
          paymentId: Number(r.payment_id),
          purpose: r.purpose,
          articleId: Number(r.article_id),
          title: r.title,
          articleStatus: r.status,
          hiddenReason: hidden ? (r.hidden_reason ?? null) : null,
          hiddenAt: hidden ? (r.hidden_at ?? r.updated_at) : null,
          paymentHash: r.payment_hash,
          preimage: r.preimage,
          amountSat: Number(r.amount_paid_sat ?? r.amount_sat),
          settledAt: r.settled_at,
        };
      });
    },
    async savePreimage(paymentHash, preimage) {
      if (!isPreimageOf(preimage, paymentHash)) return false;
      const n = await knex('payment_invoices').where({ payment_hash: paymentHash }).whereNull('preimage').update({ preimage });
      return n === 1;
    },
  };
}
