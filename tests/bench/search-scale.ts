/**
 * Search at scale: the scale case's articles get varied titles, teasers and tags (from a small
 * vocabulary, so some words are rare and some match thousands of articles), then a list of
 * everyday queries is sent one at a time over HTTP and timed end to end. The goal: under 50 ms.
 */
import type { Pool } from 'pg';
import { performance } from 'node:perf_hooks';
import { get } from './http-client';
import { percentile, type Figure } from './report';

const WORDS = [
  'lightning',
  'channel',
  'routing',
  'liquidity',
  'watchtower',
  'invoice',
  'privacy',
  'custody',
  'wallet',
  'node',
  'fees',
  'mempool',
  'taproot',
  'splicing',
  'gossip',
  'onion',
  'preimage',
  'backup',
  'submarine',
  'swap',
  'economics',
  'history',
  'essay',
  'tutorial',
  'interview',
  'review',
  'security',
  'mobile',
  'merchant',
  'tipping',
];
const TAGS = [
  'lightning',
  'bitcoin',
  'privacy',
  'open-source',
  'economics',
  'tutorials',
  'security',
  'mobile',
  'payments',
  'history',
  'rare-tag',
];

/** Gives the articles titled 'Benchmark article n' varied searchable text; the trigger rebuilds search_tsv. */
export async function varySearchText(pool: Pool): Promise<number> {
  const { rowCount } = await pool.query(
    `UPDATE articles SET
       title = initcap(($1::text[])[1 + (id % 30)]) || ' and ' || ($1::text[])[1 + ((id / 30) % 30)] || ' notes ' || id,
       teaser = 'On ' || ($1::text[])[1 + ((id * 7) % 30)] || ', ' || ($1::text[])[1 + ((id * 13) % 30)] || ' and the ' || ($1::text[])[1 + ((id / 900) % 30)] || ' of it.',
       tags = ARRAY[($2::text[])[1 + (id % 10)], ($2::text[])[1 + ((id / 10) % 10)]] || CASE WHEN id % 997 = 0 THEN ARRAY['rare-tag'] ELSE ARRAY[]::text[] END
     WHERE title LIKE 'Benchmark article %'`,
    [WORDS, TAGS],
  );
  // The trigger rewrote every article_search row: its statistics (how common each word is, which
  // the planner reads to choose between the GIN index and the publish-order index) are refreshed
  // here as autovacuum would after such a bulk change.
  await pool.query('VACUUM ANALYZE articles');
  await pool.query('VACUUM ANALYZE article_search');
  return rowCount ?? 0;
}

const QUERIES = [
  'lightning', // about 1 in 10 titles and many teasers
  'watchtower backup',
  '"routing fees"',
  'privacy -custody',
  'taproot or splicing',
  'rare-tag',
  'mobile wallet tutorial',
  'economics of liquidity',
  'zzzunknownword',
  'the', // stop word only: answered without a scan
];

export async function measureSearch(siteUrl: string, rounds = Number(process.env.BENCH_SEARCH_ROUNDS ?? 10)): Promise<Figure[]> {
  const times: number[] = [];
  const perQuery = new Map<string, number[]>();
  for (const q of QUERIES) await get(`${siteUrl}/search?q=${encodeURIComponent(q)}`); // warm-up
  for (let r = 0; r < rounds; r++) {
    for (const q of QUERIES) {
      const started = performance.now();
      const res = await get(`${siteUrl}/search?q=${encodeURIComponent(q)}&page=${1 + (r % 2)}`);
      const ms = performance.now() - started;
      if (res.status !== 200) throw new Error(`search for ${q} answered ${res.status}`);
      times.push(ms);
      perQuery.set(q, [...(perQuery.get(q) ?? []), ms]);
    }
  }
  const worst = [...perQuery.entries()].map(([q, t]) => [q, percentile(t, 50)] as const).sort((a, b) => b[1] - a[1])[0];
  const each: Figure[] = [...perQuery.entries()].flatMap(([q, t]) => [
    { name: `search @100k: "${q}" p50`, value: percentile(t, 50), unit: 'ms' },
    { name: `search @100k: "${q}" p95`, value: percentile(t, 95), unit: 'ms' },
  ]);
  return [
    ...each,
    { name: `search @100k articles: p50 (${times.length} searches, ${QUERIES.length} queries)`, value: percentile(times, 50), unit: 'ms' },
    { name: 'search @100k articles: p95', value: percentile(times, 95), unit: 'ms', goal: '< 50 ms', met: percentile(times, 95) < 50 },
    { name: `search @100k articles: slowest query's median ("${worst[0]}")`, value: worst[1], unit: 'ms' },
  ];
}
