/** l402_tokens: what the site keeps of each token it issued (its root key, payment and article). */
import type { Knex } from 'knex';
import type { PaymentStatus } from '../../payments/state-machine';

export interface StoredToken {
  tokenId: string;
  paymentId: number;
  articleId: number;
  rootKey: Buffer;
  validUntil: Date;
  /** The machine payment's state and the hash of the invoice the token commits to. */
  paymentStatus: PaymentStatus;
  paymentHash: string | null;
}

export interface L402TokensRepo {
  insert(
    trx: Knex.Transaction,
    row: { tokenId: string; paymentId: number; articleId: number; rootKey: Buffer; validUntil: Date },
  ): Promise<void>;
  /** The token and its payment in one query; null for a token id the site never issued. */
  find(tokenId: string): Promise<StoredToken | null>;
}

export function createL402TokensRepo(knex: Knex): L402TokensRepo {
  return {
    async insert(trx, row) {
      await trx('l402_tokens').insert({
        token_id: row.tokenId,
        payment_id: row.paymentId,
        article_id: row.articleId,
        root_key: row.rootKey,
        valid_until: row.validUntil,
      });
    },
    async find(tokenId) {
      const row = await knex('l402_tokens as t')
        .join('payments as p', 'p.id', 't.payment_id')
        .where('t.token_id', tokenId)
        .first('t.token_id', 't.payment_id', 't.article_id', 't.root_key', 't.valid_until', 'p.status', 'p.payment_hash');
      if (!row) return null;
      return {
        tokenId: row.token_id,
        paymentId: row.payment_id,
        articleId: row.article_id,
        rootKey: row.root_key,
        validUntil: row.valid_until,
        paymentStatus: row.status,
        paymentHash: row.payment_hash,
      };
    },
  };
}
