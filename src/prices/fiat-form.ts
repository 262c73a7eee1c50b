/**
 * The writer's optional fiat price. When given, it decides the article's sats price (converted now,
 * kept as the price to fall back on) and is stored to be converted again for each new payment.
 */
import type { ArticleForm } from '../articles/article-form';
import { formatFiat, parseFiat } from './fiat-money';
import type { PriceFeed } from './price-feed';

export function applyFiatPrice(
  form: ArticleForm & { fiatText?: string },
  body: unknown,
  feed: PriceFeed | null | undefined,
  bounds: { min: number; max: number },
): void {
  if (!feed) return;
  const raw = (body as Record<string, unknown> | undefined)?.priceFiat;
  const text = typeof raw === 'string' ? raw.trim() : '';
  form.fiatText = text;
  if (!text) return;
  const refuse = (message: string) => {
    form.fieldErrors.priceFiat = message;
    form.errors = Object.values(form.fieldErrors) as string[];
  };
  const minor = parseFiat(text, feed.currency);
  if (minor === null || minor <= 0) {
    refuse(`The price in ${feed.currency} must be an amount such as 0.85, or left empty to price in sats.`);
    return;
  }
  const quote = feed.toSats(minor);
  if (!quote) {
    refuse(`There is no ${feed.currency} exchange rate right now: give the price in sats, or try again in a few minutes.`);
    return;
  }
  if (quote.sats < bounds.min || quote.sats > bounds.max) {
    refuse(
      `${formatFiat(minor, feed.currency)} is ${quote.sats.toLocaleString('en-US')} sats today; the price must be from ${bounds.min.toLocaleString('en-US')} to ${bounds.max.toLocaleString('en-US')} sats.`,
    );
    return;
  }
  // The sats field's own complaint (if any) no longer applies: the fiat price decides.
  delete form.fieldErrors.priceSat;
  form.errors = Object.values(form.fieldErrors) as string[];
  form.draft.priceSat = quote.sats;
  form.priceText = String(quote.sats);
  form.draft.priceFiat = { minor, currency: feed.currency };
}

/** The fiat field's value for the edit form of a saved article. */
export const fiatTextOf = (priceFiat: { minor: number; currency: string } | null, feed: PriceFeed | null | undefined): string =>
  priceFiat && feed && priceFiat.currency === feed.currency
    ? formatFiat(priceFiat.minor, priceFiat.currency)
        .replace(/[^\d.,]/g, '')
        .replace(/,/g, '')
    : '';
