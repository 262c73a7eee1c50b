/**
 * routerrpc.Router handlers. SendPaymentV2 validates the request like LND's router backend
 * (amount rules, decoding for regtest, expiry, an earlier payment of the same hash), answering
 * those refusals as gRPC errors; routing and payee failures come back as a FAILED lnrpc.Payment
 * with LND's failure_reason. Updates stream IN_FLIGHT, then SUCCEEDED or FAILED.
 */
import { status } from '@grpc/grpc-js';
import { decodePaymentRequest, type DecodedPayReq } from './bolt11-codec';
import { RpcError, unknownError } from './grpc-errors';
import { trackStream, type StreamHandler } from './node-context';
import type { StoredPayment } from './node-state';
import { unmarshallAmtMsat } from './unmarshall-amount';
import { bytes, str, type RpcMessage } from './rpc-values';
import { paymentToRpc } from './rpc-views';

function decodeForPayment(req: RpcMessage, nowMs: number): { decoded: DecodedPayReq; amountMsat: bigint; feeLimitMsat: bigint } {
  const requested = unmarshallAmtMsat(req.amt, req.amt_msat);
  // LND: fee_limit_sat or fee_limit_msat (not both); 0 lets only zero-fee routes through.
  const feeLimitMsat = unmarshallAmtMsat(req.fee_limit_sat, req.fee_limit_msat);
  const payReq = str(req.payment_request);
  if (payReq === '') throw unknownError('devnet: only payments to a payment_request are supported');
  let decoded: DecodedPayReq;
  try {
    decoded = decodePaymentRequest(payReq);
  } catch (err) {
    throw unknownError((err as Error).message);
  }
  const validUntil = (decoded.timestamp + decoded.expiry) * 1000;
  // LND judges expiry by its own clock (the node's offset clock here), not the caller's.
  if (validUntil < nowMs) {
    throw unknownError(`invoice expired. Valid until ${new Date(validUntil).toISOString().replace('.000Z', 'Z')}`);
  }
  if (decoded.amountMsat === 0n && requested === 0n) {
    throw unknownError('amount must be specified when paying a zero amount invoice');
  }
  if (decoded.amountMsat !== 0n && requested !== 0n) {
    throw unknownError('amount must not be specified when paying a non-zero amount invoice');
  }
  return { decoded, amountMsat: decoded.amountMsat !== 0n ? decoded.amountMsat : requested, feeLimitMsat };
}

const latestPayment = (payments: StoredPayment[], hash: string) => [...payments].reverse().find((p) => p.paymentHash === hash);

const sendPaymentV2: StreamHandler = (req, ctx, call) => {
  const { decoded, amountMsat, feeLimitMsat } = decodeForPayment(req, ctx.registry.now());
  // LND's control tower: one successful or in-flight payment per hash (codes.AlreadyExists).
  const previous = latestPayment(ctx.state.payments, decoded.paymentHash);
  if (previous?.status === 'SUCCEEDED') throw new RpcError(status.ALREADY_EXISTS, 'invoice is already paid');
  if (previous?.status === 'IN_FLIGHT') throw new RpcError(status.ALREADY_EXISTS, 'payment is in transition');

  const payment = ctx.network.begin(ctx.name, decoded, amountMsat, feeLimitMsat);
  const quiet = req.no_inflight_updates === true;
  streamFinalUpdate(ctx, call, payment);
  if (!quiet) call.write(paymentToRpc(payment));
  setImmediate(() => ctx.network.resolve(ctx.name, payment, decoded));
};

/** Sends `payment`'s final update on `call` once the network resolves it, then ends the stream. */
function streamFinalUpdate(
  ctx: Parameters<StreamHandler>[1],
  call: Parameters<StreamHandler>[2],
  payment: Parameters<typeof paymentToRpc>[0],
): void {
  const stop = ctx.network.onPayment(ctx.name, (p) => {
    if (p !== payment) return;
    call.write(paymentToRpc(p));
    finish();
    call.end();
  });
  const finish = trackStream(ctx, call, stop);
}

const trackPaymentV2: StreamHandler = (req, ctx, call) => {
  const hash = bytes(req.payment_hash).toString('hex');
  const payment = latestPayment(ctx.state.payments, hash);
  if (!payment) throw new RpcError(status.NOT_FOUND, "payment isn't initiated");
  call.write(paymentToRpc(payment));
  if (payment.status !== 'IN_FLIGHT') return void call.end();
  streamFinalUpdate(ctx, call, payment);
};

export const routerStreams: Record<string, StreamHandler> = {
  SendPaymentV2: sendPaymentV2,
  TrackPaymentV2: trackPaymentV2,
};
