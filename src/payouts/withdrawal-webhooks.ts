/**
 * withdrawal.succeeded / withdrawal.failed for webhook endpoints: written to the outbox inside the
 * transaction that records the withdrawal's outcome (WithdrawalHooks), so no outcome goes untold.
 */
import { enqueueWebhookEvent } from '../webhooks/outbox';
import type { Withdrawal, WithdrawalHooks } from './withdrawals-repo';

function withdrawalData(w: Withdrawal) {
  return {
    withdrawalId: w.id,
    userId: w.userId,
    via: w.via,
    lightningAddress: w.lightningAddress,
    amountSat: w.amountSat,
    feeSat: w.feeSat,
    paymentHash: w.paymentHash,
    failureReason: w.failureReason,
    automatic: w.automatic,
    requestedAt: w.createdAt.toISOString(),
    finishedAt: w.finishedAt ? w.finishedAt.toISOString() : null,
  };
}

export const withdrawalWebhooks: WithdrawalHooks = {
  async succeeded(trx, w) {
    await enqueueWebhookEvent(trx, 'withdrawal.succeeded', withdrawalData(w));
  },
  async failed(trx, w) {
    await enqueueWebhookEvent(trx, 'withdrawal.failed', withdrawalData(w));
  },
};
