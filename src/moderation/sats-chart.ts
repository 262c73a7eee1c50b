/**
 * Sats earned per day as an SVG bar chart, rendered on the server so it reads without JavaScript.
 * Accessible: role="img" with a <title> and <desc> naming the total and the best day; each bar
 * has its own <title> (a tooltip and a label); the page also shows the numbers as a table.
 * No inline styles (the CSP forbids them): colours are presentation attributes and CSS classes
 * (site.css draws the bars in the site's accent and the axes in its muted colour, light and dark).
 * Drawn for a width: the page carries a wide and a narrow one (CSS shows the one that fits), so
 * the axis labels stay about 12 px tall on a phone as on a desktop, with thousands separators
 * and units ("1,250 sats") and a round top value.
 */
import type { DayTotal } from './dashboard-repo';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (n: number) => n.toLocaleString('en-US');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-11-19" as "Nov 19". */
const shortDay = (day: string) => {
  const m = /^\d{4}-(\d{2})-(\d{2})$/.exec(day);
  return m ? `${MONTHS[Number(m[1]) - 1] ?? m[1]} ${Number(m[2])}` : day;
};

/** The smallest round number (1, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten) at or above `n`; at least 1. */
export function niceCeiling(n: number): number {
  if (n <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    const candidate = step * power;
    if (candidate >= n && Number.isInteger(candidate)) return candidate;
  }
  return 10 * power;
}

export interface ChartOptions {
  width?: number;
  height?: number;
  id?: string;
  /** The narrow drawing (phones): fewer day labels. Adds the class chart-narrow (else chart-wide). */
  narrow?: boolean;
}

export function renderSatsChart(days: DayTotal[], options: ChartOptions = {}): string {
  const narrow = options.narrow ?? false;
  const width = options.width ?? (narrow ? 360 : 960);
  const height = options.height ?? (narrow ? 220 : 280);
  const id = options.id ?? 'sats-chart';
  const max = Math.max(0, ...days.map((d) => d.sats));
  const top = niceCeiling(max);
  // Nothing earned: the zero line alone (a "1 sat" top would suggest a scale there is not).
  const ticks = max === 0 ? [0] : [0, top / 2, top].filter((v) => Number.isInteger(v));
  const sats = (v: number) => `${fmt(v)} ${v === 1 ? 'sat' : 'sats'}`;
  const longest = Math.max(...ticks.map((v) => sats(v).length));
  const pad = { top: 14, right: 10, bottom: 30, left: Math.round(longest * 7 + 12) };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const total = days.reduce((s, d) => s + d.sats, 0);
  const best = days.reduce<DayTotal | null>((b, d) => (b === null || d.sats > b.sats ? d : b), null);
  const first = days[0]?.day ?? '';
  const last = days[days.length - 1]?.day ?? '';
  const slot = days.length > 0 ? plotW / days.length : plotW;
  const barW = Math.max(1, slot * 0.7);
  const yOf = (v: number) => pad.top + plotH - (v / top) * plotH;

  const grid = ticks
    .map((v) => {
      const y = yOf(v).toFixed(1);
      const line =
        v === 0
          ? `<line class="chart-axis" x1="${pad.left}" y1="${y}" x2="${width - pad.right}" y2="${y}" stroke="currentColor" stroke-width="1"/>`
          : `<line class="chart-grid" x1="${pad.left}" y1="${y}" x2="${width - pad.right}" y2="${y}" stroke="currentColor" stroke-width="1"/>`;
      return `${line}<text x="${pad.left - 6}" y="${(yOf(v) + 4).toFixed(1)}" text-anchor="end" font-size="12" fill="currentColor">${sats(v)}</text>`;
    })
    .join('');
  const bars = days
    .map((d, i) => {
      const h = (d.sats / top) * plotH;
      const x = pad.left + i * slot + (slot - barW) / 2;
      const y = pad.top + plotH - h;
      return `<rect class="chart-bar" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="currentColor"><title>${esc(d.day)}: ${fmt(d.sats)} sats</title></rect>`;
    })
    .join('');
  // Day labels: first, middle and last on a phone; about one a week on a wide screen.
  const every = narrow ? Math.max(1, Math.floor((days.length - 1) / 2)) : Math.max(1, Math.ceil(days.length / 6));
  const labelled = days.map((_, i) => i).filter((i) => i % every === 0 || i === days.length - 1);
  // The last label wins over one too close before it.
  const shown = labelled.filter((i, k) => k === labelled.length - 1 || labelled[labelled.length - 1] - i >= every * 0.6);
  const labels = shown
    .map((i) => {
      const x = pad.left + i * slot + slot / 2;
      const anchor = i === 0 ? 'start' : i === days.length - 1 ? 'end' : 'middle';
      const ax = anchor === 'start' ? pad.left : anchor === 'end' ? width - pad.right : x;
      return `<text x="${ax.toFixed(1)}" y="${height - 10}" text-anchor="${anchor}" font-size="12" fill="currentColor">${esc(shortDay(days[i].day))}</text>`;
    })
    .join('');
  const empty =
    max === 0
      ? `<text x="${(pad.left + plotW / 2).toFixed(1)}" y="${(pad.top + plotH / 2).toFixed(1)}" text-anchor="middle" font-size="14" fill="currentColor">No sats earned in these ${days.length} days</text>`
      : '';
  const summary =
    best && best.sats > 0
      ? `${fmt(total)} sats earned from ${esc(first)} to ${esc(last)}; the best day was ${esc(best.day)} with ${fmt(best.sats)} sats.`
      : `No sats earned from ${esc(first)} to ${esc(last)}.`;

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart ${narrow ? 'chart-narrow' : 'chart-wide'}" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="${id}-title ${id}-desc">`,
    `<title id="${id}-title">Sats earned per day, last ${days.length} days</title>`,
    `<desc id="${id}-desc">${summary}</desc>`,
    grid,
    `<line class="chart-axis" x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${pad.top + plotH}" stroke="currentColor" stroke-width="1"/>`,
    bars,
    labels,
    empty,
    '</svg>',
  ].join('\n');
}
