/**
 * Unlock latency: from the node settling an invoice to the `complete` event reaching the reader's
 * open page. Each reader opens an article (invoice issued), opens the page's event stream, then
 * alice pays over the devnet's Router/SendPaymentV2. The devnet sends SUCCEEDED right after it
 * settles, so the clock starts when SUCCEEDED arrives and stops when `complete` arrives on the stream.
 */
import path from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import type { Pool } from 'pg';
import { createLndClients } from '../../src/devnet/client';
import { readJsonIfExists } from '../../src/devnet/atomic-file';
import { nodePaths } from '../../src/devnet/node-store';
import { RUNTIME_FILE, type DevnetRuntimeInfo } from '../../src/devnet/runtime-file';
import { get, openSse } from './http-client';
import type { Reader } from './fixtures';

interface RpcPayment {
  status: string;
  failure_reason: string;
}

export function walletClient(devnetDir: string, name: 'alice' | 'bob') {
  const runtime = readJsonIfExists<DevnetRuntimeInfo>(path.join(devnetDir, RUNTIME_FILE));
  const grpcHost = runtime?.nodes[name]?.grpcHost;
  if (!grpcHost) throw new Error(`no running devnet in ${devnetDir}`);
  const paths = nodePaths(devnetDir, name);
  return createLndClients({ grpcHost, tlsCertPath: paths.tlsCert, macaroonPath: paths.adminMacaroon });
}

/** Pays and resolves with performance.now() at SUCCEEDED. */
function payAndTime(router: grpc.Client, paymentRequest: string): Promise<number> {
  const send = (router as unknown as Record<string, (req: unknown, o: grpc.CallOptions) => grpc.ClientReadableStream<RpcPayment>>)
    .SendPaymentV2;
  return new Promise((resolve, reject) => {
    let at: number | null = null;
    const call = send.call(
      router,
      { payment_request: paymentRequest, timeout_seconds: 30, fee_limit_sat: 0 },
      { deadline: Date.now() + 40_000 },
    );
    call.on('data', (p: RpcPayment) => {
      if (p.status === 'SUCCEEDED' && at === null) at = performance.now();
      if (p.status === 'FAILED') reject(new Error(`payment failed: ${p.failure_reason}`));
    });
    call.on('error', reject);
    call.on('end', () => (at === null ? reject(new Error('payment stream ended without SUCCEEDED')) : resolve(at)));
  });
}

export async function measureUnlockLatency(options: {
  siteUrl: string;
  pool: Pool;
  devnetDir: string;
  readers: Reader[];
  articleId: number;
}): Promise<number[]> {
  const wallet = walletClient(options.devnetDir, 'alice');
  const latencies: number[] = [];
  try {
    for (const reader of options.readers) {
      const page = await get(`${options.siteUrl}/articles/${options.articleId}`, reader.cookie);
      if (page.status !== 200) throw new Error(`article page answered ${page.status}`);
      const { rows } = await options.pool.query<{ payment_request: string }>(
        "SELECT payment_request FROM payments WHERE user_id = $1 AND article_id = $2 AND status = 'pending_payment'",
        [reader.id, options.articleId],
      );
      if (!rows[0]) throw new Error(`no pending payment for reader ${reader.id}`);
      const sse = await openSse(`${options.siteUrl}/articles/${options.articleId}/events`, reader.cookie);
      try {
        const completed = sse.next('complete', 10_000);
        const settledAt = await payAndTime(wallet.router, rows[0].payment_request);
        latencies.push((await completed) - settledAt);
      } finally {
        sse.close();
      }
    }
  } finally {
    wallet.close();
  }
  return latencies;
}
