/**
 * The machine-read scenario: GET /api/v1/articles/:id/content with a valid L402 credential (paid
 * once through the devnet's alice node), measured beside a minimal Express JSON endpoint serving a
 * body of the same size, in alternating short runs. Goal: at least 0.8 of its throughput (the median
 * of the pair ratios; BENCH_MACHINE_PAIRS pairs, 6 by default).
 */
import path from 'node:path';
import { spawn } from 'node:child_process';
import { freePort } from '../helpers/free-port';
import { payInvoice } from '../../src/devnet/pay';
import { readJsonIfExists } from '../../src/devnet/atomic-file';
import { nodePaths } from '../../src/devnet/node-store';
import { RUNTIME_FILE, type DevnetRuntimeInfo } from '../../src/devnet/runtime-file';
import { median, runInterleaved } from './interleaved';
import { stopChild, waitForOutput } from './site-process';
import { round, type Figure } from './report';
import { pinApart } from './cpu-pinning';

/** Buys `articleId` over L402 as a client would: 402, pay the invoice from alice, keep the credential. */
export async function buyOverL402(
  siteUrl: string,
  devnetDir: string,
  articleId: number,
): Promise<{ authorization: string; bodyBytes: number }> {
  const url = `${siteUrl}/api/v1/articles/${articleId}/content`;
  const challenge = await fetch(url);
  const header = challenge.headers.get('www-authenticate') ?? '';
  const m = /L402 version="0", token="([^"]+)", invoice="([^"]+)"/.exec(header);
  if (challenge.status !== 402 || !m) throw new Error(`expected an L402 challenge, got ${challenge.status} ${header}`);
  const runtime = readJsonIfExists<DevnetRuntimeInfo>(path.join(devnetDir, RUNTIME_FILE));
  const grpcHost = runtime?.nodes.alice?.grpcHost;
  if (!grpcHost) throw new Error(`no running devnet in ${devnetDir}`);
  const paths = nodePaths(devnetDir, 'alice');
  const paid = await payInvoice({ grpcHost, tlsCertPath: paths.tlsCert, macaroonPath: paths.adminMacaroon }, m[2]);
  if (paid.status !== 'SUCCEEDED') throw new Error(`payment failed: ${paid.failureReason}`);
  const authorization = `L402 ${m[1]}:${paid.preimage}`;
  const res = await fetch(url, { headers: { authorization } });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`the credential was refused: ${res.status} ${body.slice(0, 200)}`);
  return { authorization, bodyBytes: Buffer.byteLength(body) };
}

export async function measureMachineRead(options: {
  siteUrl: string;
  sitePid: number;
  devnetDir: string;
  articleId: number;
  postmasterPid: number;
  connections: number;
  seconds: number;
  log: (message: string) => void;
}): Promise<Figure[]> {
  const { authorization, bodyBytes } = await buyOverL402(options.siteUrl, options.devnetDir, options.articleId);
  const port = await freePort();
  // BENCH_LIMIT_NODE_ARGS profiles this limit too, as it does the minimal page app.
  const nodeArgs = (process.env.BENCH_LIMIT_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, path.join(__dirname, 'minimal-json-app.js')], {
    env: { ...process.env, PORT: String(port), JSON_BYTES: String(bodyBytes) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    await waitForOutput(child, 'listening', 20_000, 'the minimal JSON app');
    options.log('load: machine read with an L402 credential, beside a minimal Express JSON endpoint');
    // Alternating short runs, the median of the pair ratios (tests/bench/interleaved.ts).
    const pairs = Number(process.env.BENCH_MACHINE_PAIRS ?? 6);
    const unpin = pinApart([options.sitePid, child.pid!], options.log);
    const r = await runInterleaved(
      {
        label: 'machine read (L402)',
        url: `${options.siteUrl}/api/v1/articles/${options.articleId}/content`,
        headers: { authorization },
        pid: options.sitePid,
      },
      // The same request headers on both sides (the limit ignores the credential); keep-alive on both.
      { label: 'limit: minimal Express JSON', url: `http://127.0.0.1:${port}/json`, headers: { authorization }, pid: child.pid! },
      {
        connections: options.connections,
        seconds: Math.max(1, Math.round(options.seconds / 4)),
        pairs,
        postmasterPid: options.postmasterPid,
      },
    ).finally(unpin);
    const ratio = median(r.ratios);
    const cpuRatio = median(r.cpuRatios);
    const spread = `${round(Math.min(...r.ratios))}-${round(Math.max(...r.ratios))}`;
    return [
      { name: 'machine read: body size', value: bodyBytes, unit: 'bytes' },
      { name: 'machine read: response bytes per request (headers and body)', value: r.page.bytesPerRequest, unit: 'bytes' },
      { name: 'limit: response bytes per request (headers and body)', value: r.limit.bytesPerRequest, unit: 'bytes' },
      { name: 'limit: minimal Express JSON endpoint: throughput (mean of runs)', value: r.limit.rps, unit: 'req/s' },
      { name: 'machine read (L402 credential): throughput (mean of runs)', value: r.page.rps, unit: 'req/s' },
      {
        name: 'machine read (L402 credential): latency p99',
        value: r.page.p99Ms,
        unit: 'ms',
        ratioToLimit: r.page.p99Ms / Math.max(r.limit.p99Ms, 0.01),
      },
      {
        name: 'machine read: CPU per request, Node (median of pair ratios)',
        value: r.page.appCpuMs,
        unit: 'ms',
        ratioToLimit: cpuRatio,
      },
      {
        name: `goal: machine read throughput vs minimal JSON endpoint (median of ${pairs} pairs, ${spread})`,
        value: ratio,
        unit: 'x',
        goal: '>= 0.8 of the limit',
        met: ratio >= 0.8,
      },
    ];
  } finally {
    await stopChild(child);
  }
}
