/**
 * The payments service: everything between "a reader opens an article" and "the article renders".
 * Built once at boot from the payments repo and the Lightning node; it never throws HTTP errors,
 * only domain results and the node's typed errors (the routes turn those into pages).
 */
import type { PayableArticle } from './payable-article';
import type { Payment, PaymentsRepo } from './payments-repo';
import type { User } from '../accounts/users-repo';
import type { Logger } from '../lib/logger';
import { InvoiceNotFoundError, type LightningNode } from '../lightning/types';
import { judgeInvoice } from './state-machine';
import { createInvoiceSteps } from './invoice-steps';
import type { PaymentEvents } from './payment-events';
import { announceCompletion, type CompletedVia } from './completion-news';
import type { Invoice } from '../lightning/types';

export type ViewAccess =
  | { kind: 'free'; reason: 'author' | 'admin' }
  | { kind: 'paid'; payment: Payment }
  /** Waiting for the reader to pay `payment.paymentRequest`. */
  | { kind: 'invoice'; payment: Payment }
  | { kind: 'error'; payment: Payment };

export interface PaymentsServiceDeps {
  repo: PaymentsRepo;
  node: LightningNode;
  logger: Logger;
  siteName: string;
  invoiceExpirySeconds: number;
  events: PaymentEvents;
  now?: () => Date;
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
  /** Looks up every open invoice of pending payments on the node and applies what it says. */
  sweepPending(): Promise<{ checked: number; completed: number }>;
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
  async function complete(payment: Payment, paymentHash: string, settlement: { amountPaidSat: number; settledAt: Date }, via: CompletedVia): Promise<boolean> {
    const changed = await repo.markComplete(payment.id, paymentHash, settlement);
    if (changed) {
      announceCompletion(events, logger, payment, settlement.amountPaidSat, via);
    } else if (payment.status === 'complete' && payment.paymentHash !== paymentHash) {
      // The reader paid a second invoice of a payment already complete: recorded on the invoice row.
      logger.warn('second invoice settled for a complete payment', { paymentId: payment.id, paymentHash, amountPaidSat: settlement.amountPaidSat });
    }
    return changed;
  }
  const now = deps.now ?? (() => new Date());

  const steps = createInvoiceSteps({ repo, node, logger, invoiceExpirySeconds, events, now });
  const memoFor = (article: PayableArticle, user: User) => invoiceMemo(siteName, article, user.username);

  return {
    async applyInvoiceUpdate(invoice) {
      if (invoice.state !== 'SETTLED') return false;
      const payment = await repo.findByInvoiceHash(invoice.paymentHash);
      if (!payment) return false; // not one of ours (the node may serve other apps)
      const verdict = judgeInvoice(invoice, payment.amountSat, now());
      if (verdict.kind !== 'settled') {
        logger.error('invoice settled for less than the price', { paymentId: payment.id, paymentHash: invoice.paymentHash, amtPaidSat: invoice.amtPaidSat });
        return false;
      }
      return complete(payment, invoice.paymentHash, verdict, 'stream');
    },

    async sweepPending() {
      let checked = 0;
      let completed = 0;
      for (const open of await repo.listOpenInvoices(1000)) {
        checked += 1;
        try {
          const invoice = await node.lookupInvoice(open.paymentHash);
          if (invoice.state !== 'SETTLED') continue;
          const payment = await repo.findByInvoiceHash(open.paymentHash);
          const verdict = payment && judgeInvoice(invoice, payment.amountSat, now());
          if (payment && verdict?.kind === 'settled' && (await complete(payment, open.paymentHash, verdict, 'sweep'))) completed += 1;
        } catch (err) {
          if (err instanceof InvoiceNotFoundError) continue;
          throw err;
        }
      }
      return { checked, completed };
    },

    async accessForView(user, article, options = {}) {
      if (user.role === 'admin') return { kind: 'free', reason: 'admin' };
      if (article.authorId === user.id) return { kind: 'free', reason: 'author' };

      let payment =
        options.viewPayment ?? (await repo.findOrCreate({ userId: user.id, articleId: article.id, purpose: 'view', amountSat: article.priceSat }));
      payment = await steps.advance(payment, memoFor(article, user), options);
      switch (payment.status) {
        case 'complete':
          return { kind: 'paid', payment };
        case 'error':
          return { kind: 'error', payment };
        default:
          return { kind: 'invoice', payment };
      }
    },
  };
}
