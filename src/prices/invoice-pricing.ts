/**
 * The sats of a newly issued view invoice. An article priced in fiat is converted at the current
 * rate, and the fiat price and rate are kept with that invoice (payment_invoices) and, once it is
 * paid, with the payment; without a fresh rate it costs the sats it was converted to when its
 * writer saved it. Each invoice keeps the sats it asked: the invoice, the payment and the page
 * show that amount.
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
