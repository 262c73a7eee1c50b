import { renderSatsChart, niceCeiling } from '../../src/moderation/sats-chart';

const labels = (svg: string) => [...svg.matchAll(/<text [^>]*>([^<]+)<\/text>/g)].map((m) => m[1]);

describe('the sats-per-day chart axes (issue 14)', () => {
  test('the value axis goes up to a round number, in sats with thousands separators', () => {
    expect([0, 1, 7, 10, 11, 1250, 2600, 999_999].map(niceCeiling)).toEqual([1, 1, 8, 10, 20, 2000, 3000, 1_000_000]);
    const days = [
      { day: '2026-11-19', sats: 0 },
      { day: '2026-11-20', sats: 1250 },
      { day: '2026-11-21', sats: 600 },
    ];
    const wide = renderSatsChart(days);
    expect(labels(wide)).toEqual(expect.arrayContaining(['0 sats', '1,000 sats', '2,000 sats', 'Nov 19', 'Nov 21']));
    expect(wide).toContain('class="chart chart-wide"');
    // The narrow drawing (phones) is its own SVG with its own ids, and as few day labels as fit.
    const narrow = renderSatsChart(
      Array.from({ length: 30 }, (_, i) => ({ day: `2026-11-${String(i + 1).padStart(2, '0')}`, sats: i * 100 })),
      { narrow: true, id: 'n' },
    );
    expect(narrow).toContain('class="chart chart-narrow"');
    expect(narrow).toContain('aria-labelledby="n-title n-desc"');
    expect(labels(narrow).filter((l) => l.startsWith('Nov'))).toEqual(['Nov 1', 'Nov 15', 'Nov 30']);
    expect(labels(narrow)).toEqual(expect.arrayContaining(['0 sats', '1,500 sats', '3,000 sats']));
  });

  test('with nothing earned there is no made-up scale, only the zero line and a word', () => {
    const svg = renderSatsChart([
      { day: '2026-11-20', sats: 0 },
      { day: '2026-11-21', sats: 0 },
    ]);
    expect(labels(svg)).toEqual(['0 sats', 'Nov 20', 'Nov 21', 'No sats earned in these 2 days']);
  });
});
