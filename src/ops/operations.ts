/**
 * The operators' side of the site, built once at boot: webhook endpoint pages (src/webhooks) and
 * the node page with its liquidity warning (src/ops). createApp mounts the one router this returns.
 */
import { Router } from 'express';
import type { Knex } from 'knex';
import type { Logger } from '../logger';
import { createWebhookEndpointsRepo, type WebhookEndpointsRepo } from '../webhooks/endpoints-repo';
import { createWebhooksAdminRouter } from '../webhooks/webhooks-admin-router';
import { createNodePageRouter } from './node-page-router';
import type { NodeMonitor } from './node-monitor';

export interface OperationsDeps {
  knex: Knex;
  logger: Logger;
  /** Wakes this process's webhook worker (admin actions that queue a delivery). */
  wakeWebhooks?: () => void;
  /** The node page and the low-inbound banner; absent, neither is shown. */
  monitor?: NodeMonitor;
}

export interface Operations {
  router: Router;
  webhooks: WebhookEndpointsRepo;
}

export function createOperations(deps: OperationsDeps): Operations {
  const webhooks = createWebhookEndpointsRepo(deps.knex);
  const router = Router();
  if (deps.monitor) router.use(createNodePageRouter({ monitor: deps.monitor }));
  router.use(createWebhooksAdminRouter({ webhooks, logger: deps.logger.child({ component: 'webhooks-admin' }), wake: deps.wakeWebhooks }));
  return { router, webhooks };
}
