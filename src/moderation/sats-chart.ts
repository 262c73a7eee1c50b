/**
 * Sats earned per day as an SVG bar chart, rendered on the server so it reads without JavaScript.
 * Accessible: role="img" with a <title> and <desc> naming the total and the best day; each bar
 * has its own <title> (a tooltip and a label); the page also shows the numbers as a table.
 * No inline styles (the CSP forbids them): colours are presentation attributes and CSS classes.
 */
import type { DayTotal } from './dashboard-repo';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (n: number) => n.toLocaleString('en-US');

export function renderSatsChart(days: DayTotal[], options: { width?: number; height?: number; id?: string } = {}): string {
  const width = options.width ?? 720;
  const height = options.height ?? 240;
  const id = options.id ?? 'sats-chart';
  const pad = { top: 16, right: 12, bottom: 36, left: 64 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const max = Math.max(0, ...days.map((d) => d.sats));
  const scaleMax = max === 0 ? 1 : max;
  const total = days.reduce((s, d) => s + d.sats, 0);
  const best = days.reduce<DayTotal | null>((b, d) => (b === null || d.sats > b.sats ? d : b), null);
  const first = days[0]?.day ?? '';
  const last = days[days.length - 1]?.day ?? '';
  const slot = days.length > 0 ? plotW / days.length : plotW;
  const barW = Math.max(1, slot * 0.7);

  const bars = days
    .map((d, i) => {
      const h = (d.sats / scaleMax) * plotH;
      const x = pad.left + i * slot + (slot - barW) / 2;
      const y = pad.top + plotH - h;
      return `<rect class="chart-bar" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="currentColor"><title>${esc(d.day)}: ${fmt(d.sats)} sats</title></rect>`;
    })
    .join('');
  const labels = [0, Math.floor((days.length - 1) / 2), days.length - 1]
    .filter((i, k, all) => i >= 0 && all.indexOf(i) === k)
    .map((i) => {
      const x = pad.left + i * slot + slot / 2;
      return `<text x="${x.toFixed(1)}" y="${height - 12}" text-anchor="middle" font-size="12" fill="currentColor">${esc(days[i].day.slice(5))}</text>`;
    })
    .join('');
  const summary =
    best && best.sats > 0
      ? `${fmt(total)} sats earned from ${esc(first)} to ${esc(last)}; the best day was ${esc(best.day)} with ${fmt(best.sats)} sats.`
      : `No sats earned from ${esc(first)} to ${esc(last)}.`;

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="${id}-title ${id}-desc">`,
    `<title id="${id}-title">Sats earned per day, last ${days.length} days</title>`,
    `<desc id="${id}-desc">${summary}</desc>`,
    `<line x1="${pad.left}" y1="${pad.top + plotH}" x2="${width - pad.right}" y2="${pad.top + plotH}" stroke="currentColor" stroke-width="1"/>`,
    `<line x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${pad.top + plotH}" stroke="currentColor" stroke-width="1"/>`,
    `<text x="${pad.left - 6}" y="${pad.top + 4}" text-anchor="end" font-size="12" fill="currentColor">${fmt(max)}</text>`,
    `<text x="${pad.left - 6}" y="${pad.top + plotH}" text-anchor="end" font-size="12" fill="currentColor">0</text>`,
    bars,
    labels,
    '</svg>',
  ].join('\n');
}
