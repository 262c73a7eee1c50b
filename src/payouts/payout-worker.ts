/**
 * The payout worker: at start and every PAYOUT_RECONCILE_SECONDS, finishes open withdrawals
 * (TrackPaymentV2; a requested one the node never saw is sent) and starts automatic withdrawals.
 * Runs in every process: each step is a compare-and-set, and the node refuses a second payment of one
 * hash, so two workers never pay twice. A tick never overlaps the previous one.
 */
import type { Logger } from '../lib/logger';
import type { PayoutsService } from './payouts-service';
import { createPeriodicTask } from '../lib/periodic-task';

export interface PayoutWorker {
  start(): void;
  /** One tick now (tests, and after the node answers again). */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

export function createPayoutWorker(deps: { payouts: PayoutsService; logger: Logger; intervalMs: number }): PayoutWorker {
  const task = createPeriodicTask(async () => {
    try {
      await deps.payouts.reconcile();
      await deps.payouts.autoWithdraw();
    } catch (err) {
      deps.logger.warn('payout tick failed; the next one tries again', { error: err });
    }
  }, deps.intervalMs);
  return { start: task.start, tick: task.tick, stop: task.stop };
}
