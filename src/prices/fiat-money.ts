/**
 * Fiat amounts in minor units (cents) and their conversion to sats. A rate is the price of one
 * bitcoin in the currency; conversion rounds up to the next sat so the writer never gets less.
 */

/**
 * A currency's digits and its formatter, built once per currency: building an Intl.NumberFormat
 * costs about 30 us, and approxFiat runs for every price on a page (20 on a home page).
 */
const currencies = new Map<string, { digits: number; format: Intl.NumberFormat }>();
function currencyFormat(currency: string): { digits: number; format: Intl.NumberFormat } {
  let known = currencies.get(currency);
  if (!known) {
    const digits = new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    known = { digits, format: new Intl.NumberFormat('en-US', { style: 'currency', currency, minimumFractionDigits: digits }) };
    currencies.set(currency, known);
  }
  return known;
}

export const fractionDigits = (currency: string): number => currencyFormat(currency).digits;

export function isCurrencyCode(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  try {
    new Intl.NumberFormat('en-US', { style: 'currency', currency: code });
    return true;
  } catch {
    return false;
  }
}

/** The rate as an integer number of minor units per bitcoin, so conversions are exact integer math. */
const rateMinor = (rate: number, currency: string) => BigInt(Math.round(rate * 10 ** fractionDigits(currency)));

export function fiatToSats(minor: number, currency: string, rate: number): number {
  const r = rateMinor(rate, currency);
  if (r <= 0n) throw new Error('the rate must be positive');
  return Number((BigInt(minor) * 100_000_000n + r - 1n) / r);
}

export function formatFiat(minor: number, currency: string): string {
  const { digits, format } = currencyFormat(currency);
  return format.format(minor / 10 ** digits);
}

/** "≈ €0.85" for `sats` at `rate`. */
export function approxFiat(sats: number, currency: string, rate: number): string {
  const digits = fractionDigits(currency);
  const minor = Math.round((sats * rate * 10 ** digits) / 100_000_000);
  return `≈ ${formatFiat(minor, currency)}`;
}

/** "0.85" or "1,234.5" typed by a writer, in minor units; null when it is not an amount. */
export function parseFiat(text: string, currency: string): number | null {
  const digits = fractionDigits(currency);
  const t = text.trim().replace(/,/g, '');
  const m = new RegExp(`^(\\d{1,9})(?:\\.(\\d{1,${Math.max(digits, 1)}}))?$`).exec(t);
  if (!m || (digits === 0 && m[2])) return null;
  return Number(m[1]) * 10 ** digits + Number((m[2] ?? '').padEnd(digits, '0') || 0);
}
