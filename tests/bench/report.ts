/** The figures of one run: a table on stdout and JSON for tests/bench/results/latest.json. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** value divided by the same figure of the minimal Express app (the limit), where one applies. */
  ratioToLimit?: number;
  /** The goal this figure is held to, in words, and whether this run met it. */
  goal?: string;
  met?: boolean;
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function formatTable(figures: Figure[]): string {
  const rows = figures.map((f) => [
    f.name,
    `${round(f.value)} ${f.unit}`,
    f.ratioToLimit === undefined ? '' : `${round(f.ratioToLimit)}x`,
    f.goal === undefined ? '' : `${f.met ? 'met' : 'MISSED'}: ${f.goal}`,
  ]);
  const head = ['figure', 'value', 'vs limit', 'goal'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
