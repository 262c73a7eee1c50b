/**
 * Load runs with autocannon: a fixed number of connections for a fixed time, on one URL, with the
 * CPU time the serving process and PostgreSQL spent per request. Each page is measured between two
 * runs of the limit app, so its ratio to the limit compares runs seconds apart on a shared machine.
 */
import autocannon from 'autocannon';
import { cpuMsOf, cpuMsOfTree } from './cpu-usage';

export interface LoadResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  bytesPerRequest: number;
  /** CPU ms per request of the process serving the page, and of PostgreSQL (all backends). */
  appCpuMs: number;
  pgCpuMs: number;
}

export interface Target {
  label: string;
  url: string;
  cookie?: string;
  /** More request headers (e.g. an L402 credential). */
  headers?: Record<string, string>;
  /** The process serving `url`. */
  pid: number;
}

export async function runLoad(
  target: Target,
  options: { connections: number; seconds: number; postmasterPid: number },
): Promise<LoadResult> {
  const app0 = cpuMsOf(target.pid);
  const pg0 = cpuMsOfTree(options.postmasterPid);
  const result = await autocannon({
    url: target.url,
    connections: options.connections,
    duration: options.seconds,
    headers: { ...(target.cookie ? { cookie: target.cookie } : {}), ...target.headers },
  });
  const requests = result.requests.total || 1;
  const r: LoadResult = {
    rps: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    bytesPerRequest: Math.round(result.throughput.total / requests),
    appCpuMs: (cpuMsOf(target.pid) - app0) / requests,
    pgCpuMs: (cpuMsOfTree(options.postmasterPid) - pg0) / requests,
  };
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${target.label}: ${r.non2xx} non-2xx answers and ${r.errors} errors`);
  return r;
}

/** The mean of several runs' figures (non-2xx answers and errors summed). */
export function meanOf(runs: LoadResult[]): LoadResult {
  const avg = (k: keyof LoadResult) => runs.reduce((n, r) => n + r[k], 0) / runs.length;
  return {
    rps: avg('rps'),
    p50Ms: avg('p50Ms'),
    p99Ms: avg('p99Ms'),
    non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    bytesPerRequest: avg('bytesPerRequest'),
    appCpuMs: avg('appCpuMs'),
    pgCpuMs: avg('pgCpuMs'),
  };
}

/** The page and the limit around it: limit (half time), page, limit (half time), after a short warm-up. */
export async function runBesideLimit(
  page: Target,
  limit: Target,
  options: { connections: number; seconds: number; postmasterPid: number },
): Promise<{ page: LoadResult; limit: LoadResult }> {
  const half = { ...options, seconds: Math.max(1, Math.round(options.seconds / 2)) };
  await runLoad(page, { ...options, seconds: 2 });
  const before = await runLoad(limit, half);
  const result = await runLoad(page, options);
  const after = await runLoad(limit, half);
  return { page: result, limit: meanOf([before, after]) };
}
