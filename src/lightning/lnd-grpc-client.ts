import * as grpc from '@grpc/grpc-js';
import { Logger } from '../lib/logger';
import {
  CreatedInvoice,
  CreateInvoiceInput,
  Invoice,
  LightningError,
  LightningNode,
  LightningUnavailableError,
  NodeInfo,
} from './types';
import { createLndCredentials } from './lnd-credentials';
import { loadLightningService } from './load-lnd-services';
import { mapGrpcError } from './map-grpc-error';
import { mapInvoice, parseInt64, RawInvoice } from './map-invoice';
import { mapNodeInfo, RawGetInfoResponse } from './map-node-info';
import { driveInvoiceStream } from './subscribe-invoices';

export interface LndClientOptions {
  /** host:port of LND's gRPC interface, e.g. "127.0.0.1:10009". */
  host: string;
  /** PEM of the node's TLS certificate; null trusts the system's CA roots (a CA-signed cert). */
  tlsCert: Buffer | null;
  /** The raw binary macaroon (sent as hex metadata). */
  macaroon: Buffer;
  logger: Logger;
  /** Deadline for every unary call; default 5,000 ms. Streams have none. */
  deadlineMs?: number;
  /** Directory holding our lightning.proto; found by walking up from this file when omitted. */
  protoDir?: string;
  /** gRPC keepalive ping interval in ms (default 30,000): a dead connection, and so a dead invoice stream, is noticed. */
  keepaliveMs?: number;
}

/** LND's default invoice expiry (DefaultInvoiceExpiry, 24 h), used when the caller gives none. */
export const LND_DEFAULT_EXPIRY_SECONDS = 86_400;
const DEFAULT_DEADLINE_MS = 5_000;
const INVALID_ARGUMENT = 3;

type UnaryCallback = (err: grpc.ServiceError | null, response?: unknown) => void;
type UnaryMethod = (request: object, options: grpc.CallOptions, callback: UnaryCallback) => grpc.ClientUnaryCall;

/** The slice of the dynamically generated lnrpc.Lightning client that this file calls. */
interface LightningStub {
  GetInfo: UnaryMethod;
  AddInvoice: UnaryMethod;
  LookupInvoice: UnaryMethod;
  SubscribeInvoices(request: object): grpc.ClientReadableStream<RawInvoice>;
  close(): void;
}

interface RawAddInvoiceResponse {
  r_hash: Buffer;
  payment_request: string;
  add_index: string;
}

function assertWholeSats(value: number, name: string, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new LightningError(`${name} must be a whole number >= ${min}, got ${value}`, INVALID_ARGUMENT);
  }
}

/**
 * For a pinned certificate on a loopback address (a local LND or the devnet), verify it as
 * "localhost", a name every LND certificate carries: Node warns (DEP0123) when TLS is handed an IP
 * address as the server name. The certificate itself is still the only one trusted.
 */
function loopbackNameOverride(host: string, tlsCert: Buffer | null): Record<string, string> {
  const hostname = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  const loopback = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname) || hostname === '::1';
  return loopback && tlsCert ? { 'grpc.ssl_target_name_override': 'localhost', 'grpc.default_authority': 'localhost' } : {};
}

/**
 * A LightningNode backed by LND's gRPC API (or anything wire-compatible, such as the devnet).
 * Every unary call carries a deadline; failures arrive as the errors in ./types
 * (LightningUnavailableError, InvoiceNotFoundError, LightningError). The channel connects lazily,
 * so creating the client does no I/O.
 */
export function createLndClient(options: LndClientOptions): LightningNode {
  const logger = options.logger.child({ component: 'lnd-client', host: options.host });
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const Lightning = loadLightningService(options.protoDir);
  const credentials = createLndCredentials(options.tlsCert, options.macaroon);
  // Keepalive pings on the channel: without them a half-open TCP connection (the node's host
  // vanished) leaves the invoice stream silent forever. LND permits pings every 5 s or slower.
  const keepaliveMs = options.keepaliveMs ?? 30_000;
  const stub = new Lightning(options.host, credentials, {
    'grpc.keepalive_time_ms': keepaliveMs,
    'grpc.keepalive_timeout_ms': Math.min(10_000, keepaliveMs),
    'grpc.keepalive_permit_without_calls': 1,
    ...loopbackNameOverride(options.host, options.tlsCert),
  }) as unknown as LightningStub;

  function unary<T>(method: 'GetInfo' | 'AddInvoice' | 'LookupInvoice', request: object): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      stub[method](request, { deadline: Date.now() + deadlineMs }, (err, response) => {
        if (err) {
          const mapped = mapGrpcError(err);
          const level = mapped instanceof LightningUnavailableError ? 'warn' : 'debug';
          logger[level]('LND call failed', { method, code: err.code, err: mapped });
          reject(mapped);
        } else {
          resolve(response as T);
        }
      });
    });
  }

  return {
    async getInfo(): Promise<NodeInfo> {
      return mapNodeInfo(await unary<RawGetInfoResponse>('GetInfo', {}));
    },

    async createInvoice(input: CreateInvoiceInput): Promise<CreatedInvoice> {
      assertWholeSats(input.valueSat, 'valueSat', 0);
      if (input.expirySeconds !== undefined) assertWholeSats(input.expirySeconds, 'expirySeconds', 1);
      // Always sent, never left to the node's default, so the expiresAt we return is exact.
      const expirySeconds = input.expirySeconds ?? LND_DEFAULT_EXPIRY_SECONDS;
      // Taken before the call: the node's creation_date is at or after this, so we never overstate validity.
      const requestedAt = Date.now();
      const raw = await unary<RawAddInvoiceResponse>('AddInvoice', {
        memo: input.memo,
        value: String(input.valueSat),
        expiry: String(expirySeconds),
      });
      return {
        paymentHash: raw.r_hash.toString('hex'),
        paymentRequest: raw.payment_request,
        addIndex: parseInt64(raw.add_index, 'add_index'),
        expiresAt: new Date(requestedAt + expirySeconds * 1000),
      };
    },

    async lookupInvoice(paymentHash: string): Promise<Invoice> {
      if (!/^[0-9a-fA-F]{64}$/.test(paymentHash)) {
        throw new LightningError('payment hash must be 64 hex characters', INVALID_ARGUMENT);
      }
      // r_hash (bytes) rather than the deprecated hex r_hash_str.
      const raw = await unary<RawInvoice>('LookupInvoice', { r_hash: Buffer.from(paymentHash, 'hex') });
      return mapInvoice(raw);
    },

    subscribeInvoices(from, handlers) {
      const call = stub.SubscribeInvoices({ add_index: String(from.addIndex), settle_index: String(from.settleIndex) });
      logger.debug('subscribed to invoices', { addIndex: from.addIndex, settleIndex: from.settleIndex });
      return driveInvoiceStream(call, handlers, logger);
    },

    close(): void {
      stub.close();
    },
  };
}
