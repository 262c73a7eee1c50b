/**
 * The one place that decides what a newly issued view invoice asks. Every invoice the site issues
 * for reading an article (the first one, a replacement after expiry or a cancel, one after an
 * error) asks what this returns at that moment; the amount is stored on the invoice's row and on
 * the payment, and the page shows exactly that. An invoice already issued keeps its amount: if it
 * is paid, the payment completes (the reader paid what was asked at the time).
 *
 * Extension point: fiat-priced articles convert here (hence the Promise).
 */
import type { PayableArticle } from './payable-article';

export async function priceForNewInvoice(article: Pick<PayableArticle, 'priceSat'>): Promise<number> {
  return article.priceSat;
}

/**
 * Whether the open invoice a reader holds asks another amount than a new one would, so that the
 * reader gets a fresh invoice at the current price instead of paying the old one.
 */
export function askedPriceIsStale(article: Pick<PayableArticle, 'priceSat'>, askedSat: number): boolean {
  return article.priceSat !== askedSat;
}
