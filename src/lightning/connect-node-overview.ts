/** The operators' node client, reaching the node through the same settings as the site's client. */
import type { Logger } from '../lib/logger';
import { loadNodeConfig, type NodeSettings } from './load-node-config';
import { createNodeOverviewClient, type NodeOverviewClient } from './node-overview-client';

export function connectNodeOverview(settings: NodeSettings, logger: Logger): NodeOverviewClient {
  return createNodeOverviewClient({ ...loadNodeConfig(settings), logger });
}
