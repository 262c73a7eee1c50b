import { InvoiceNotFoundError, LightningError, LightningUnavailableError, NodeNotReadyError, type NodeRefusal } from './types';

/** gRPC status codes the mapping cares about (see @grpc/grpc-js `status`). */
const UNKNOWN = 2;
const DEADLINE_EXCEEDED = 4;
const NOT_FOUND = 5;
const PERMISSION_DENIED = 7;
const RESOURCE_EXHAUSTED = 8;
const INTERNAL = 13;
const UNAVAILABLE = 14;
const UNAUTHENTICATED = 16;

/**
 * LND's "not now" texts, all sent as code 2 UNKNOWN (rpcperms/interceptor.go, macaroons/service.go):
 * the RPC-state check runs before the macaroon check, so a locked wallet says so even to a bad macaroon.
 */
const UNKNOWN_TEXTS: ReadonlyArray<[RegExp, NodeRefusal]> = [
  [/wallet locked|wallet not created/i, 'locked'],
  [/in the process of starting up|waiting to start|not yet ready to accept calls/i, 'starting'],
  [
    /verification failed|cannot (?:unmarshal|decode) macaroon|expected 1 macaroon|encoding\/hex|root key with id|macaroon/i,
    'macaroon-refused',
  ],
  [/permission denied/i, 'permission-denied'],
];

function refusalOf(code: number, text: string): NodeRefusal | null {
  if (code === UNKNOWN) return UNKNOWN_TEXTS.find(([re]) => re.test(text))?.[1] ?? null;
  if (code === PERMISSION_DENIED) return 'permission-denied';
  if (code === UNAUTHENTICATED) return 'macaroon-refused';
  if (code === RESOURCE_EXHAUSTED) return 'overloaded';
  if (code === INTERNAL) return 'internal-error';
  return null;
}

/** The parts of a grpc-js ServiceError (or a stream's status object) that we read. */
interface GrpcLikeError {
  code: number;
  details?: string;
  message?: string;
}

function isGrpcLike(err: unknown): err is GrpcLikeError {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'number';
}

/**
 * Turns whatever a grpc-js call failed with into one of the site's Lightning errors:
 * UNAVAILABLE (14) and DEADLINE_EXCEEDED (4) -> LightningUnavailableError (the node is down or slow; try again),
 * NOT_FOUND (5) -> InvoiceNotFoundError, LND's "not now" answers (locked, starting, macaroon refused,
 * permission denied, RESOURCE_EXHAUSTED, INTERNAL) -> NodeNotReadyError (a LightningUnavailableError
 * naming the refusal and `method`), any other status -> LightningError carrying the code and LND's own text
 * (`details`, e.g. "verification failed: signature mismatch after caveat verification").
 * Something that is not a gRPC error at all becomes a LightningError with code 2 (UNKNOWN).
 * The original error is kept as `cause` for logs.
 */
export function mapGrpcError(err: unknown, method: string | null = null): Error {
  if (err instanceof LightningError || err instanceof LightningUnavailableError || err instanceof InvoiceNotFoundError) {
    return err;
  }
  let mapped: Error;
  if (isGrpcLike(err)) {
    const text = err.details || err.message || `gRPC status ${err.code}`;
    if (err.code === UNAVAILABLE || err.code === DEADLINE_EXCEEDED) {
      mapped = new LightningUnavailableError(`Lightning node unavailable: ${text}`);
    } else if (err.code === NOT_FOUND) {
      mapped = new InvoiceNotFoundError(text);
    } else if (refusalOf(err.code, text)) {
      mapped = new NodeNotReadyError(refusalOf(err.code, text) as NodeRefusal, text, method);
    } else {
      mapped = new LightningError(text, err.code);
    }
  } else {
    mapped = new LightningError(err instanceof Error ? err.message : String(err), UNKNOWN);
  }
  mapped.cause = err;
  return mapped;
}
