/** Small formatting helpers available in every view. */

/** 1234567 -> "1,234,567 sats" (as toLocaleString('en-US') writes it, at a fraction of its cost per call). */
export function formatSats(n: number): string {
  const digits = Number.isSafeInteger(n) ? String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : Math.abs(n).toLocaleString('en-US');
  return `${n < 0 ? '-' : ''}${digits} sat${n === 1 ? '' : 's'}`;
}

export function timeAgo(date: Date, now: Date = new Date()): string {
  const s = Math.max(0, Math.round((now.getTime() - date.getTime()) / 1000));
  if (s < 60) return 'just now';
  const units: Array<[number, string]> = [
    [60 * 60 * 24 * 365, 'year'],
    [60 * 60 * 24 * 30, 'month'],
    [60 * 60 * 24, 'day'],
    [60 * 60, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, name] of units) {
    const n = Math.floor(s / size);
    if (n >= 1) return `${n} ${name}${n === 1 ? '' : 's'} ago`;
  }
  return 'just now';
}

/** "≈ €0.85" beside a price when the site shows a fiat currency; createApp replaces this with the live rate. */
export const noFiat = (_sats: number): string => '';

/** 1234567 -> "1,234,567": a count with thousands separators. */
export function formatCount(n: number): string {
  return Number.isSafeInteger(n) ? String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : n.toLocaleString('en-US');
}

export const viewHelpers = { formatSats, formatCount, timeAgo, approxFiat: noFiat };
