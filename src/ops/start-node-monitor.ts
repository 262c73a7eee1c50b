/** The node monitor for a process, reaching the node through the same settings as the site's client. */
import type { Knex } from 'knex';
import type { Logger } from '../logger';
import { loadNodeConfig, type NodeSettings } from '../lightning/load-node-config';
import { createNodeOverviewClient, type NodeOverviewClient } from '../lightning/node-overview-client';
import type { WatcherStatus } from '../payments/invoice-watcher';
import { createNodeMonitor, type NodeMonitor } from './node-monitor';

export function startNodeMonitor(deps: {
  settings: NodeSettings;
  knex: Knex;
  logger: Logger;
  lowInboundArticlePrices: number;
  watcherStatus?: () => WatcherStatus | undefined;
}): { monitor: NodeMonitor; overview: NodeOverviewClient } {
  const connection = loadNodeConfig(deps.settings);
  const overview = createNodeOverviewClient({ ...connection, logger: deps.logger });
  const monitor = createNodeMonitor({ overview, knex: deps.knex, logger: deps.logger, lowInboundArticlePrices: deps.lowInboundArticlePrices, watcherStatus: deps.watcherStatus });
  return { monitor, overview };
}
