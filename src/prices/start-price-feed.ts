/** The process's price feed when FIAT_CURRENCY is set (null otherwise), fetching in the background. */
import type { Logger } from '../lib/logger';
import type { PriceConfig } from './price-config';
import { createPriceFeed, type PriceFeed } from './price-feed';
import { DEFAULT_SOURCES } from './price-sources';

export function startPriceFeed(config: PriceConfig, logger: Logger): PriceFeed | null {
  if (!config.currency || config.sources.length === 0) return null;
  const feed = createPriceFeed({
    currency: config.currency,
    sources: config.sources.map((s) => ({ ...DEFAULT_SOURCES[s.name], url: s.url })),
    timeoutMs: config.timeoutMs,
    refreshMs: config.refreshMs,
    maxAgeMs: config.maxAgeMs,
    logger,
  });
  feed.start();
  return feed;
}
