/**
 * L402 for articles: issues challenges (a machine Payment with its invoice, through the same
 * payments repo and invoice steps as a reader's view, and a macaroon committing to its hash) and
 * judges the credentials clients come back with.
 *
 * A settlement completes the machine payment wherever it is seen first: the invoice watcher's
 * stream (the client may never come back) or, when the client is faster than the stream, a lookup
 * here that applies the node's answer through the same completion path (applyInvoiceUpdate).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import type { Article } from '../../articles/articles-repo';
import { createPaymentsRepo } from '../../payments/payments-repo';
import type { LightningNode } from '../../lightning/types';
import { InvoiceNotFoundError, LightningUnavailableError } from '../../lightning/types';
import type { Logger } from '../../lib/logger';
import { Lru } from '../../lib/lru';
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

export type Judgement =
  | { ok: true; paymentId: number; validUntil: Date }
  /** Not ours, malformed, badly signed, for another article or expired: a fresh challenge. */
  | { ok: false; status: 402; reason: string }
  /** A genuine token of ours whose preimage does not match its payment hash: not paid (401). */
  | { ok: false; status: 401; reason: string };

export interface L402Service {
  challenge(article: Article): Promise<Challenge>;
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
  // Credentials already judged good (the header's value) -> article and expiry. Bounded, and an
  // entry is trusted for a minute at most, so a payment a person moved to error stops reading soon.
  const good = new Lru<string, { articleId: number; paymentId: number; validUntil: Date; checkedAt: number }>(10_000);
  const RECHECK_MS = 60_000;

  /** What the cache says of a credential judged good before, or null when it must be judged afresh. */
  function remembered(key: string, articleId: number, at: Date): Judgement | null {
    const hit = good.get(key);
    if (!hit || at.getTime() - hit.checkedAt >= RECHECK_MS) return null;
    if (hit.articleId !== articleId) return { ok: false, status: 402, reason: REFUSALS.other_article };
    if (hit.validUntil.getTime() <= at.getTime()) return { ok: false, status: 402, reason: REFUSALS.expired };
    return { ok: true, paymentId: hit.paymentId, validUntil: hit.validUntil };
  }

  async function judgeOne(bytes: Buffer, presented: string | null, articleId: number): Promise<Judgement> {
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
    if (stored.paymentStatus !== 'complete') await bookSettlement(stored.paymentHash, stored.paymentId);
    return { ok: true, paymentId: stored.paymentId, validUntil: stored.validUntil };
  }

  /**
   * The preimage proves the invoice was paid, but the stream has not told us yet: ask the node and
   * complete the payment through the watcher's own path. If the node cannot answer now, the
   * client still gets what it paid for; the watcher's sweep books it when the node is back.
   */
  async function bookSettlement(paymentHash: string, paymentId: number): Promise<void> {
    try {
      const invoice = await node.lookupInvoice(paymentHash);
      await payments.applyInvoiceUpdate(invoice);
    } catch (err) {
      if (!(err instanceof LightningUnavailableError)) throw err;
      logger.warn('machine payment proven by its preimage; the node cannot confirm it yet', { paymentId, paymentHash });
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

    async judge({ tokens: list, preimage, articleId, presented }) {
      // The exact header judged good before: no parsing, no HMAC, no query (the hot path of a client
      // that reads again with its credential).
      const at = now();
      const cached = presented ? remembered(presented, articleId, at) : null;
      if (cached) return cached;
      let last: Judgement = { ok: false, status: 402, reason: 'no token' };
      for (const bytes of list) {
        last = await judgeOne(bytes, preimage, articleId);
        if (last.ok) break;
      }
      if (last.ok && presented)
        good.set(presented, { articleId, paymentId: last.paymentId, validUntil: last.validUntil, checkedAt: at.getTime() });
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
