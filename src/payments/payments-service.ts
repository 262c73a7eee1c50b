/**
 * The payments service: everything between "a reader opens an article" and "the article renders".
 * Built once at boot from the payments repo and the Lightning node; it never throws HTTP errors,
 * only domain results and the node's typed errors (the routes turn those into pages).
 */
import type { PayableArticle } from './payable-article';
import type { Payment, PaymentsRepo } from './payments-repo';
import type { User } from '../accounts/users-repo';
import type { Logger } from '../lib/logger';
import { InvoiceNotFoundError, LightningUnavailableError, type LightningNode } from '../lightning/types';
import { judgeInvoice } from './state-machine';
import { createInvoiceSteps, underpaidReason } from './invoice-steps';
import { askedPriceIsStale, quoteForNewInvoice, type PriceFor } from './invoice-price';
import type { PaymentEvents } from './payment-events';
import { announceCompletion, type CompletedVia } from './completion-news';
import type { Invoice } from '../lightning/types';

export type ViewAccess =
  | { kind: 'free'; reason: 'author' | 'admin' }
  | { kind: 'paid'; payment: Payment }
  /** Waiting for the reader to pay `payment.paymentRequest`; `afterError` when it replaced a payment in error. */
  | { kind: 'invoice'; payment: Payment; afterError?: boolean }
  | { kind: 'error'; payment: Payment };

export interface PaymentsServiceDeps {
  repo: PaymentsRepo;
  node: LightningNode;
  logger: Logger;
  siteName: string;
  invoiceExpirySeconds: number;
  events: PaymentEvents;
  now?: () => Date;
  /** The sats of a newly issued view payment (a fiat price converted at the current rate); the article's sats price when omitted. */
  priceFor?: PriceFor;
}

export interface PaymentsService {
  /**
   * What `user` may see of `article`. Creates the reader's view payment and its invoice on first
   * view; with `check`, asks the node whether the invoice is settled. Throws LightningUnavailableError
   * when the node is needed and cannot be reached (the payment is left as it was). `viewPayment`
   * is the reader's payment when the caller already loaded it with the article (null: none yet).
   */
  accessForView(user: User, article: PayableArticle, options?: { check?: boolean; viewPayment?: Payment | null }): Promise<ViewAccess>;
  /**
   * Applies an invoice the node reports (from the invoice stream or a sweep): a SETTLED invoice of
   * ours completes its payment by compare-and-set. Replays and foreign invoices change nothing.
   * Returns true when a payment was completed by this call.
   */
  applyInvoiceUpdate(invoice: Invoice): Promise<boolean>;
  /**
   * Looks up every open invoice of pending payments on the node and applies what it says. One
   * invoice that cannot be read or applied is logged and skipped (`failed`); only the node being
   * unreachable stops the sweep (LightningUnavailableError).
   */
  sweepPending(): Promise<{ checked: number; completed: number; failed: number }>;
  /** An admin's retry of a payment in error: a fresh invoice for it (false when it is not in error). */
  retryErrored(paymentId: number): Promise<boolean>;
}

/** BOLT 11 descriptions hold at most 639 bytes; keep memos well inside that. */
const MAX_MEMO_BYTES = 300;

export function invoiceMemo(siteName: string, article: Pick<PayableArticle, 'id' | 'title'>, username: string, what = 'article'): string {
  let title = article.title;
  const build = () => `${siteName}: ${what} #${article.id} "${title}" for ${username}`;
  while (Buffer.byteLength(build(), 'utf8') > MAX_MEMO_BYTES && title.length > 1) {
    title = title.slice(0, Math.max(1, title.length - 8)).trimEnd() + '…';
  }
  return build();
}

export function createPaymentsService(deps: PaymentsServiceDeps): PaymentsService {
  const { repo, node, logger, siteName, invoiceExpirySeconds, events } = deps;

  /** A settlement the node reported (stream or sweep): CAS in SQL, then the news for open pages. */
  async function complete(
    payment: Payment,
    paymentHash: string,
    settlement: { amountPaidSat: number; settledAt: Date },
    via: CompletedVia,
  ): Promise<boolean> {
    const changed = await repo.markComplete(payment.id, paymentHash, settlement);
    if (changed) {
      announceCompletion(events, logger, payment, settlement.amountPaidSat, via);
    } else if (payment.status === 'complete' && payment.paymentHash !== paymentHash) {
      // The reader paid a second invoice of a payment already complete: recorded on the invoice row.
      logger.warn('second invoice settled for a complete payment', {
        paymentId: payment.id,
        paymentHash,
        amountPaidSat: settlement.amountPaidSat,
      });
    }
    return changed;
  }
  const now = deps.now ?? (() => new Date());

  const steps = createInvoiceSteps({ repo, node, logger, invoiceExpirySeconds, events, now });

  /**
   * A SETTLED invoice from the stream or the sweep: the same verdict as Complete gives. Paid at
   * least what it asked completes its payment; settled for less moves the payment to error if that
   * invoice is still its current one (a person looks; the reader's next view gets a fresh invoice).
   */
  async function settle(invoice: Invoice, via: CompletedVia): Promise<boolean> {
    const found = await repo.findByInvoiceHash(invoice.paymentHash);
    if (!found) return false; // not one of ours (the node may serve other apps)
    const { payment, askedSat } = found;
    const verdict = judgeInvoice(invoice, askedSat, now());
    if (verdict.kind === 'settled') return complete(payment, invoice.paymentHash, verdict, via);
    if (verdict.kind === 'underpaid' && payment.status === 'pending_payment' && payment.paymentHash === invoice.paymentHash) {
      const reason = underpaidReason(invoice.paymentHash, verdict.amountPaidSat, askedSat);
      if (await repo.markError(payment.id, 'pending_payment', reason))
        logger.error('payment needs attention', { paymentId: payment.id, reason, via });
    } else {
      logger.error('invoice settled for less than it asked', {
        paymentId: payment.id,
        paymentHash: invoice.paymentHash,
        amtPaidSat: invoice.amtPaidSat,
        askedSat,
        via,
      });
    }
    return false;
  }
  const memoFor = (article: PayableArticle, user: User) => invoiceMemo(siteName, article, user.username);

  return {
    async applyInvoiceUpdate(invoice) {
      if (invoice.state !== 'SETTLED') return false;
      return settle(invoice, 'stream');
    },

    async sweepPending() {
      let checked = 0;
      let completed = 0;
      let failed = 0;
      for (const open of await repo.listOpenInvoices(1000)) {
        checked += 1;
        try {
          const invoice = await node.lookupInvoice(open.paymentHash);
          if (invoice.state === 'SETTLED' && (await settle(invoice, 'sweep'))) completed += 1;
        } catch (err) {
          if (err instanceof InvoiceNotFoundError) continue;
          if (err instanceof LightningUnavailableError) throw err;
          // One invoice the site cannot read (a value out of range, a state it does not know) or
          // apply must not keep the other readers' settlements pending.
          failed += 1;
          logger.error('sweep: skipped an invoice it could not read or apply', {
            paymentHash: open.paymentHash,
            paymentId: open.paymentId,
            error: err,
          });
        }
      }
      return { checked, completed, failed };
    },

    async retryErrored(paymentId) {
      const payment = await repo.findById(paymentId);
      if (!payment || payment.status !== 'error') return false;
      // The amount it last asked; a view payment moves to the article's current price on the reader's next view.
      const memo = `${siteName}: ${payment.purpose} payment #${payment.id} (retried)`;
      return (await steps.reissue(payment, memo)).status === 'pending_payment';
    },

    async accessForView(user, article, options = {}) {
      if (user.role === 'admin') return { kind: 'free', reason: 'admin' };
      if (article.authorId === user.id) return { kind: 'free', reason: 'author' };

      const quote = () => quoteForNewInvoice(article, deps.priceFor);
      let payment =
        options.viewPayment ?? (await repo.findOrCreate({ userId: user.id, articleId: article.id, purpose: 'view', ...quote() }));
      const price = quote;
      // A payment left in error on an earlier view: this view gets the reader going again.
      const afterError = payment.status === 'error';
      if (afterError) payment = await steps.reissue(payment, memoFor(article, user), price);
      const repriced = payment.status === 'pending_payment' && askedPriceIsStale(article, payment);
      payment = await steps.advance(payment, memoFor(article, user), { check: options.check, price, repriced });
      switch (payment.status) {
        case 'complete':
          return { kind: 'paid', payment };
        case 'error':
          return { kind: 'error', payment };
        default:
          return afterError ? { kind: 'invoice', payment, afterError } : { kind: 'invoice', payment };
      }
    },
  };
}
