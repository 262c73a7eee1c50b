/**
 * Paying out: routerrpc.Router/SendPaymentV2 and TrackPaymentV2 over the same TLS + macaroon
 * channel recipe as the invoice client. Raw lnrpc.Payment messages are mapped to PaymentUpdate here
 * and nowhere else. A stream that ends or breaks before a final status resolves with the last status
 * seen (IN_FLIGHT), never as a failure: only the node's FAILED means the sats did not leave.
 */
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { Logger } from '../lib/logger';
import { createLndCredentials } from './lnd-credentials';
import { LND_LOADER_OPTIONS } from './load-lnd-services';
import { mapGrpcError } from './map-grpc-error';
import { findProtoDir } from './proto-dir';
import { LightningError } from './types';

export type PaymentStatusName = 'IN_FLIGHT' | 'SUCCEEDED' | 'FAILED';

export interface PaymentUpdate {
  status: PaymentStatusName;
  paymentHash: string;
  /** The routing fee the node paid, in msat (0 until SUCCEEDED). */
  feeMsat: bigint;
  preimage: string;
  /** LND's PaymentFailureReason name, e.g. FAILURE_REASON_NO_ROUTE ('FAILURE_REASON_NONE' unless FAILED). */
  failureReason: string;
}

/** LND answered ALREADY_EXISTS: "payment is in transition", "invoice is already paid", "payment already exists". Track it. */
export class PaymentAlreadyExistsError extends LightningError {
  override readonly name = 'LightningError' as const;
  readonly kind = 'already-exists' as const;
}

/** TrackPaymentV2 NOT_FOUND "payment isn't initiated": the node never started this payment. */
export class PaymentNotFoundError extends LightningError {
  override readonly name = 'LightningError' as const;
  readonly kind = 'payment-not-found' as const;
}

export interface SendPaymentInput {
  paymentRequest: string;
  feeLimitSat: number;
  timeoutSeconds: number;
}

export interface PaymentSender {
  /** Resolves with the last update (final, or IN_FLIGHT if the stream ended early); `onUpdate` sees each one. */
  send(input: SendPaymentInput, onUpdate?: (u: PaymentUpdate) => void): Promise<PaymentUpdate>;
  track(paymentHash: string, onUpdate?: (u: PaymentUpdate) => void): Promise<PaymentUpdate>;
  close(): void;
}

interface RawPayment {
  payment_hash: string;
  payment_preimage: string;
  status: string;
  fee_msat: string;
  failure_reason: string;
}

const ALREADY_EXISTS = 6;
const NOT_FOUND = 5;

export function mapPayment(raw: RawPayment): PaymentUpdate {
  const status: PaymentStatusName = raw.status === 'SUCCEEDED' ? 'SUCCEEDED' : raw.status === 'FAILED' ? 'FAILED' : 'IN_FLIGHT';
  // UNKNOWN (deprecated) and INITIATED are not final: treated as in flight.
  return {
    status,
    paymentHash: raw.payment_hash,
    feeMsat: /^\d+$/.test(String(raw.fee_msat)) ? BigInt(raw.fee_msat) : 0n,
    preimage: raw.payment_preimage ?? '',
    failureReason: raw.failure_reason || 'FAILURE_REASON_NONE',
  };
}

let routerCtor: grpc.ServiceClientConstructor | undefined;
function loadRouter(protoDir: string): grpc.ServiceClientConstructor {
  if (!routerCtor) {
    const def = protoLoader.loadSync(path.join(protoDir, 'routerrpc/router.proto'), { ...LND_LOADER_OPTIONS, includeDirs: [protoDir] });
    const pkg = grpc.loadPackageDefinition(def) as unknown as { routerrpc: { Router: grpc.ServiceClientConstructor } };
    routerCtor = pkg.routerrpc.Router;
  }
  return routerCtor;
}

type StreamMethod = (req: object, options: grpc.CallOptions) => grpc.ClientReadableStream<RawPayment>;

export function createLndRouterClient(options: {
  host: string;
  tlsCert: Buffer | null;
  macaroon: Buffer;
  logger: Logger;
  protoDir?: string;
}): PaymentSender {
  const logger = options.logger.child({ component: 'lnd-router', host: options.host });
  const Router = loadRouter(options.protoDir ?? findProtoDir());
  const loopback = /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost):\d+$/.test(options.host) && options.tlsCert;
  const stub = new Router(options.host, createLndCredentials(options.tlsCert, options.macaroon), {
    'grpc.keepalive_time_ms': 30_000,
    'grpc.keepalive_permit_without_calls': 1,
    ...(loopback ? { 'grpc.ssl_target_name_override': 'localhost', 'grpc.default_authority': 'localhost' } : {}),
  }) as unknown as Record<'SendPaymentV2' | 'TrackPaymentV2', StreamMethod> & { close(): void };

  function drive(
    method: 'SendPaymentV2' | 'TrackPaymentV2',
    req: object,
    deadlineSeconds: number,
    onUpdate?: (u: PaymentUpdate) => void,
  ): Promise<PaymentUpdate> {
    return new Promise((resolve, reject) => {
      let last: PaymentUpdate | null = null;
      let settled = false;
      const call = stub[method](req, { deadline: Date.now() + deadlineSeconds * 1000 });
      const done = (fn: () => void) => {
        if (settled) return;
        settled = true;
        fn();
      };
      call.on('data', (raw: RawPayment) => {
        last = mapPayment(raw);
        onUpdate?.(last);
        if (last.status !== 'IN_FLIGHT') {
          const final = last;
          done(() => resolve(final));
          call.cancel();
        }
      });
      call.on('error', (err: grpc.ServiceError) => {
        if (settled) return;
        if (last) return done(() => resolve(last as PaymentUpdate)); // broke mid-payment: still in flight as far as we know
        const text = err.details || err.message;
        logger.warn(`${method} failed`, { code: err.code, details: text });
        if (err.code === ALREADY_EXISTS) return done(() => reject(new PaymentAlreadyExistsError(text, err.code)));
        if (err.code === NOT_FOUND && method === 'TrackPaymentV2') return done(() => reject(new PaymentNotFoundError(text, err.code)));
        done(() => reject(mapGrpcError(err)));
      });
      call.on('end', () => {
        if (last) done(() => resolve(last as PaymentUpdate));
        else done(() => reject(new LightningError(`${method}: the stream ended without a payment update`, 2)));
      });
    });
  }

  return {
    send(input, onUpdate) {
      if (!Number.isSafeInteger(input.feeLimitSat) || input.feeLimitSat < 0)
        throw new LightningError('fee limit must be whole sats >= 0', 3);
      return drive(
        'SendPaymentV2',
        {
          payment_request: input.paymentRequest,
          fee_limit_sat: String(input.feeLimitSat),
          timeout_seconds: input.timeoutSeconds,
          no_inflight_updates: false,
        },
        input.timeoutSeconds + 30,
        onUpdate,
      );
    },
    track(paymentHash, onUpdate) {
      if (!/^[0-9a-f]{64}$/.test(paymentHash)) throw new LightningError('payment hash must be 64 lower-case hex characters', 3);
      // A track of a payment still in flight lasts until it ends; the deadline only bounds a stuck stream.
      return drive('TrackPaymentV2', { payment_hash: Buffer.from(paymentHash, 'hex'), no_inflight_updates: false }, 300, onUpdate);
    },
    close() {
      stub.close();
    },
  };
}
