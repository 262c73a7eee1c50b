/**
 * The one place that decides what a newly issued view invoice asks. Every invoice the site issues
 * for reading an article (the first one, a replacement after expiry or a cancel, one after an
 * error) asks what this returns at that moment; the amount is stored on the invoice's row and on
 * the payment, and the page shows exactly that. An invoice already issued keeps its amount: if it
 * is paid, the payment completes (the reader paid what was asked at the time).
 *
 * An article priced in fiat is converted by `priceFor` (src/prices/invoice-pricing.ts) at the
 * current rate; without one, or without a fresh rate, it costs its sats price.
 */
import type { PayableArticle } from './payable-article';
import type { FiatQuote } from './payments-repo';

export interface PriceQuote {
  amountSat: number;
  /** The fiat price and the rate used, when the article is priced in fiat and a rate was fresh. */
  fiat: FiatQuote | null;
}
export type PriceFor = (article: PayableArticle) => PriceQuote;

export function quoteForNewInvoice(article: PayableArticle, priceFor?: PriceFor): PriceQuote {
  return priceFor?.(article) ?? { amountSat: article.priceSat, fiat: null };
}

/**
 * Whether the open invoice a reader holds asks another amount than a new one would, so that the
 * reader gets a fresh invoice at the current price instead of paying the old one. A fiat-priced
 * article's sats move with the rate: its open invoice is kept until it expires (replacing it on
 * every small move of the rate would leave a reader paying an invoice that keeps changing).
 */
export function askedPriceIsStale(article: Pick<PayableArticle, 'priceSat' | 'priceFiat'>, askedSat: number): boolean {
  if (article.priceFiat) return false;
  return article.priceSat !== askedSat;
}
