/**
 * Several sources' prices made one: the median, after dropping prices more than `maxSpread` (2 %)
 * away from it when at least three answered (one source gone wrong cannot move the price).
 */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function combineRates(values: number[], maxSpread = 0.02): { rate: number; used: number[]; dropped: number[] } | null {
  if (values.length === 0) return null;
  if (values.length < 3) return { rate: median(values), used: values, dropped: [] };
  const m = median(values);
  const used = values.filter((v) => Math.abs(v - m) / m <= maxSpread);
  const dropped = values.filter((v) => !used.includes(v));
  return { rate: median(used), used, dropped };
}
