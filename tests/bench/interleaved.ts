/**
 * A page and its limit measured in alternating short runs (page, limit, then limit, page, ...), so a
 * shared machine's load, which moves by tens of percent within seconds, weighs on both alike: each
 * pair gives one ratio, and the median of those is the figure. Used where one ratio is the goal.
 */
import { meanOf, runLoad, type LoadResult, type Target } from './load';
import { percentile } from './report';

export interface Interleaved {
  /** Means over every run. */
  page: LoadResult;
  limit: LoadResult;
  /** page / limit throughput, one per pair, in order. */
  ratios: number[];
  /** page / limit Node CPU per request, one per pair. */
  cpuRatios: number[];
}

export const median = (values: number[]) => percentile(values, 50);

export async function runInterleaved(
  page: Target,
  limit: Target,
  options: { connections: number; seconds: number; pairs: number; postmasterPid: number },
): Promise<Interleaved> {
  const run = { connections: options.connections, seconds: options.seconds, postmasterPid: options.postmasterPid };
  // Warm both (JIT, connections) before anything counts.
  await runLoad(page, { ...run, seconds: 2 });
  await runLoad(limit, { ...run, seconds: 2 });
  const pages: LoadResult[] = [];
  const limits: LoadResult[] = [];
  for (let i = 0; i < options.pairs; i++) {
    if (i % 2 === 0) {
      pages.push(await runLoad(page, run));
      limits.push(await runLoad(limit, run));
    } else {
      limits.push(await runLoad(limit, run));
      pages.push(await runLoad(page, run));
    }
  }
  return {
    page: meanOf(pages),
    limit: meanOf(limits),
    ratios: pages.map((p, i) => p.rps / limits[i].rps),
    cpuRatios: pages.map((p, i) => p.appCpuMs / Math.max(limits[i].appCpuMs, 0.001)),
  };
}
