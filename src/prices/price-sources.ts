/**
 * Public BTC price sources, each read in its documented format. URLs are templates ({cur} lower
 * case, {CUR} upper case) and can be replaced (PRICE_URL_<SOURCE>), so tests point them at local
 * servers. parse() returns the price of one bitcoin in the currency, or throws on anything else.
 */
export type PriceSourceName = 'kraken' | 'coinbase' | 'bitstamp' | 'coingecko';
export const PRICE_SOURCE_NAMES: readonly PriceSourceName[] = ['kraken', 'coinbase', 'bitstamp', 'coingecko'];

export interface PriceSource {
  name: PriceSourceName;
  urlTemplate: string;
  parse(body: unknown, currency: string): number;
}

const num = (v: unknown, what: string): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${what} is not a positive number`);
  return n;
};
const obj = (v: unknown, what: string): Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${what} is missing`);
  return v as Record<string, unknown>;
};

export const DEFAULT_SOURCES: Record<PriceSourceName, PriceSource> = {
  // {"error":[],"result":{"XXBTZEUR":{"c":["61234.5","0.01"],...}}}: c[0] is the last trade.
  kraken: {
    name: 'kraken',
    urlTemplate: 'https://api.kraken.com/0/public/Ticker?pair=XBT{CUR}',
    parse(body) {
      const b = obj(body, 'the response');
      if (Array.isArray(b.error) && b.error.length > 0) throw new Error(`Kraken says: ${b.error.join(', ')}`);
      const result = obj(b.result, 'result');
      const pairs = Object.values(result);
      if (pairs.length !== 1) throw new Error('result holds no single pair');
      const c = obj(pairs[0], 'the pair').c;
      if (!Array.isArray(c)) throw new Error('c (last trade) is missing');
      return num(c[0], 'c[0]');
    },
  },
  // {"data":{"amount":"61234.56","base":"BTC","currency":"EUR"}}
  coinbase: {
    name: 'coinbase',
    urlTemplate: 'https://api.coinbase.com/v2/prices/BTC-{CUR}/spot',
    parse(body, currency) {
      const data = obj(obj(body, 'the response').data, 'data');
      if (typeof data.currency === 'string' && data.currency.toUpperCase() !== currency)
        throw new Error(`price in ${data.currency}, not ${currency}`);
      return num(data.amount, 'data.amount');
    },
  },
  // {"last":"61234","bid":...,"ask":...,"timestamp":"..."}
  bitstamp: {
    name: 'bitstamp',
    urlTemplate: 'https://www.bitstamp.net/api/v2/ticker/btc{cur}/',
    parse(body) {
      return num(obj(body, 'the response').last, 'last');
    },
  },
  // {"bitcoin":{"eur":61234}}
  coingecko: {
    name: 'coingecko',
    urlTemplate: 'https://api.coingecko.com/api/v3/simple/price?ids=bitcoin&vs_currencies={cur}',
    parse(body, currency) {
      return num(obj(obj(body, 'the response').bitcoin, 'bitcoin')[currency.toLowerCase()], `bitcoin.${currency.toLowerCase()}`);
    },
  },
};

export const sourceUrl = (template: string, currency: string) =>
  template.replace(/\{cur\}/g, currency.toLowerCase()).replace(/\{CUR\}/g, currency.toUpperCase());
