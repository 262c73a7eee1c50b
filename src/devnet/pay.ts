/**
 * The core of `npm run pay`: pays a BOLT 11 request from a node over real gRPC (TLS + macaroon)
 * with routerrpc.Router/SendPaymentV2, reading the lnrpc.Payment stream until it is final.
 * Refusals LND returns as gRPC errors (expired, wrong network, already paid) reject the promise.
 */
import type * as grpc from '@grpc/grpc-js';
import { createLndClients, type NodeConnection } from './client';

export type { NodeConnection } from './client';

export type PayResult =
  | { status: 'SUCCEEDED'; preimage: string; paymentHash: string; feeSat: number }
  | { status: 'FAILED'; failureReason: string; paymentHash: string };

interface RpcPayment {
  status: string;
  payment_hash: string;
  payment_preimage: string;
  fee_sat: string;
  failure_reason: string;
}

type StreamingCall = grpc.ClientReadableStream<RpcPayment>;

export function payInvoice(conn: NodeConnection, paymentRequest: string, opts: { timeoutSeconds?: number } = {}): Promise<PayResult> {
  const timeoutSeconds = opts.timeoutSeconds ?? 60;
  const clients = createLndClients(conn);
  const router = clients.router as unknown as Record<string, (req: unknown, options: grpc.CallOptions) => StreamingCall>;
  return new Promise<PayResult>((resolve, reject) => {
    let result: PayResult | undefined;
    const call = router.SendPaymentV2(
      { payment_request: paymentRequest, timeout_seconds: timeoutSeconds, fee_limit_sat: 0, no_inflight_updates: false },
      { deadline: Date.now() + (timeoutSeconds + 10) * 1000 },
    );
    call.on('data', (p: RpcPayment) => {
      if (p.status === 'SUCCEEDED') {
        result = { status: 'SUCCEEDED', preimage: p.payment_preimage, paymentHash: p.payment_hash, feeSat: Number(p.fee_sat) };
      } else if (p.status === 'FAILED') {
        result = { status: 'FAILED', failureReason: p.failure_reason, paymentHash: p.payment_hash };
      }
    });
    call.on('error', (err) => {
      clients.close();
      reject(err);
    });
    call.on('end', () => {
      clients.close();
      if (result) resolve(result);
      else reject(new Error('the payment stream ended without a final status'));
    });
  });
}
