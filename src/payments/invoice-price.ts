/**
 * The one place that decides what a newly issued view invoice asks. Every invoice the site issues
 * for reading an article (the first one, a replacement after expiry or a cancel, one after an
 * error) asks what this returns at that moment; the amount is stored on the invoice's row and on
 * the payment, and the page shows exactly that. An invoice already issued keeps its amount: if it
 * is paid, the payment completes (the reader paid what was asked at the time), and the payment
 * records that invoice's amount and rate (each invoice keeps its own, payment_invoices).
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
 * Whether the open invoice a reader holds asks another price than a new one would, so that the
 * reader gets a fresh invoice at the current price instead of paying the old one. A fiat-priced
 * article's sats move with the rate: its open invoice is kept while its fiat price is the
 * article's (replacing it on every small move of the rate would leave a reader paying an invoice
 * that keeps changing), and replaced when the writer changed that price.
 */
export function askedPriceIsStale(
  article: Pick<PayableArticle, 'priceSat' | 'priceFiat'>,
  asked: { amountSat: number; fiat: FiatQuote | null },
): boolean {
  const { priceFiat } = article;
  if (!priceFiat) return asked.fiat !== null || article.priceSat !== asked.amountSat;
  // Issued without a fresh rate, it asked the sats the writer's price was worth when saved.
  if (!asked.fiat) return article.priceSat !== asked.amountSat;
  return asked.fiat.currency !== priceFiat.currency || asked.fiat.minor !== priceFiat.minor;
}
