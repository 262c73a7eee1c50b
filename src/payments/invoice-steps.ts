/**
 * The two steps every payment goes through with the node, whatever its purpose: issue its first
 * invoice, and ask the node about the current one (settled, expired and replaced, or in error).
 * Both hold the payment's row lock, so concurrent requests for one payment queue instead of racing.
 */
import type { Payment, PaymentsRepo } from '../db/payments-repo';
import type { Logger } from '../logger';
import { InvoiceNotFoundError, type LightningNode } from '../lightning/types';
import { judgeInvoice } from './state-machine';

export interface InvoiceStepsDeps {
  repo: PaymentsRepo;
  node: LightningNode;
  logger: Logger;
  invoiceExpirySeconds: number;
  now: () => Date;
}

export interface InvoiceSteps {
  /** pending_invoice -> pending_payment with a fresh invoice carrying `memo`; other states as they are. */
  issueInvoice(payment: Payment, memo: string): Promise<Payment>;
  /** Applies what the node says about the current invoice; a replacement invoice carries `memo`. */
  refresh(payment: Payment, memo: string): Promise<Payment>;
}

export function createInvoiceSteps(deps: InvoiceStepsDeps): InvoiceSteps {
  const { repo, node, logger, invoiceExpirySeconds, now } = deps;

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

  /** Asks the node about the current invoice and applies what it says. */
  async function refresh(payment: Payment, memo: string): Promise<Payment> {
    return repo.withLock(payment.id, async (locked, trxRepo) => {
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
          // The caller sends the news, after this transaction has committed.
          const ok = await trxRepo.markComplete(locked.id, hash, verdict);
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
  }

  return { issueInvoice, refresh };
}
