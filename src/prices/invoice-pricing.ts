/**
 * The sats of a newly issued view payment. An article priced in fiat is converted at the current
 * rate, and the rate is kept with the payment; without a fresh rate it costs the sats it was
 * converted to when its writer saved it. The payment's sats then stay fixed: every invoice of the
 * payment (a renewed one after expiry too) and the page show that same amount.
 */
import type { PayableArticle } from '../payments/payable-article';
import type { FiatQuote } from '../payments/payments-repo';
import type { PriceFeed } from './price-feed';

export function createInvoicePricing(feed: PriceFeed | null) {
  return (article: PayableArticle): { amountSat: number; fiat: FiatQuote | null } => {
    const fiat = article.priceFiat;
    if (fiat && feed && fiat.currency === feed.currency) {
      const quote = feed.toSats(fiat.minor);
      if (quote) return { amountSat: quote.sats, fiat: { currency: fiat.currency, minor: fiat.minor, rate: quote.rate.rate } };
    }
    return { amountSat: article.priceSat, fiat: null };
  };
}
