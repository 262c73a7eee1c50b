/**
 * L402 for articles: issues challenges (a machine Payment with its invoice, through the same
 * payments repo and invoice steps as a reader's view, and a macaroon committing to its hash) and
 * judges the credentials clients come back with.
 *
 * A settlement completes the machine payment wherever it is seen first: the invoice watcher's
 * stream (the client may never come back) or, when the client is faster than the stream, a lookup
 * here that applies the node's answer through the same completion path (applyInvoiceUpdate).
 *
 * A credential judged good (its complete payment seen) is remembered by the exact header value
 * until it expires, so a client reading again costs no parsing, HMAC or query. It stays right across
 * processes the way the article cache does: the database announces on `paywall_l402_revoked`
 * whatever can make a credential stop reading (its payment leaving `complete` or deleted, its token
 * row changed or deleted; migration 20261130170001), and every process then forgets all it
 * remembered; nothing is served from memory while those notices cannot be heard.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import type { Article } from '../../articles/articles-repo';
import { createPaymentsRepo } from '../../payments/payments-repo';
import type { LightningNode } from '../../lightning/types';
import { InvoiceNotFoundError, isLightningError, LightningUnavailableError } from '../../lightning/types';
import type { Logger } from '../../lib/logger';
import { Lru } from '../../lib/lru';
import type { PgListener } from '../../db/pg-listener';
import { createInvoiceSteps } from '../../payments/invoice-steps';
import type { PaymentEvents } from '../../payments/payment-events';
import { invoiceMemo, type PaymentsService } from '../../payments/payments-service';
import { checkToken, mintToken, parseToken, preimageCaveat } from './macaroon-token';
import type { L402TokensRepo } from './tokens-repo';

export interface L402Settings {
  siteName: string;
  /** How long one credential reads its article (L402_CREDENTIAL_TTL_SECONDS, 30 days by default). */
  credentialTtlSeconds: number;
  /** Expiry of a challenge's invoice; unpaid ones are left to expire (L402_INVOICE_EXPIRY_SECONDS). */
  invoiceExpirySeconds: number;
}

export interface Challenge {
  token: string;
  invoice: string;
  paymentHash: string;
  paymentId: number;
  amountSat: number;
  validUntil: Date;
}

export const L402_REVOKED_CHANNEL = 'paywall_l402_revoked';

export type Judgement =
  | { ok: true; paymentId: number; validUntil: Date }
  /** Not ours, malformed, badly signed, for another article or expired: a fresh challenge. */
  | { ok: false; status: 402; reason: string }
  /** A genuine token of ours whose preimage does not match its payment hash: not paid (401). */
  | { ok: false; status: 401; reason: string };

export interface L402Service {
  challenge(article: Article): Promise<Challenge>;
  /**
   * True when `presented` (the credential exactly as sent) was judged good for `articleId` before
   * and nothing since can have revoked it: the hot path, no parsing, HMAC or query. False: judge it.
   */
  recall(presented: string, articleId: number): boolean;
  /** `presented` is the credential exactly as sent (the header's value): the key of credentials judged good before. */
  judge(input: { tokens: Buffer[]; preimage: string | null; articleId: number; presented?: string }): Promise<Judgement>;
  /**
   * Deletes challenges nobody paid, up to `limit`, whose invoice expired more than two days ago and
   * which the node does not report settled: their payment, invoice and token rows. Challenges call it
   * every 100th time, so unpaid ones never pile up. Returns how many.
   */
  pruneUnpaid(limit?: number): Promise<number>;
}

export interface L402ServiceDeps {
  knex: Knex;
  tokens: L402TokensRepo;
  node: LightningNode;
  payments: PaymentsService;
  events: PaymentEvents;
  logger: Logger;
  settings: L402Settings;
  /** The database's change notices (the LISTEN connection): what revokes remembered credentials. */
  notices: Pick<PgListener, 'on' | 'onState' | 'listening'>;
  now?: () => Date;
}

const REFUSALS = {
  signature: 'the token is not signed by this site',
  expired: 'the token expired',
  other_article: 'the token is for another article',
  caveat: 'a caveat of the token is not satisfied',
} as const;

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest();

export function createL402Service(deps: L402ServiceDeps): L402Service {
  const { knex, tokens, node, payments, logger, settings } = deps;
  const now = deps.now ?? (() => new Date());
  // Credentials judged good (the header's value) -> article and expiry. Bounded; forgotten all at
  // once on a revocation notice, and whenever the notices may have been missed.
  const good = new Lru<string, { articleId: number; paymentId: number; validUntil: number }>(10_000);
  // Moves on every forget: a judgement that raced a revocation is used once but not remembered.
  let generation = 0;
  const forget = () => {
    generation += 1;
    good.clear();
  };
  deps.notices.on(L402_REVOKED_CHANNEL, forget);
  deps.notices.onState(forget);

  function recall(presented: string, articleId: number): boolean {
    if (!deps.notices.listening()) return false;
    const hit = good.get(presented);
    return hit !== undefined && hit.articleId === articleId && hit.validUntil > now().getTime();
  }

  async function judgeOne(
    bytes: Buffer,
    presented: string | null,
    articleId: number,
  ): Promise<Exclude<Judgement, { ok: true }> | { ok: true; paymentId: number; validUntil: Date; complete: boolean }> {
    const parsed = parseToken(bytes);
    if (!parsed) return { ok: false, status: 402, reason: 'not an L402 token' };
    const preimage = presented ?? preimageCaveat(parsed.mac);
    if (!preimage || !/^[0-9a-f]{64}$/.test(preimage)) return { ok: false, status: 402, reason: 'no preimage presented' };
    const tokenId = parsed.id.tokenId.toString('hex');
    const at = now();
    const stored = await tokens.find(tokenId);
    if (!stored) return { ok: false, status: 402, reason: 'token not issued here' };
    const checked = checkToken(parsed.mac, stored.rootKey, { articleId, now: at, preimage });
    if (!checked.ok) return { ok: false, status: 402, reason: REFUSALS[checked.reason] };
    if (stored.articleId !== articleId) return { ok: false, status: 402, reason: REFUSALS.other_article };
    if (stored.validUntil.getTime() <= at.getTime()) return { ok: false, status: 402, reason: REFUSALS.expired };
    const hash = parsed.id.paymentHash;
    if (!stored.paymentHash || !timingSafeEqual(hash, Buffer.from(stored.paymentHash, 'hex'))) {
      return { ok: false, status: 402, reason: 'token does not match its payment' };
    }
    if (!timingSafeEqual(sha256(Buffer.from(preimage, 'hex')), hash))
      return { ok: false, status: 401, reason: 'the preimage does not match the payment hash' };
    if (stored.paymentStatus === 'error') return { ok: false, status: 402, reason: 'the payment was revoked' };
    // Remembered only once its payment is complete: only a complete payment's revocation is announced.
    const complete = stored.paymentStatus === 'complete' || (await bookSettlement(stored.paymentHash, stored.paymentId));
    return { ok: true, paymentId: stored.paymentId, validUntil: stored.validUntil, complete };
  }

  /**
   * The preimage proves the invoice was paid, but the stream has not told us yet: ask the node and
   * complete the payment through the watcher's own path. If the node cannot answer now, the
   * client still gets what it paid for; the watcher's sweep books it when the node is back.
   */
  async function bookSettlement(paymentHash: string, paymentId: number): Promise<boolean> {
    try {
      const invoice = await node.lookupInvoice(paymentHash);
      // True when this call completed it; if another path did, the next read finds it complete.
      return await payments.applyInvoiceUpdate(invoice);
    } catch (err) {
      // Down, locked, or the invoice unknown to it (a node restored without its invoices): the
      // preimage still proves the payment; it is not remembered, and is booked once the node can say so.
      if (!isLightningError(err)) throw err;
      logger.warn('machine payment proven by its preimage; the node cannot confirm it yet', { paymentId, paymentHash, error: err });
      return false;
    }
  }

  let issued = 0;
  const service: L402Service = {
    async challenge(article) {
      const validUntil = new Date(now().getTime() + settings.credentialTtlSeconds * 1000);
      // One transaction: if the node refuses the invoice, no payment or token is left behind.
      const made = await knex.transaction(async (trx) => {
        const repo = createPaymentsRepo(trx);
        const steps = createInvoiceSteps({
          repo,
          node,
          logger,
          invoiceExpirySeconds: settings.invoiceExpirySeconds,
          events: deps.events,
          now,
        });
        const created = await repo.createMachine({ articleId: article.id, amountSat: article.priceSat });
        const payment = await steps.issueInvoice(created, invoiceMemo(settings.siteName, article, 'a machine reader'));
        if (payment.status !== 'pending_payment' || !payment.paymentHash || !payment.paymentRequest)
          throw new Error('machine payment has no invoice after issuing one');
        const minted = mintToken({ paymentHash: payment.paymentHash, articleId: article.id, validUntil });
        await tokens.insert(trx, {
          tokenId: minted.tokenId,
          paymentId: payment.id,
          articleId: article.id,
          rootKey: minted.rootKey,
          validUntil,
        });
        return {
          token: minted.token,
          invoice: payment.paymentRequest,
          paymentHash: payment.paymentHash,
          paymentId: payment.id,
          amountSat: payment.amountSat,
          validUntil,
        };
      });
      logger.info('l402 challenge issued', { paymentId: made.paymentId, articleId: article.id, paymentHash: made.paymentHash });
      issued += 1;
      if (issued % 100 === 0) {
        service.pruneUnpaid().catch((err) => logger.warn('could not prune unpaid l402 challenges', { error: err }));
      }
      return made;
    },

    recall,

    async judge({ tokens: list, preimage, articleId, presented }) {
      const readAt = generation;
      let last: Judgement = { ok: false, status: 402, reason: 'no token' };
      for (const bytes of list) {
        const judged = await judgeOne(bytes, preimage, articleId);
        if (!judged.ok) {
          last = judged;
          continue;
        }
        if (presented && judged.complete && readAt === generation && deps.notices.listening())
          good.set(presented, { articleId, paymentId: judged.paymentId, validUntil: judged.validUntil.getTime() });
        return { ok: true, paymentId: judged.paymentId, validUntil: judged.validUntil };
      }
      return last;
    },

    async pruneUnpaid(limit = 100): Promise<number> {
      const candidates: Array<{ id: number; payment_hash: string }> = await knex('payments')
        .where({ purpose: 'machine', status: 'pending_payment' })
        .where('invoice_expires_at', '<', knex.raw("now() - interval '2 days'"))
        .orderBy('id')
        .limit(limit)
        .select('id', 'payment_hash');
      const unpaid: number[] = [];
      for (const c of candidates) {
        // The node has the last word: a settlement nobody booked yet (the watcher was away) is booked
        // now, through the watcher's own path, and that challenge stays.
        try {
          const invoice = await node.lookupInvoice(c.payment_hash);
          if (invoice.state === 'SETTLED' || invoice.state === 'ACCEPTED') {
            await payments.applyInvoiceUpdate(invoice);
            continue;
          }
        } catch (err) {
          if (err instanceof LightningUnavailableError) return 0; // try again another time
          if (!(err instanceof InvoiceNotFoundError)) throw err;
        }
        unpaid.push(c.id);
      }
      if (unpaid.length === 0) return 0;
      const n = await knex.transaction(async (trx): Promise<number> => {
        const ids = (await trx('payments').whereIn('id', unpaid).where({ status: 'pending_payment' }).forUpdate().select('id')).map(
          (r: { id: number }) => r.id,
        );
        await trx('l402_tokens').whereIn('payment_id', ids).del();
        await trx('payment_invoices').whereIn('payment_id', ids).del();
        return Number(await trx('payments').whereIn('id', ids).del());
      });
      logger.info('unpaid l402 challenges pruned', { count: n });
      return n;
    },
  };
  return service;
}
