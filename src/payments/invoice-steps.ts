/**
 * The two steps every payment goes through with the node, whatever its purpose: issue its first
 * invoice, and ask the node about the current one (settled, expired and replaced, or in error).
 * Both hold the payment's row lock, so concurrent requests for one payment queue instead of racing.
 *
 * No node answer leaves a reader stuck: an invoice the node no longer knows (LND deletes canceled
 * and expired invoices with gc-canceled-invoices-on-the-fly), one canceled early, and a payment in
 * `error` all get a fresh invoice on the next view; the unusual ones are logged for the operator.
 */
import type { AttachedInvoice, Payment, PaymentsRepo } from './payments-repo';
import type { PriceQuote } from './invoice-price';
import type { Logger } from '../lib/logger';
import { InvoiceNotFoundError, type LightningNode } from '../lightning/types';
import { judgeInvoice } from './state-machine';
import type { PaymentEvents } from './payment-events';
import { announceCompletion } from './completion-news';

export interface InvoiceStepsDeps {
  repo: PaymentsRepo;
  node: LightningNode;
  logger: Logger;
  invoiceExpirySeconds: number;
  events: PaymentEvents;
  now: () => Date;
}

/**
 * What a new invoice for the payment asks: `price()` when given (views: the article's current
 * price, and the fiat rate it was converted at, see invoice-price.ts), the payment's own amount
 * otherwise (an upvote's chosen amount). `repriced` says the open invoice asks another price than a
 * new one would.
 */
export interface AdvanceOptions {
  check?: boolean;
  price?: () => PriceQuote;
  repriced?: boolean;
}

export interface InvoiceSteps {
  /** pending_invoice -> pending_payment with a fresh invoice carrying `memo`; other states as they are. */
  issueInvoice(payment: Payment, memo: string, price?: () => PriceQuote): Promise<Payment>;
  /** error -> pending_payment with a fresh invoice (an admin's retry or the reader's next view). */
  reissue(payment: Payment, memo: string, price?: () => PriceQuote): Promise<Payment>;
  /**
   * Brings a payment as far as the node allows: issues its first invoice, and with `check` (or once
   * its invoice is past expiry) asks the node about the current one. When this call is the one that
   * completed the payment, it sends the news (after the transaction committed). Throws
   * LightningUnavailableError when the node is needed and unreachable; the payment stays as it was.
   */
  advance(payment: Payment, memo: string, options?: AdvanceOptions): Promise<Payment>;
}

type NewInvoice = AttachedInvoice & Required<Pick<AttachedInvoice, 'amountSat' | 'fiat'>>;

export function createInvoiceSteps(deps: InvoiceStepsDeps): InvoiceSteps {
  const { repo, node, logger, invoiceExpirySeconds, events, now } = deps;

  /** Asks the node for a new invoice at the price a new invoice asks now. */
  async function newInvoice(payment: Payment, memo: string, price?: () => PriceQuote): Promise<NewInvoice> {
    // One quote: the sats and the rate they were converted at go together onto the invoice's row.
    const { amountSat, fiat } = price ? price() : { amountSat: payment.amountSat, fiat: payment.fiat };
    const invoice = await node.createInvoice({ valueSat: amountSat, memo, expirySeconds: invoiceExpirySeconds });
    return { paymentHash: invoice.paymentHash, paymentRequest: invoice.paymentRequest, expiresAt: invoice.expiresAt, amountSat, fiat };
  }

  const withInvoice = (p: Payment, inv: NewInvoice): Payment => ({
    ...p,
    status: 'pending_payment',
    paymentHash: inv.paymentHash,
    paymentRequest: inv.paymentRequest,
    invoiceExpiresAt: inv.expiresAt,
    amountSat: inv.amountSat,
    fiat: inv.fiat,
    errorReason: null,
  });

  async function issueInvoice(payment: Payment, memo: string, price?: () => PriceQuote): Promise<Payment> {
    // The row lock makes concurrent first views queue here; the first one asks the node, the
    // others find pending_payment when they get the lock and reuse its invoice.
    return repo.withLock(payment.id, async (locked, trxRepo) => {
      if (locked.status !== 'pending_invoice') return locked;
      const attached = await newInvoice(locked, memo, price);
      if (!(await trxRepo.attachInvoice(locked.id, attached))) return locked;
      logger.info('invoice issued', {
        paymentId: locked.id,
        articleId: locked.articleId,
        purpose: locked.purpose,
        paymentHash: attached.paymentHash,
        amountSat: attached.amountSat,
      });
      return withInvoice(locked, attached);
    });
  }

  async function reissue(payment: Payment, memo: string, price?: () => PriceQuote): Promise<Payment> {
    return repo.withLock(payment.id, async (locked, trxRepo) => {
      if (locked.status !== 'error') return locked;
      const attached = await newInvoice(locked, memo, price);
      if (!(await trxRepo.reissueFromError(locked.id, attached))) return locked;
      logger.info('payment in error got a fresh invoice', {
        paymentId: locked.id,
        previousError: locked.errorReason,
        paymentHash: attached.paymentHash,
        amountSat: attached.amountSat,
      });
      return withInvoice(locked, attached);
    });
  }

  /**
   * Asks the node about the current invoice and applies what it says; a replacement invoice carries
   * `memo`. `completedNow` is true only when this call moved the payment to complete.
   */
  async function refresh(payment: Payment, memo: string, options: AdvanceOptions): Promise<{ payment: Payment; completedNow: boolean }> {
    let completedNow = false;
    const after = await repo.withLock(payment.id, async (locked, trxRepo): Promise<Payment> => {
      if (locked.status !== 'pending_payment' || !locked.paymentHash) return locked;
      const hash = locked.paymentHash;
      const replace = async (why: string, fields: Record<string, unknown> = {}): Promise<Payment> => {
        const next = await newInvoice(locked, memo, options.price);
        if (!(await trxRepo.replaceInvoice(locked.id, hash, next))) return locked;
        logger.info(why, { paymentId: locked.id, oldHash: hash, paymentHash: next.paymentHash, amountSat: next.amountSat, ...fields });
        return withInvoice(locked, next);
      };
      let verdict;
      try {
        // The payment's amount is what its current invoice asked: both are written together whenever an invoice is attached.
        verdict = judgeInvoice(await node.lookupInvoice(hash), locked.amountSat, now());
      } catch (err) {
        if (!(err instanceof InvoiceNotFoundError)) throw err;
        // LND deletes canceled and expired invoices (gc-canceled-invoices-on-the-fly): past the
        // expiry we stored it is simply expired. Unknown before that is odd (a node reset, another
        // node): the operator hears of it, and the reader still gets a fresh invoice.
        const pastExpiry = locked.invoiceExpiresAt !== null && locked.invoiceExpiresAt.getTime() <= now().getTime();
        if (!pastExpiry)
          logger.error('the Lightning node does not know an invoice still within its expiry; issuing a fresh one', {
            paymentId: locked.id,
            paymentHash: hash,
          });
        return replace(pastExpiry ? 'invoice gone from the node after its expiry replaced' : 'invoice unknown to the node replaced');
      }
      switch (verdict.kind) {
        case 'settled': {
          // The news goes out in advance(), after this transaction has committed.
          const ok = await trxRepo.markComplete(locked.id, hash, verdict);
          completedNow = ok;
          return ok ? { ...locked, status: 'complete', amountPaidSat: verdict.amountPaidSat, settledAt: verdict.settledAt } : locked;
        }
        case 'expired':
          return replace('expired invoice replaced');
        case 'canceled':
          // Someone on the node canceled it, or the node's clock is far ahead of ours.
          logger.warn('invoice canceled on the node before its expiry; issuing a fresh one', { paymentId: locked.id, paymentHash: hash });
          return replace('canceled invoice replaced');
        case 'underpaid': {
          const reason = underpaidReason(hash, verdict.amountPaidSat, locked.amountSat);
          await trxRepo.markError(locked.id, 'pending_payment', reason);
          logger.error('payment needs attention', { paymentId: locked.id, reason });
          return { ...locked, status: 'error', errorReason: reason };
        }
        case 'open':
          return options.repriced ? replace('invoice at an old price replaced') : locked;
      }
    });
    return { payment: after, completedNow };
  }

  async function advance(payment: Payment, memo: string, options: AdvanceOptions = {}): Promise<Payment> {
    let current = payment;
    if (current.status === 'pending_invoice') current = await issueInvoice(current, memo, options.price);
    if (current.status !== 'pending_payment') return current;
    const expired = current.invoiceExpiresAt !== null && current.invoiceExpiresAt.getTime() <= now().getTime();
    if (!options.check && !expired && !options.repriced) return current;
    const { payment: after, completedNow } = await refresh(current, memo, options);
    if (completedNow) announceCompletion(events, logger, after, after.amountPaidSat, 'check');
    return after;
  }

  return { issueInvoice, reissue, advance };
}

/** The error reason of an invoice settled for less than it asked (the stream and Complete agree on it). */
export function underpaidReason(hash: string, paidSat: number, askedSat: number): string {
  return `invoice ${hash} settled for ${paidSat} sats, less than the ${askedSat} sats it asked`;
}
