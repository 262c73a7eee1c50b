/**
 * The two steps every payment goes through with the node, whatever its purpose: issue its first
 * invoice, and ask the node about the current one (settled, expired and replaced, or in error).
 * Both hold the payment's row lock, so concurrent requests for one payment queue instead of racing.
 */
import type { Payment, PaymentsRepo } from './payments-repo';
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

export interface InvoiceSteps {
  /** pending_invoice -> pending_payment with a fresh invoice carrying `memo`; other states as they are. */
  issueInvoice(payment: Payment, memo: string): Promise<Payment>;
  /**
   * Brings a payment as far as the node allows: issues its first invoice, and with `check` (or once
   * its invoice is past expiry) asks the node about the current one. When this call is the one that
   * completed the payment, it sends the news (after the transaction committed). Throws
   * LightningUnavailableError when the node is needed and unreachable; the payment stays as it was.
   */
  advance(payment: Payment, memo: string, options?: { check?: boolean }): Promise<Payment>;
}

export function createInvoiceSteps(deps: InvoiceStepsDeps): InvoiceSteps {
  const { repo, node, logger, invoiceExpirySeconds, events, now } = deps;

  async function issueInvoice(payment: Payment, memo: string): Promise<Payment> {
    // The row lock makes concurrent first views queue here; the first one asks the node, the
    // others find pending_payment when they get the lock and reuse its invoice.
    return repo.withLock(payment.id, async (locked, trxRepo) => {
      if (locked.status !== 'pending_invoice') return locked;
      const invoice = await node.createInvoice({
        valueSat: locked.amountSat,
        memo,
        expirySeconds: invoiceExpirySeconds,
      });
      const attached = {
        paymentHash: invoice.paymentHash,
        paymentRequest: invoice.paymentRequest,
        expiresAt: invoice.expiresAt,
      };
      if (!(await trxRepo.attachInvoice(locked.id, attached))) return locked;
      logger.info('invoice issued', { paymentId: locked.id, articleId: locked.articleId, purpose: locked.purpose, paymentHash: invoice.paymentHash });
      return { ...locked, status: 'pending_payment', paymentRequest: attached.paymentRequest, paymentHash: attached.paymentHash, invoiceExpiresAt: attached.expiresAt };
    });
  }

  /**
   * Asks the node about the current invoice and applies what it says; a replacement invoice carries
   * `memo`. `completedNow` is true only when this call moved the payment to complete.
   */
  async function refresh(payment: Payment, memo: string): Promise<{ payment: Payment; completedNow: boolean }> {
    let completedNow = false;
    const after = await repo.withLock(payment.id, async (locked, trxRepo): Promise<Payment> => {
      if (locked.status !== 'pending_payment' || !locked.paymentHash) return locked;
      const hash = locked.paymentHash;
      let verdict;
      try {
        verdict = judgeInvoice(await node.lookupInvoice(hash), locked.amountSat, now());
      } catch (err) {
        if (!(err instanceof InvoiceNotFoundError)) throw err;
        const reason = `the Lightning node does not know invoice ${hash}`;
        await trxRepo.markError(locked.id, 'pending_payment', reason);
        logger.error('payment needs attention', { paymentId: locked.id, reason });
        return { ...locked, status: 'error', errorReason: reason };
      }
      switch (verdict.kind) {
        case 'settled': {
          // The news goes out in advance(), after this transaction has committed.
          const ok = await trxRepo.markComplete(locked.id, hash, verdict);
          completedNow = ok;
          return ok ? { ...locked, status: 'complete', amountPaidSat: verdict.amountPaidSat, settledAt: verdict.settledAt } : locked;
        }
        case 'expired': {
          const fresh = await node.createInvoice({
            valueSat: locked.amountSat,
            memo,
            expirySeconds: invoiceExpirySeconds,
          });
          const next = { paymentHash: fresh.paymentHash, paymentRequest: fresh.paymentRequest, expiresAt: fresh.expiresAt };
          if (!(await trxRepo.replaceInvoice(locked.id, hash, next))) return locked;
          logger.info('expired invoice replaced', { paymentId: locked.id, oldHash: hash, paymentHash: fresh.paymentHash });
          return { ...locked, paymentHash: next.paymentHash, paymentRequest: next.paymentRequest, invoiceExpiresAt: next.expiresAt };
        }
        case 'underpaid':
        case 'canceled': {
          const reason =
            verdict.kind === 'underpaid'
              ? `invoice ${hash} settled for ${verdict.amountPaidSat} sats, less than the price ${locked.amountSat}`
              : `invoice ${hash} was canceled on the node before it expired`;
          await trxRepo.markError(locked.id, 'pending_payment', reason);
          logger.error('payment needs attention', { paymentId: locked.id, reason });
          return { ...locked, status: 'error', errorReason: reason };
        }
        case 'open':
          return locked;
      }
    });
    return { payment: after, completedNow };
  }

  async function advance(payment: Payment, memo: string, options: { check?: boolean } = {}): Promise<Payment> {
    let current = payment;
    if (current.status === 'pending_invoice') current = await issueInvoice(current, memo);
    if (current.status !== 'pending_payment') return current;
    const expired = current.invoiceExpiresAt !== null && current.invoiceExpiresAt.getTime() <= now().getTime();
    if (!options.check && !expired) return current;
    const { payment: after, completedNow } = await refresh(current, memo);
    if (completedNow) announceCompletion(events, logger, after, after.amountPaidSat, 'check');
    return after;
  }

  return { issueInvoice, advance };
}
