/** FIAT_CURRENCY and the price sources, read by config.ts. No currency: no fiat anywhere. */
import { isCurrencyCode } from './fiat-money';
import { DEFAULT_SOURCES, PRICE_SOURCE_NAMES, type PriceSourceName } from './price-sources';

export interface PriceConfig {
  currency: string | null;
  sources: Array<{ name: PriceSourceName; url: string }>;
  timeoutMs: number;
  refreshMs: number;
  maxAgeMs: number;
}

export function loadPriceConfig(
  str: (n: string) => string | undefined,
  int: (n: string, f: number, min: number, max: number) => number,
  problems: string[],
): PriceConfig {
  const raw = str('FIAT_CURRENCY');
  const currency = raw ? raw.toUpperCase() : null;
  if (currency && !isCurrencyCode(currency))
    problems.push(`FIAT_CURRENCY must be a three-letter currency code such as EUR or USD (got "${raw}")`);
  const names = (str('PRICE_SOURCES') ?? PRICE_SOURCE_NAMES.join(','))
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const unknown = names.filter((n) => !(PRICE_SOURCE_NAMES as readonly string[]).includes(n));
  if (unknown.length) problems.push(`PRICE_SOURCES may name ${PRICE_SOURCE_NAMES.join(', ')} (got "${unknown.join(', ')}")`);
  const sources = names
    .filter((n): n is PriceSourceName => (PRICE_SOURCE_NAMES as readonly string[]).includes(n))
    .map((name) => {
      const url = str(`PRICE_URL_${name.toUpperCase()}`) ?? DEFAULT_SOURCES[name].urlTemplate;
      if (!/^https?:\/\//.test(url)) problems.push(`PRICE_URL_${name.toUpperCase()} must be an http(s) URL`);
      return { name, url };
    });
  return {
    currency,
    sources,
    timeoutMs: int('PRICE_TIMEOUT_MS', 3000, 100, 30_000),
    refreshMs: int('PRICE_REFRESH_SECONDS', 60, 5, 86_400) * 1000,
    maxAgeMs: int('PRICE_MAX_AGE_SECONDS', 900, 10, 7 * 86_400) * 1000,
  };
}
