/**
 * The one place that tells the world a payment is complete: one log line and the news for open
 * pages (src/payments/payment-events.ts). Called only by the code that moved the payment to
 * complete (its compare-and-set returned true), after the transaction committed, so the news goes
 * out exactly once per payment whichever path completed it (stream, sweep or a reader's check).
 */
import type { Logger } from '../lib/logger';
import type { Payment } from './payments-repo';
import type { PaymentEvents } from './payment-events';

export type CompletedVia = 'stream' | 'sweep' | 'check';

export function announceCompletion(
  events: PaymentEvents,
  logger: Logger,
  payment: Pick<Payment, 'id' | 'userId' | 'articleId' | 'purpose'>,
  amountPaidSat: number | null,
  via: CompletedVia,
): void {
  logger.info('payment complete', { paymentId: payment.id, articleId: payment.articleId, purpose: payment.purpose, amountPaidSat, via });
  events.completed({ paymentId: payment.id, userId: payment.userId, articleId: payment.articleId, purpose: payment.purpose });
}
