/**
 * The fiat rate, fetched in the background from every configured source at once (each with a
 * deadline), combined (combine-rates.ts) and kept in memory. Pages only read the kept rate: none
 * ever waits for a source. A rate older than maxAge is not shown or used at all.
 */
import type { Logger } from '../lib/logger';
import { combineRates } from './combine-rates';
import { approxFiat, fiatToSats } from './fiat-money';
import { sourceUrl, type PriceSource } from './price-sources';

export interface Rate {
  currency: string;
  /** Price of one bitcoin in `currency`. */
  rate: number;
  at: Date;
  sources: string[];
}

export interface PriceFeedOptions {
  currency: string;
  sources: Array<PriceSource & { url: string }>;
  timeoutMs: number;
  refreshMs: number;
  maxAgeMs: number;
  logger: Logger;
  now?: () => Date;
  maxBodyBytes?: number;
}

export interface PriceFeed {
  currency: string;
  /** The kept rate if it is fresh enough, else null. */
  current(): Rate | null;
  /** Asks every source now; keeps and returns the combined rate (null if none answered usefully). */
  refresh(): Promise<Rate | null>;
  /** "≈ €0.85", or '' when there is no fresh rate. */
  approx(sats: number): string;
  /** `minor` units of the currency in sats at the fresh rate, with that rate; null without one. */
  toSats(minor: number): { sats: number; rate: Rate } | null;
  start(): void;
  stop(): void;
}

export function createPriceFeed(options: PriceFeedOptions): PriceFeed {
  const now = options.now ?? (() => new Date());
  const maxBody = options.maxBodyBytes ?? 64 * 1024;
  let kept: Rate | null = null;
  let timer: NodeJS.Timeout | null = null;

  async function ask(source: PriceSource & { url: string }): Promise<number> {
    const res = await fetch(sourceUrl(source.url, options.currency), {
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: 'error',
      headers: { accept: 'application/json', 'user-agent': 'LightningReads-Prices/1' },
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const text = await res.text();
    if (text.length > maxBody) throw new Error('the answer is too large');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error('the answer is not JSON');
    }
    return source.parse(body, options.currency);
  }

  const feed: PriceFeed = {
    currency: options.currency,
    current() {
      if (!kept || now().getTime() - kept.at.getTime() > options.maxAgeMs) return null;
      return kept;
    },
    async refresh() {
      const answers = await Promise.allSettled(options.sources.map((s) => ask(s)));
      const good: Array<{ name: string; value: number }> = [];
      answers.forEach((a, i) => {
        const name = options.sources[i].name;
        if (a.status === 'fulfilled') good.push({ name, value: a.value });
        else
          options.logger.warn('price source failed', {
            source: name,
            error: a.reason instanceof Error ? a.reason.message : String(a.reason),
          });
      });
      const combined = combineRates(good.map((g) => g.value));
      if (!combined) return null;
      if (combined.dropped.length)
        options.logger.warn('price sources disagree; outliers dropped', {
          dropped: good.filter((g) => combined.dropped.includes(g.value)).map((g) => g.name),
        });
      kept = {
        currency: options.currency,
        rate: combined.rate,
        at: now(),
        sources: good.filter((g) => combined.used.includes(g.value)).map((g) => g.name),
      };
      return kept;
    },
    approx(sats) {
      const r = feed.current();
      return r ? approxFiat(sats, r.currency, r.rate) : '';
    },
    toSats(minor) {
      const r = feed.current();
      return r ? { sats: fiatToSats(minor, r.currency, r.rate), rate: r } : null;
    },
    start() {
      const tick = () => {
        void feed.refresh().finally(() => {
          if (timer) timer = setTimeout(tick, options.refreshMs);
        });
      };
      timer = setTimeout(tick, 0);
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
  return feed;
}
