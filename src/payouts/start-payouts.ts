/**
 * Builds the payouts of one site process: the router client on the node's connection, the service,
 * the worker; writes the ledger's settings (fee percent, upvote split) so the database's credit
 * function uses the configured ones. server.ts calls this once; tests build the same parts.
 */
import type { Knex } from 'knex';
import type { Logger } from '../logger';
import type { LightningNode } from '../lightning/types';
import { createLndRouterClient, type PaymentSender } from '../lightning/lnd-router-client';
import type { NodeConnection } from '../lightning/load-node-config';
import { createPayoutsService, type PayoutsService } from './payouts-service';
import { createPayoutWorker, type PayoutWorker } from './payout-worker';
import type { PayoutConfig } from './payout-config';
import type { WithdrawalHooks } from './withdrawals-repo';

export interface Payouts {
  service: PayoutsService;
  worker: PayoutWorker;
  sender: PaymentSender;
  close(): Promise<void>;
}

export async function startPayouts(deps: {
  knex: Knex;
  node: Pick<LightningNode, 'getInfo'>;
  connection?: NodeConnection;
  sender?: PaymentSender;
  config: PayoutConfig;
  logger: Logger;
  hooks?: WithdrawalHooks;
  /** Start the worker's timer (default true). */
  autoStart?: boolean;
}): Promise<Payouts> {
  const logger = deps.logger.child({ component: 'payouts' });
  const sender = deps.sender ?? createLndRouterClient({ ...(deps.connection as NodeConnection), logger });
  const service = createPayoutsService({ knex: deps.knex, node: deps.node, sender, config: deps.config, logger, hooks: deps.hooks });
  await service.ledger.writeLedgerSettings(deps.config);
  const worker = createPayoutWorker({ payouts: service, logger, intervalMs: deps.config.reconcileSeconds * 1000 });
  if (deps.autoStart !== false) worker.start();
  return {
    service,
    worker,
    sender,
    async close() {
      // Payments still on their way are not waited for: they are open rows, tracked at the next start.
      await worker.stop();
      sender.close();
    },
  };
}
