import { InvoiceNotFoundError, LightningError, LightningUnavailableError } from './types';

/** gRPC status codes the mapping cares about (see @grpc/grpc-js `status`). */
const UNKNOWN = 2;
const DEADLINE_EXCEEDED = 4;
const NOT_FOUND = 5;
const UNAVAILABLE = 14;

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
 * NOT_FOUND (5) -> InvoiceNotFoundError, any other status -> LightningError carrying the code and LND's own text
 * (`details`, e.g. "verification failed: signature mismatch after caveat verification").
 * Something that is not a gRPC error at all becomes a LightningError with code 2 (UNKNOWN).
 * The original error is kept as `cause` for logs.
 */
export function mapGrpcError(err: unknown): Error {
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
    } else {
      mapped = new LightningError(text, err.code);
    }
  } else {
    mapped = new LightningError(err instanceof Error ? err.message : String(err), UNKNOWN);
  }
  mapped.cause = err;
  return mapped;
}
